-- Which sources, on which channels, measure each scorecard KPI in a period: contacts with a value,
-- and the first-response sum (its target is for live channels only, see summary.ts). Reads the
-- hourly roll-up by source and channel.
SELECT
    toString(source) AS source,
    toString(channel) AS channel,
    sum(interactions) AS contacts,
    sum(fcr_n) AS fcr,
    sum(csat_n) AS csat,
    sum(handle_n) AS aht,
    sum(first_resp_n) AS firstResponse,
    sum(first_resp_sum) AS firstResponseSum
FROM measured_hourly
WHERE hour >= toDateTime({from:String}, {tz:String})
  AND hour < toDateTime({to_excl:String}, {tz:String})
GROUP BY source, channel
ORDER BY source, channel
