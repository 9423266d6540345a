-- One customer's CRM row with the value tier under the rules in force (primary-key lookup).
SELECT
    customer_id, name, email, phone,
    toString(segment) AS segment, toString(tier) AS tier, {tier} AS value_tier, toString(region) AS region,
    if(account_opened IS NULL, NULL, toString(account_opened)) AS opened,
    if(account_opened IS NULL, NULL, dateDiff('day', assumeNotNull(account_opened), toDate({as_of:Date})) / 365.25) AS tenure_years,
    lifetime_value, revenue, toString(status) AS status,
    -- The high-value rule for this one customer (the same test as high-value.sql, but a
    -- primary-key range instead of the whole segment).
    ifNull(account_opened <= {hv_opened_before:Date}, 0) AND (
        SELECT sum(interactions) FROM customer_monthly
        WHERE customer_id = {id:String}
          AND month > addMonths(toStartOfMonth({as_of:Date}), -{hv_months:UInt16}) AND month <= {as_of:Date}
    ) >= {hv_min_monthly:Float64} * {hv_months:UInt16} AS high_value
FROM customers FINAL
WHERE customer_id = {id:String}
