-- Customer portraits (segments, needs, churn signals) kept per data version and rules, so no
-- request recomputes them over customer_monthly and interactions. A refresh (at start-up, and when a
-- read finds the data or the rules changed) writes every part under one key — a hash of the data
-- version and the rules — then records the key in the `customers.portrait` setting; readers use the
-- rows only when that key is the one of the data they see. Built from the app, not a view: the
-- high-value set depends on the stored rules and on "now" (the last day with data).
--
--   customer_portrait_rows  the rows each portrait query answered, as JSON, with the month they
--                           belong to (1970-01-01 for answers without one) and their order.
--   customer_portrait_hv    the high-value customers under the rules, for the at-risk list.

CREATE TABLE IF NOT EXISTS customer_portrait_rows {{on_cluster}}
(
    key    String,
    part   LowCardinality(String),
    month  Date,
    seq    UInt32,
    row    String
)
ENGINE = MergeTree
ORDER BY (key, part, month, seq);

CREATE TABLE IF NOT EXISTS customer_portrait_hv {{on_cluster}}
(
    key          String,
    customer_id  String
)
ENGINE = MergeTree
ORDER BY (key, customer_id);
