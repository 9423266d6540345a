-- Service levels over one period from the hourly roll-up ("all" rows: one per hour).
SELECT
    sum(interactions)                                                    AS contacts,
    sum(handle_n)                                                        AS handledContacts,
    if(sum(fcr_n) = 0, NULL, sum(fcr_sum) / sum(fcr_n))                  AS fcr,
    if(sum(csat_n) = 0, NULL, sum(csat_sum) / sum(csat_n))               AS csat,
    if(sum(handle_n) = 0, NULL, sum(handle_sum) / sum(handle_n))         AS ahtSeconds,
    if(sum(first_resp_n) = 0, NULL, sum(first_resp_sum) / sum(first_resp_n)) AS firstResponseSeconds,
    if(sum(interactions) = 0, NULL, sum(complaints) / sum(interactions)) AS complaintRate,
    sum(complaints)                                                      AS complaintCount
FROM kpi_hourly
WHERE dim = 'all'
  AND hour >= toDateTime({from:String}, {tz:String})
  AND hour < toDateTime({to_excl:String}, {tz:String})
