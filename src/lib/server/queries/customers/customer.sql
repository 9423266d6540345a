-- One customer's CRM row, value tier under the rules in force, high-value test, totals from
-- customer_monthly and churn score — one round trip, every part a primary-key lookup or range.
-- `tier` is the value-tier expression under the rules in force; `csat` and `sentiment` are the KPI
-- formulas ($schemas/metrics).
-- "Now" is the last day with data (kpi_daily is sorted by day, so max(day) reads little).
WITH (SELECT max(day) FROM kpi_daily) AS as_of
SELECT
    c.customer_id AS customer_id, c.name AS name, c.email AS email, c.phone AS phone,
    toString(c.segment) AS segment_, toString(c.tier) AS tier_, {{tier}} AS value_tier, toString(c.region) AS region_,
    if(c.account_opened IS NULL, NULL, toString(c.account_opened)) AS opened,
    if(c.account_opened IS NULL, NULL, dateDiff('day', assumeNotNull(c.account_opened), as_of) / 365.25) AS tenure_years,
    c.lifetime_value AS lifetime_value, c.revenue AS revenue, toString(c.status) AS status_,
    -- The high-value rule for this one customer (the same test as high-value.sql).
    ifNull(c.account_opened <= addMonths(as_of, -{hv_tenure_months:UInt16}), 0)
        AND s.recent >= {hv_min_monthly:Float64} * {hv_months:UInt16} AS high_value,
    s.n_interactions AS interactions, s.n_complaints AS complaints, s.csat AS csat, s.sentiment AS sentiment,
    s.last_at AS last_ts,
    k.score AS risk_score, k.reasons AS risk_reasons
FROM (SELECT * FROM customers FINAL WHERE customer_id = {id:String}) AS c
CROSS JOIN
(
    SELECT
        sum(interactions) AS n_interactions,
        sum(complaints) AS n_complaints,
        {{csat}} AS csat,
        {{sentiment}} AS sentiment,
        if(count() = 0, NULL, toString(max(last_ts))) AS last_at,
        sumIf(interactions, month > addMonths(toStartOfMonth(as_of), -{hv_months:UInt16}) AND month <= as_of) AS recent
    FROM customer_monthly
    WHERE customer_id = {id:String}
) AS s
LEFT JOIN
(
    SELECT customer_id, score, reasons FROM churn_scores FINAL WHERE customer_id = {id:String}
) AS k ON k.customer_id = c.customer_id
SETTINGS join_use_nulls = 1
