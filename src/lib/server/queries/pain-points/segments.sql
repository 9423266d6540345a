-- Who a pain point affects: its contacts by customer segment, value tier, region and channel, with
-- every summed journey measure (`measures`, $schemas/metrics) for the rates shown per row.
SELECT
    multiIf(grouping(segment) = 0, 'segment', grouping(tier) = 0, 'tier', grouping(region) = 0, 'region', 'channel') AS dimension,
    multiIf(grouping(segment) = 0, segment, grouping(tier) = 0, tier, grouping(region) = 0, region, channel) AS value,
    {{measures}}
FROM ({{source}})
WHERE stage = {stage:String} AND touchpoint = {touchpoint:String}
GROUP BY GROUPING SETS ((segment), (tier), (region), (channel))
ORDER BY dimension, interactions DESC
