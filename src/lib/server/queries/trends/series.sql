-- KPI series from the hourly roll-up (kpi_hourly). `bucket` comes from a fixed map keyed by the
-- interval enum (series.ts); the time zone, breakdown kind and value are bound parameters.
-- Hours are turned into local calendar days with toDate(hour, tz), so a day is the reader's day.
-- `kpis` is every trend KPI as `formula AS kpi` ($schemas/metrics), rounded far below what a chart
-- or table shows: a two-year daily series by channel is ~8,000 rows, and full float precision
-- doubled its JSON.
SELECT
    toString({{bucket}}) AS bucket,
    value                AS group,
    {{kpis}}
FROM kpi_hourly
WHERE dim = {dim:String}
  AND ({value:String} = '' OR value = {value:String})
  AND hour >= toDateTime({from:String}, {tz:String})
  AND hour < toDateTime({to_excl:String}, {tz:String})
GROUP BY bucket, group
ORDER BY bucket, group
