-- Journey cells at four levels in one pass (ROLLUP): touchpoint × channel, touchpoint
-- (all channels), stage and the total; `level` names each row's level (customers.sql labels its
-- rows the same way, so the two join). Sums only — `measures` is every summed journey measure,
-- `sum(column) AS measure` ($schemas/metrics) — distinct customers come from customers.sql (a
-- coarser roll-up when the filter allows). TRICKY: `src.x` names a column where a bare `x` would
-- mean the alias of the same name.
SELECT
    stage,
    touchpoint,
    channel,
    {{level}} AS level,
    sumIf(src.interactions, has({hv_tiers:Array(String)}, src.tier)) AS hv_interactions,
    -- Reach beyond known customers and complaints where a source has no flag (severity.ts);
    -- `authors` merges the anonymous rows' (tier '') sketches, or is 0 where reach is not needed.
    {{authors}} AS authors,
    sum(src.unattributed) AS unattributed,
    sumIf(src.interactions, has({complaint_sources:Array(String)}, src.source)) AS complaint_measured,
    sumIf(src.complaint_like, NOT has({complaint_sources:Array(String)}, src.source)) AS complaint_like,
    {{measures}}
FROM ({{source}}) AS src
-- ROLLUP merges each row's sketch once, at the finest level, and the coarser levels from those.
GROUP BY ROLLUP(stage, touchpoint, channel)
