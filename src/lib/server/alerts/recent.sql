-- Whether an alert (rule and subject) already has a delivery inside its window: deduplication.
SELECT count() AS n
FROM alert_deliveries FINAL
WHERE alert_key = {alert_key:String} AND created_at >= fromUnixTimestamp64Milli({since:Int64})
