-- The names of the given customers (every stored version: a renamed customer's old name is masked too).
SELECT customer_id, name
FROM customers
WHERE customer_id IN {ids:Array(String)} AND name != ''
