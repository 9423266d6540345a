-- Signals over time, per month and group, from customer_monthly: mean sentiment, unresolved
-- share, and customers with ≥ repeat_min complaints about one intent within the month.
SELECT
    toString(month) AS bucket,
    customer_id IN ({hv}) AS is_hv,
    sum(s_sum) / nullIf(sum(s_n), 0) AS sentiment,
    sum(unres) / nullIf(sum(n), 0) AS unresolved_share,
    countIf(max_same >= {repeat_min:UInt16}) AS repeat_complaints
FROM
(
    SELECT customer_id, month,
           sum(sentiment_sum) AS s_sum, sum(sentiment_n) AS s_n,
           sum(unresolved) AS unres, sum(interactions) AS n,
           arrayMax(arrayConcat([toUInt64(0)], sumMap(complaint_intents).2)) AS max_same
    FROM customer_monthly
    WHERE month >= {period_from:Date} AND month <= {as_of:Date}
    GROUP BY customer_id, month
)
GROUP BY bucket, is_hv
