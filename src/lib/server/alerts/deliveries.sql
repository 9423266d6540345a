-- Latest version of each delivery, newest first; `status` '' means any. The formatted times get
-- their own names: an alias named like its column would replace the column in WHERE and ORDER BY.
SELECT id, alert_key, rule_id, kind, title, payload, channel, destination_id, target, status, attempts, last_error,
    toString(created_at) AS created, toString(next_attempt_at) AS next_at,
    if(isNull(sent_at), NULL, toString(sent_at)) AS sent
FROM alert_deliveries FINAL
WHERE ({status:String} = '' OR status = {status:String})
ORDER BY created_at DESC, id
LIMIT {limit:UInt32}
