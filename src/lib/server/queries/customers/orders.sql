-- One customer's orders, newest first (orders are sorted by customer_id, order_id).
SELECT toString(ts) AS ts, order_id, amount, toString(currency) AS currency, toString(status) AS status,
       toString(channel) AS channel, toString(product) AS product
FROM orders FINAL
WHERE customer_id = {id:String}
ORDER BY ts DESC
LIMIT {limit:UInt32}
