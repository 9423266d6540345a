-- Who a pain point affects: its contacts by customer segment, value tier, region and channel.
SELECT
    multiIf(grouping(segment) = 0, 'segment', grouping(tier) = 0, 'tier', grouping(region) = 0, 'region', 'channel') AS dimension,
    multiIf(grouping(segment) = 0, segment, grouping(tier) = 0, tier, grouping(region) = 0, region, channel) AS value,
    sum(interactions) AS interactions,
    sum(complaints) AS complaints,
    sum(csat_sum) AS csat_sum,
    sum(csat_n) AS csat_n
FROM ({source})
WHERE stage = {stage:String} AND touchpoint = {touchpoint:String}
GROUP BY GROUPING SETS ((segment), (tier), (region), (channel))
ORDER BY dimension, interactions DESC
