-- Share of interactions per channel in the range (all channels: the mix ignores a channel filter).
-- `source` is filter.ts's MIXED_SOURCE.
SELECT channel, n AS interactions, n / sum(n) OVER () AS share
FROM
(
    SELECT channel, sum(interactions) AS n
    FROM ({{source}})
    GROUP BY channel
)
ORDER BY interactions DESC, channel
