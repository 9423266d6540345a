-- Needs of the high-value segment per month: (scenario|intent) counts from customer_monthly.
SELECT toString(month) AS bucket, k AS need, sum(n) AS interactions
FROM customer_monthly
ARRAY JOIN needs.1 AS k, needs.2 AS n
WHERE customer_id IN ({{hv}})
  AND month >= {period_from:Date} AND month <= {as_of:Date}
GROUP BY bucket, need
