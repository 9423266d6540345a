-- Segment portrait, contact side of the high-value segment: one customer's months are adjacent
-- in customer_monthly (sorted by customer), so the IN-set reads only the segment's granules.
SELECT
    sum(interactions)                   AS interactions,
    sum(complaints)                     AS complaints,
    sum(unresolved)                     AS unresolved,
    sum(csat_sum)                       AS csat_sum,
    sum(csat_n)                         AS csat_n,
    sum(sentiment_sum)                  AS sentiment_sum,
    sum(sentiment_n)                    AS sentiment_n,
    sumMap(channels)                    AS channels,
    sumMap(stages)                      AS stages,
    sumMap(needs)                       AS needs
FROM customer_monthly
WHERE customer_id IN ({hv})
  AND month >= {period_from:Date} AND month <= {as_of:Date}
-- Sums keep the column names (aliases would shadow the columns inside sumMap).
SETTINGS prefer_column_name_to_alias = 1
