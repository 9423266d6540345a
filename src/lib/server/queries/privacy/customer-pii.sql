-- One customer's personal data, for an audited reveal by an admin.
SELECT customer_id, name, email, phone
FROM customers FINAL
WHERE customer_id = {customer_id:String}
LIMIT 1
