-- Which sources, on which channels, measure each scorecard KPI in a period: contacts with a value,
-- and the first-response sum (its target is for live channels only, see summary.ts).
SELECT
    toString(source) AS source,
    toString(channel) AS channel,
    count() AS contacts,
    countIf(fcr IS NOT NULL) AS fcr,
    countIf(csat_10 IS NOT NULL) AS csat,
    countIf(handle_s IS NOT NULL) AS aht,
    countIf(first_response_s IS NOT NULL) AS firstResponse,
    sum(ifNull(first_response_s, 0)) AS firstResponseSum
FROM interactions
WHERE ts >= toDateTime64({from:String}, 3, {tz:String})
  AND ts < toDateTime64({to_excl:String}, 3, {tz:String})
GROUP BY source, channel
ORDER BY source, channel
