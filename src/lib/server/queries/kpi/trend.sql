-- KPIs per time bucket from the roll-ups. The bucket expression and the source come from fixed maps
-- keyed by the interval enum (see trend.ts), never from input; each KPI part is its formula over the
-- roll-up's measures ($schemas/metrics).
SELECT
    toString({{bucket}})             AS bucket,
    {{volume}}                       AS interactions,
    uniqCombinedMerge(14)(customers) AS customers,
    {{csat}}                         AS csat,
    {{fcr}}                          AS fcr,
    {{aht}}                          AS avgHandleSeconds,
    {{complaints}}                   AS complaints,
    {{sentiment}}                    AS sentiment
FROM ({{source}})
GROUP BY bucket
ORDER BY bucket
