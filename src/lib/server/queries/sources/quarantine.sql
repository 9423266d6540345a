-- Quarantined records, newest first, filtered by source and a text in the reason.
SELECT run_id, source, file, line, substringUTF8(raw, 1, 2000) AS raw, reason, toString(at) AS at
FROM quarantine
WHERE ({source:String} = '' OR source = {source:String})
  AND ({reason:String} = '' OR positionCaseInsensitive(reason, {reason:String}) > 0)
ORDER BY at DESC, file, line
LIMIT {limit:UInt32} OFFSET {offset:UInt32}
