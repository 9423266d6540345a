-- Customers whose status the CRM states, one cell per combination of their attributes and how
-- their contacts went. Unresolved contacts as a share, not a count: a customer who left stops
-- calling, so counts shrink with leaving. Complaints as the most of one kind (intent) in one
-- month, 0..3 or more: repeated complaints are the warning sign, and leaving can only hide them,
-- never invent them. Tenure runs to the churn date for those who left. Reads customer_monthly.
WITH months AS (
    SELECT customer_id, month,
           sum(interactions) AS contacts,
           sum(unresolved) AS unresolved,
           sum(csat_sum) AS csat_sum,
           sum(csat_n) AS csat_n,
           sumMap(complaint_intents) AS ci
    FROM customer_monthly
    GROUP BY customer_id, month
),
per AS (
    SELECT customer_id,
           sum(contacts) AS contacts,
           max(if(empty(ci.2), 0, arrayMax(ci.2))) AS repeat,
           sum(unresolved) AS unresolved,
           sum(csat_sum) AS csat_sum,
           sum(csat_n) AS csat_n
    FROM months
    GROUP BY customer_id
)
SELECT
    toString(c.segment) AS segment,
    toString(c.tier) AS tier,
    toString(c.region) AS region,
    multiIf(c.account_opened IS NULL, '',
            dateDiff('day', assumeNotNull(c.account_opened), ifNull(c.churn_date, today())) < 365, '0',
            dateDiff('day', assumeNotNull(c.account_opened), ifNull(c.churn_date, today())) < 3 * 365, '1',
            dateDiff('day', assumeNotNull(c.account_opened), ifNull(c.churn_date, today())) < 5 * 365, '3', '5') AS tenure,
    multiIf(p.contacts = 0, '', toString(least(p.repeat, 3))) AS complaints,
    multiIf(p.contacts = 0, '', p.unresolved = 0, '0', p.unresolved / p.contacts < 0.2, '1',
            p.unresolved / p.contacts < 0.5, '2', '3') AS unresolved,
    multiIf(p.csat_n = 0, '', p.csat_sum / p.csat_n < 5, '0', p.csat_sum / p.csat_n < 7, '1',
            p.csat_sum / p.csat_n < 9, '2', '3') AS csat,
    count() AS n,
    countIf(c.status = 'churned') AS s,
    countIf(c.status = 'churned') AS q
FROM (SELECT customer_id, segment, tier, region, account_opened, churn_date, status FROM customers FINAL) AS c
LEFT JOIN per AS p ON p.customer_id = c.customer_id
WHERE c.status IN ('active', 'churned')
GROUP BY segment, tier, region, tenure, complaints, unresolved, csat
