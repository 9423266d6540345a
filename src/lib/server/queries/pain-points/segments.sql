-- Who a pain point affects: its contacts by customer segment, value tier, region and channel, with
-- every summed journey measure (`measures`, $schemas/metrics) and what reach and the complaint
-- factor need (as map.sql), so each row is judged with the severity's own rates.
-- TRICKY: `src.x` names a column where a bare `x` would mean the alias of the same name.
SELECT
    multiIf(grouping(segment) = 0, 'segment', grouping(tier) = 0, 'tier', grouping(region) = 0, 'region', 'channel') AS dimension,
    multiIf(grouping(segment) = 0, segment, grouping(tier) = 0, tier, grouping(region) = 0, region, channel) AS value,
    uniqCombinedMerge(14)(src.customers) AS customers,
    uniqCombinedMergeIf(14)(src.authors, src.tier = '') AS authors,
    sum(src.unattributed) AS unattributed,
    sumIf(src.interactions, has({complaint_sources:Array(String)}, src.source)) AS complaint_measured,
    sumIf(src.complaint_like, NOT has({complaint_sources:Array(String)}, src.source)) AS complaint_like,
    {{measures}}
FROM ({{source}}) AS src
WHERE stage = {stage:String} AND touchpoint = {touchpoint:String}
GROUP BY GROUPING SETS ((segment), (tier), (region), (channel))
ORDER BY dimension, interactions DESC
