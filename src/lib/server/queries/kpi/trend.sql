-- KPIs per time bucket from the roll-ups. The bucket expression and the source come from fixed maps keyed by
-- the interval enum (see trend.ts), never from input.
SELECT
    toString({bucket})                                              AS bucket,
    sum(interactions)                                               AS interactions,
    uniqCombinedMerge(14)(customers)                                AS customers,
    if(sum(csat_n) = 0, NULL, sum(csat_sum) / sum(csat_n))          AS csat,
    if(sum(fcr_n) = 0, NULL, sum(fcr_sum) / sum(fcr_n))             AS fcr,
    if(sum(handle_n) = 0, NULL, sum(handle_sum) / sum(handle_n))    AS avgHandleSeconds,
    sum(complaints)                                                 AS complaints,
    if(sum(sentiment_n) = 0, NULL, sum(sentiment_sum) / sum(sentiment_n)) AS sentiment
FROM ({source})
GROUP BY bucket
ORDER BY bucket
