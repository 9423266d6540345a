-- Share of interactions per channel in the range (all channels: the mix ignores a channel filter).
SELECT channel, n AS interactions, n / sum(n) OVER () AS share
FROM
(
    SELECT channel, sum(interactions) AS n
    FROM kpi_daily
    WHERE day BETWEEN {from:Date} AND {to:Date}
      AND ({segment:String} = '' OR segment = {segment:String})
    GROUP BY channel
)
ORDER BY interactions DESC, channel
