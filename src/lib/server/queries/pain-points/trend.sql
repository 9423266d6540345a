-- Sums per time bucket and touchpoint for sparklines and the detail trend. The bucket expression and
-- table come from a fixed map keyed by the interval (week: daily rows; month: monthly rows).
SELECT
    toString({bucket}) AS bucket,
    stage,
    touchpoint,
    sum(interactions) AS interactions,
    sum(complaints) AS complaints,
    sum(csat_sum) AS csat_sum,
    sum(csat_n) AS csat_n,
    sum(csat_low) AS csat_low,
    sum(sent_sum) AS sent_sum,
    sum(sent_n) AS sent_n,
    sum(sent_neg) AS sent_neg,
    sum(fcr_sum) AS fcr_sum,
    sum(fcr_n) AS fcr_n,
    sum(handle_sum) AS handle_sum,
    sum(handle_n) AS handle_n,
    sum(outcome_n) AS outcome_n,
    sum(unresolved) AS unresolved,
    sum(repeat_n) AS repeat_n,
    sum(repeats) AS repeats
FROM {table}
WHERE day BETWEEN {bucket_from:Date} AND {to:Date} AND stage != ''
    AND ({one:UInt8} = 0 OR (stage = {stage:String} AND touchpoint = {touchpoint:String}))
    AND {where}
GROUP BY bucket, stage, touchpoint
ORDER BY bucket
