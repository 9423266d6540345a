-- Signals over time, per month and group (`hv`: the high-value subquery), from customer_monthly:
-- mean sentiment and unresolved share (KPI formulas over plain sums, $schemas/metrics; no
-- per-customer grouping), and customers with ≥ repeat_min complaints about one intent within the
-- month (only customer-months with complaints are grouped, since one customer-month may sit in
-- several unmerged rows).
SELECT bucket, is_hv, sentiment, unresolved_share, repeat_complaints
FROM
(
    SELECT toString(month) AS bucket,
           customer_id IN ({{hv}}) AS is_hv,
           {{sentiment}} AS sentiment,
           {{notResolvedShare}} AS unresolved_share
    FROM customer_monthly
    WHERE month >= {period_from:Date} AND month <= {as_of:Date}
    GROUP BY bucket, is_hv
    SETTINGS prefer_column_name_to_alias = 1
) AS s
LEFT JOIN
(
    SELECT toString(month) AS bucket, customer_id IN ({{hv}}) AS is_hv, count() AS repeat_complaints
    FROM
    (
        SELECT customer_id, month
        FROM customer_monthly
        WHERE month >= {period_from:Date} AND month <= {as_of:Date} AND complaints > 0
        GROUP BY customer_id, month
        HAVING arrayMax(arrayConcat([toUInt64(0)], sumMap(complaint_intents).2)) >= {repeat_min:UInt16}
    )
    GROUP BY bucket, is_hv
) AS r USING (bucket, is_hv)
SETTINGS join_use_nulls = 0
