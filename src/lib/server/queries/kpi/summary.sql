-- KPI totals over a date range, read from the roll-ups (never the raw interactions): `source` is
-- filter.ts's MIXED_SOURCE (whole months from kpi_monthly, edges from kpi_daily), and each KPI part
-- is its formula over the roll-up's measures ($schemas/metrics).
SELECT
    {{volume}}                       AS interactions,
    uniqCombinedMerge(14)(customers) AS customers,
    {{csat}}                         AS csat,
    {{fcr}}                          AS fcr,
    {{aht}}                          AS avgHandleSeconds,
    {{firstResponse}}                AS avgFirstResponseSeconds,
    {{complaints}}                   AS complaints,
    {{sentiment}}                    AS sentiment
FROM ({{source}})
