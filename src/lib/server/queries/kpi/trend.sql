-- KPIs per time bucket from the roll-ups. The bucket expression and the source come from fixed maps
-- keyed by the interval enum (see trend.ts), never from input; `kpis` is each column of a trend row
-- as `formula AS column` (KPI_TREND_KPIS in $schemas/kpi, formulas in $schemas/metrics).
SELECT
    toString({{bucket}})             AS bucket,
    uniqCombinedMerge(14)(customers) AS customers,
    {{kpis}}
FROM ({{source}})
GROUP BY bucket
ORDER BY bucket
