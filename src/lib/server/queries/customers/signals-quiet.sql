-- Share of customers quiet at each month's end: account opened ≥ 3 months before and no
-- interaction in that month or the two before (the monthly form of "no interaction in 90 days").
WITH
    (SELECT groupArray(m) FROM (SELECT arrayJoin(range(toUInt32({months:UInt16}))) AS i, addMonths(toDate({period_from:Date}), i) AS m)) AS buckets
SELECT
    toString(m) AS bucket,
    c.customer_id IN ({{hv}}) AS is_hv,
    countIf(ifNull(c.account_opened < addMonths(m, -2), 1)) AS eligible,
    countIf(ifNull(c.account_opened < addMonths(m, -2), 1)
            AND NOT hasAny(a.months, [m, addMonths(m, -1), addMonths(m, -2)])) AS quiet
FROM customers AS c FINAL
LEFT JOIN
(
    SELECT customer_id, groupUniqArray(month) AS months
    FROM customer_monthly
    WHERE month >= addMonths(toDate({period_from:Date}), -2) AND month <= {as_of:Date}
    GROUP BY customer_id
) AS a ON a.customer_id = c.customer_id
ARRAY JOIN buckets AS m
GROUP BY bucket, is_hv
