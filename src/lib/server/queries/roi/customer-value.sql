-- What a customer's orders are worth, per currency (amounts in different currencies are never
-- added up): the mean, over customers with an order in it, of their orders not returned or cancelled.
SELECT currency, count() AS customers, avg(value) AS mean
FROM (
    SELECT customer_id, currency, sum(amount) AS value
    FROM orders FINAL
    WHERE lower(status) NOT IN ('returned', 'cancelled', 'canceled', 'refunded')
    GROUP BY customer_id, currency
)
GROUP BY currency
ORDER BY customers DESC
