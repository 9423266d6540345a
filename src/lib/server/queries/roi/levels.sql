-- Service levels over one period from the hourly roll-up ("all" rows: one per hour); `kpis` is each
-- level as `formula AS column` (LEVEL_KPIS in summary.ts, formulas in $schemas/metrics).
SELECT
    sum(handle_n) AS handledContacts,
    {{kpis}}
FROM kpi_hourly
WHERE dim = 'all'
  AND hour >= toDateTime({from:String}, {tz:String})
  AND hour < toDateTime({to_excl:String}, {tz:String})
