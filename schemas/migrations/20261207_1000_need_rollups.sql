-- Needs by scenario from intents and contact reasons. A contact's need is its intent where the text
-- has one, else its contact reason (resolved through the `reasons` dictionary when a query runs, so
-- a rename, merge, hide or re-stage applies at once); its scenario is the row's, else the one of the
-- reason's stage. Both roll-ups keep scenario, intent and reason id apart so the query decides.
--
--   need_monthly           every contact, with or without a customer (tickets and social posts
--                          carry most of the texts without an intent): the "all" side.
--   customer_need_monthly  per known customer, sorted by customer first so a segment (an IN-set of
--                          customers) reads only its own granules: the high-value side.

CREATE TABLE IF NOT EXISTS need_monthly {on_cluster}
(
    month         Date,
    scenario      LowCardinality(String),
    intent        LowCardinality(String),
    reason_id     LowCardinality(String),
    interactions  SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (month, scenario, intent, reason_id);

CREATE TABLE IF NOT EXISTS customer_need_monthly {on_cluster}
(
    customer_id   String,
    month         Date,
    scenario      LowCardinality(String),
    intent        LowCardinality(String),
    reason_id     LowCardinality(String),
    interactions  SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(month)
ORDER BY (customer_id, month, scenario, intent, reason_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS need_monthly_mv {on_cluster} TO need_monthly AS
SELECT toStartOfMonth(ts) AS month, scenario, intent, reason_id, count() AS interactions
FROM interactions
GROUP BY month, scenario, intent, reason_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS customer_need_monthly_mv {on_cluster} TO customer_need_monthly AS
SELECT customer_id, toStartOfMonth(ts) AS month, scenario, intent, reason_id, count() AS interactions
FROM interactions
WHERE customer_id != ''
GROUP BY customer_id, month, scenario, intent, reason_id;

-- Backfill what was stored before the views existed (once: skipped when the roll-up has rows).
INSERT INTO need_monthly
SELECT toStartOfMonth(ts) AS month, scenario, intent, reason_id, count() AS interactions
FROM interactions
WHERE (SELECT count() FROM need_monthly) = 0
GROUP BY month, scenario, intent, reason_id;

INSERT INTO customer_need_monthly
SELECT customer_id, toStartOfMonth(ts) AS month, scenario, intent, reason_id, count() AS interactions
FROM interactions
WHERE customer_id != '' AND (SELECT count() FROM customer_need_monthly) = 0
GROUP BY customer_id, month, scenario, intent, reason_id;
