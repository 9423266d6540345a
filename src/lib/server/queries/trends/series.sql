-- KPI series from the hourly roll-up (kpi_hourly). {bucket} comes from a fixed map keyed by the
-- interval enum (series.ts); the time zone, breakdown kind and value are bound parameters.
-- Hours are turned into local calendar days with toDate(hour, tz), so a day is the reader's day.
SELECT
    toString({bucket})                                                   AS bucket,
    value                                                                AS group,
    sum(interactions)                                                    AS volume,
    if(sum(csat_n) = 0, NULL, sum(csat_sum) / sum(csat_n))               AS csat,
    if(sum(csat_n) = 0, NULL, sum(satisfied) / sum(csat_n))              AS satisfied,
    if(sum(fcr_n) = 0, NULL, sum(fcr_sum) / sum(fcr_n))                  AS fcr,
    if(sum(handle_n) = 0, NULL, sum(handle_sum) / sum(handle_n))         AS aht,
    if(sum(first_resp_n) = 0, NULL, sum(first_resp_sum) / sum(first_resp_n)) AS firstResponse,
    if(sum(wait_n) = 0, NULL, sum(wait_sum) / sum(wait_n))               AS wait,
    if(sum(wait_n) = 0, NULL, sum(abandoned) / sum(wait_n))              AS abandonment,
    sum(complaints)                                                      AS complaints,
    if(sum(sentiment_n) = 0, NULL, sum(sentiment_sum) / sum(sentiment_n)) AS sentiment,
    if(sum(nps_n) = 0, NULL, 100 * (sum(promoters) - sum(detractors)) / sum(nps_n)) AS nps
FROM kpi_hourly
WHERE dim = {dim:String}
  AND ({value:String} = '' OR value = {value:String})
  AND hour >= toDateTime({from:String}, {tz:String})
  AND hour < toDateTime({to_excl:String}, {tz:String})
GROUP BY bucket, group
ORDER BY bucket, group
