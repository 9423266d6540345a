-- One customer's CRM row with the value tier under the rules in force (primary-key lookup).
SELECT
    customer_id, name, email, phone,
    toString(segment) AS segment, toString(tier) AS tier, {tier} AS value_tier, toString(region) AS region,
    if(account_opened IS NULL, NULL, toString(account_opened)) AS opened,
    if(account_opened IS NULL, NULL, dateDiff('day', assumeNotNull(account_opened), toDate({as_of:Date})) / 365.25) AS tenure_years,
    lifetime_value, revenue, toString(status) AS status,
    customer_id IN ({hv}) AS high_value
FROM customers FINAL
WHERE customer_id = {id:String}
