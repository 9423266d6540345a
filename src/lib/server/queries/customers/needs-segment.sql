-- Needs of the high-value segment per month, from customer_need_monthly (sorted by customer).
SELECT toString(month) AS bucket, toString(scenario) AS scenario, toString(intent) AS intent,
       toString(reason_id) AS reason_id, sum(interactions) AS interactions
FROM customer_need_monthly
WHERE customer_id IN ({{hv}})
  AND month >= {period_from:Date} AND month <= {as_of:Date}
  AND (intent != '' OR reason_id NOT IN ('', 'other', 'no-text'))
GROUP BY bucket, scenario, intent, reason_id
