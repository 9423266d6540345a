-- Segment portrait, CRM side: size, revenue, lifetime value, tenure and value tiers of the
-- high-value segment (the `hv` part, high-value.sql) and of everyone else; `tier` is the value tier
-- under the rules in force.
SELECT
    customer_id IN ({{hv}})                                   AS is_hv,
    count()                                                 AS customers,
    sum(revenue)                                            AS revenue,
    avg(lifetime_value)                                     AS avg_ltv,
    quantileExactIf(dateDiff('day', assumeNotNull(account_opened), toDate({as_of:Date})) / 365.25, account_opened IS NOT NULL) AS median_tenure,
    sumMap([{{tier}}], [toUInt64(1)])                         AS tiers
FROM customers FINAL
GROUP BY is_hv
