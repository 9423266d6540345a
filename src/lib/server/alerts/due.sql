-- Deliveries whose time has come: new ones, ones held for quiet hours, retries after their backoff.
SELECT id, alert_key, rule_id, kind, title, payload, channel, destination_id, target, status, attempts, last_error,
    toString(created_at) AS created, toString(next_attempt_at) AS next_at, NULL AS sent
FROM alert_deliveries FINAL
WHERE status IN ('pending', 'held', 'retrying') AND next_attempt_at <= fromUnixTimestamp64Milli({now:Int64})
ORDER BY next_attempt_at, id
LIMIT 200
