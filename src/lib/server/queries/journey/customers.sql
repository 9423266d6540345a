-- Distinct customers per journey cell, touchpoint and in total, labelled by level as map.sql labels
-- its rows (map.sql carries the sums at these levels and per stage; stages show no customer count,
-- so their rows are left out). ROLLUP merges each row's sketch once, at the finest level, and the
-- coarser levels from those.
-- TRICKY: `src.customers` names the column; a bare `customers` would mean the alias below.
SELECT
    stage,
    touchpoint,
    channel,
    {{level}} AS level,
    uniqCombinedMerge(14)(src.customers) AS customers
FROM ({{source}}) AS src
GROUP BY ROLLUP(stage, touchpoint, channel)
HAVING level != 'stage'
