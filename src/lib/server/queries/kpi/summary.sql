-- KPI totals over a date range, read from the roll-ups (never the raw interactions). `source` is
-- filter.ts's MIXED_SOURCE (whole months from kpi_monthly, edges from kpi_daily); `kpis` is each
-- overview column as `formula AS column` (OVERVIEW_KPIS in $schemas/kpi, formulas in
-- $schemas/metrics).
SELECT
    uniqCombinedMerge(14)(customers) AS customers,
    {{kpis}}
FROM ({{source}})
