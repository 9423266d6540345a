-- The high-value segment under the rules in force: account age ≥ N years AND ≥ M interactions a
-- month averaged over the last K months of data (the months up to and including as_of's month).
-- Queries embed it as their `hv` part (`customer_id IN (…)`); reads customer_monthly, sorted by customer.
SELECT customer_id
FROM customer_monthly
WHERE month > addMonths(toStartOfMonth({as_of:Date}), -{hv_months:UInt16})
  AND month <= {as_of:Date}
  AND customer_id IN (
      SELECT customer_id FROM customers FINAL
      WHERE account_opened IS NOT NULL AND account_opened <= {hv_opened_before:Date}
  )
GROUP BY customer_id
HAVING sum(interactions) >= {hv_min_monthly:Float64} * {hv_months:UInt16}
