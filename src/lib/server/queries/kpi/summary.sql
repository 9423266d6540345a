-- KPI totals over a date range, read from the roll-ups (never the raw interactions).
-- Reads filter.ts's MIXED_SOURCE (whole months from kpi_monthly, edges from kpi_daily).
SELECT
    sum(interactions)                                               AS interactions,
    uniqCombinedMerge(14)(customers)                                AS customers,
    if(sum(csat_n) = 0, NULL, sum(csat_sum) / sum(csat_n))          AS csat,
    if(sum(fcr_n) = 0, NULL, sum(fcr_sum) / sum(fcr_n))             AS fcr,
    if(sum(handle_n) = 0, NULL, sum(handle_sum) / sum(handle_n))    AS avgHandleSeconds,
    if(sum(first_resp_n) = 0, NULL, sum(first_resp_sum) / sum(first_resp_n)) AS avgFirstResponseSeconds,
    sum(complaints)                                                 AS complaints,
    if(sum(sentiment_n) = 0, NULL, sum(sentiment_sum) / sum(sentiment_n)) AS sentiment
FROM ({source})
