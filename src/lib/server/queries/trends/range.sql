-- First and last local day with data in the hourly roll-up ("all" rows only: one per hour).
SELECT toString(toDate(min(hour), {tz:String})) AS min, toString(toDate(max(hour), {tz:String})) AS max, count() AS n
FROM kpi_hourly
WHERE dim = 'all'
