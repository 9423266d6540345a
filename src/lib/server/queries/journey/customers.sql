-- Distinct customers per journey cell, touchpoint and in total, labelled by level as map.sql labels
-- its rows (map.sql carries the sums at these levels and per stage; stages show no customer count,
-- so that uniq merge is skipped).
-- TRICKY: `src.customers` names the column; a bare `customers` would mean the alias below.
SELECT
    stage,
    touchpoint,
    channel,
    {{level}} AS level,
    uniqCombinedMerge(14)(src.customers) AS customers
FROM ({{source}}) AS src
GROUP BY GROUPING SETS ((stage, touchpoint, channel), (stage, touchpoint), ())
