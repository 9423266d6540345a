-- Churn-model features, one row per CRM customer, each AS OF A CUTOFF so the outcome cannot leak:
-- for a customer the CRM marks churned, behaviour up to {lead_days} days before the churn date;
-- for everyone else, behaviour up to the end of the data. Status and churn_date decide only the
-- label and the cutoff, never a feature; a customer whose status the CRM does not state (`known` 0) is
-- scored but never trained on. Reads customer_timeline (sorted by customer, ts).
WITH
    toDateTime64({as_of:Date}, 3, 'UTC') + INTERVAL 1 DAY AS end_ts,
    cut AS (
        SELECT customer_id,
               status = 'churned' AS churned,
               status IN ('active', 'churned') AS known,
               if(churned AND churn_date IS NOT NULL,
                  least(toDateTime64(assumeNotNull(churn_date), 3, 'UTC') - INTERVAL {lead_days:UInt16} DAY, end_ts),
                  end_ts) AS cutoff,
               account_opened, segment, tier, region, lifetime_value, revenue, attributes
        FROM customers FINAL
    )
SELECT
    c.customer_id AS customer_id,
    toUInt8(c.churned) AS churned,
    toUInt8(c.known) AS known,
    toString(c.segment) AS segment,
    toString(c.tier) AS tier,
    toString(c.region) AS region,
    c.attributes AS attributes,
    c.lifetime_value AS lifetime_value,
    c.revenue AS revenue,
    if(c.account_opened IS NULL, NULL, dateDiff('day', assumeNotNull(c.account_opened), toDate(c.cutoff)) / 365.25) AS tenure_years,
    b.n_total AS n_total,
    b.n90 AS n90,
    b.n_prev90 AS n_prev90,
    if(b.n_total = 0, NULL, dateDiff('day', b.last_ts, c.cutoff)) AS days_since_last,
    b.c90 AS c90,
    b.unres90 AS unres90,
    b.s90_sum AS s90_sum, b.s90_n AS s90_n, b.sprev_sum AS sprev_sum, b.sprev_n AS sprev_n,
    b.csat90_sum AS csat90_sum, b.csat90_n AS csat90_n,
    b.channels AS channels,
    r.max_same AS max_same,
    o.orders_365d AS orders_365d,
    o.spend_365d AS spend_365d,
    if(o.orders_total = 0, NULL, dateDiff('day', o.last_order, c.cutoff)) AS days_since_order
FROM cut AS c
LEFT JOIN
(
    SELECT t.customer_id AS customer_id,
           count() AS n_total,
           max(t.ts) AS last_ts,
           countIf(t.ts >= k.cutoff - INTERVAL 90 DAY) AS n90,
           countIf(t.ts < k.cutoff - INTERVAL 90 DAY AND t.ts >= k.cutoff - INTERVAL 180 DAY) AS n_prev90,
           countIf(t.is_complaint = 1 AND t.ts >= k.cutoff - INTERVAL 90 DAY) AS c90,
           countIf(t.outcome NOT IN ('', 'resolved') AND t.ts >= k.cutoff - INTERVAL 90 DAY) AS unres90,
           sumIf(ifNull(t.sentiment, 0), t.ts >= k.cutoff - INTERVAL 90 DAY) AS s90_sum,
           countIf(t.sentiment IS NOT NULL AND t.ts >= k.cutoff - INTERVAL 90 DAY) AS s90_n,
           sumIf(ifNull(t.sentiment, 0), t.ts < k.cutoff - INTERVAL 90 DAY AND t.ts >= k.cutoff - INTERVAL 180 DAY) AS sprev_sum,
           countIf(t.sentiment IS NOT NULL AND t.ts < k.cutoff - INTERVAL 90 DAY AND t.ts >= k.cutoff - INTERVAL 180 DAY) AS sprev_n,
           sumIf(ifNull(t.csat_10, 0), t.ts >= k.cutoff - INTERVAL 180 DAY) AS csat90_sum,
           countIf(t.csat_10 IS NOT NULL AND t.ts >= k.cutoff - INTERVAL 180 DAY) AS csat90_n,
           uniqExact(t.channel) AS channels
    FROM customer_timeline AS t
    INNER JOIN (SELECT customer_id, cutoff FROM cut) AS k ON k.customer_id = t.customer_id
    WHERE t.ts < k.cutoff
    GROUP BY t.customer_id
) AS b ON b.customer_id = c.customer_id
LEFT JOIN
(
    SELECT customer_id, max(n) AS max_same
    FROM
    (
        SELECT t.customer_id AS customer_id, t.intent, count() AS n
        FROM customer_timeline AS t
        INNER JOIN (SELECT customer_id, cutoff FROM cut) AS k ON k.customer_id = t.customer_id
        WHERE t.is_complaint = 1 AND t.ts < k.cutoff AND t.ts >= k.cutoff - INTERVAL 90 DAY
        GROUP BY t.customer_id, t.intent
    )
    GROUP BY customer_id
) AS r ON r.customer_id = c.customer_id
LEFT JOIN
(
    -- Spending as of the cutoff, from orders (the CRM's revenue is a trailing-12-month figure as of
    -- the export, which for a churned customer counts the months after they left: a leak).
    SELECT o.customer_id AS customer_id,
           count() AS orders_total,
           max(o.ts) AS last_order,
           countIf(o.ts >= k.cutoff - INTERVAL 365 DAY) AS orders_365d,
           sumIf(o.amount, o.ts >= k.cutoff - INTERVAL 365 DAY AND o.status NOT IN ('returned', 'cancelled')) AS spend_365d
    FROM orders AS o FINAL
    INNER JOIN (SELECT customer_id, cutoff FROM cut) AS k ON k.customer_id = o.customer_id
    WHERE o.ts < k.cutoff
    GROUP BY o.customer_id
) AS o ON o.customer_id = c.customer_id
ORDER BY customer_id
SETTINGS join_use_nulls = 0
