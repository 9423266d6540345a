-- KPI series from the hourly roll-up (kpi_hourly). {bucket} comes from a fixed map keyed by the
-- interval enum (series.ts); the time zone, breakdown kind and value are bound parameters.
-- Hours are turned into local calendar days with toDate(hour, tz), so a day is the reader's day.
-- Values are rounded far below what a chart or table shows: a two-year daily series by channel is
-- ~8,000 rows, and full float precision doubled its JSON (1.5 MB measured).
SELECT
    toString({bucket})                                                   AS bucket,
    value                                                                AS group,
    sum(interactions)                                                    AS volume,
    if(sum(csat_n) = 0, NULL, round(sum(csat_sum) / sum(csat_n), 4)) AS csat,
    if(sum(csat_n) = 0, NULL, round(sum(satisfied) / sum(csat_n), 5)) AS satisfied,
    if(sum(fcr_n) = 0, NULL, round(sum(fcr_sum) / sum(fcr_n), 5))   AS fcr,
    if(sum(handle_n) = 0, NULL, round(sum(handle_sum) / sum(handle_n), 2)) AS aht,
    if(sum(first_resp_n) = 0, NULL, round(sum(first_resp_sum) / sum(first_resp_n), 2)) AS firstResponse,
    if(sum(wait_n) = 0, NULL, round(sum(wait_sum) / sum(wait_n), 2)) AS wait,
    if(sum(wait_n) = 0, NULL, round(sum(abandoned) / sum(wait_n), 5)) AS abandonment,
    sum(complaints)                                                      AS complaints,
    if(sum(sentiment_n) = 0, NULL, round(sum(sentiment_sum) / sum(sentiment_n), 4)) AS sentiment,
    if(sum(nps_n) = 0, NULL, round(100 * (sum(promoters) - sum(detractors)) / sum(nps_n), 2)) AS nps
FROM kpi_hourly
WHERE dim = {dim:String}
  AND ({value:String} = '' OR value = {value:String})
  AND hour >= toDateTime({from:String}, {tz:String})
  AND hour < toDateTime({to_excl:String}, {tz:String})
GROUP BY bucket, group
ORDER BY bucket, group
