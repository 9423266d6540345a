-- First and last local day with data in the hourly roll-up ("all" rows only), and a fingerprint of
-- the data so forecasts can be kept until it changes: hours with data and total contacts, which
-- background merges leave alone (not the row count, which a merge of the roll-up's parts lowers).
SELECT toString(toDate(min(hour), {tz:String})) AS min, toString(toDate(max(hour), {tz:String})) AS max, uniqExact(hour) AS n, sum(interactions) AS total
FROM kpi_hourly
WHERE dim = 'all'
