-- First and last local day with data in the hourly roll-up ("all" rows only: one per hour), and a
-- fingerprint of the data (row count and total contacts) so forecasts can be cached until it changes.
SELECT toString(toDate(min(hour), {tz:String})) AS min, toString(toDate(max(hour), {tz:String})) AS max, count() AS n, sum(interactions) AS total
FROM kpi_hourly
WHERE dim = 'all'
