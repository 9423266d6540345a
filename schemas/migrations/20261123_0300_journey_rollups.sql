-- Journey roll-ups: what journey.map, painPoints.* and journey.paths read instead of raw rows.
--
--   journey_daily   (day, stage, touchpoint, channel, segment, region, scenario, intent, tier)
--   journey_monthly the same at month grain, fed from journey_daily (views cascade), so a long range
--                   merges whole months plus the days at its edges (as kpi_daily/kpi_monthly do).
--   journey_steps   one narrow row per identified customer contact, sorted by a hash of the customer
--                   then time, sampled by that hash: paths read customer sequences in key order from
--                   a sample instead of sorting 10M raw rows per request.
--
-- Each cell carries what the severity model needs, every share with its own denominator because
-- sources differ in what they measure (social posts have no CSAT or outcome; sentiment may be absent):
--   complaints / interactions, csat_low / csat_n (CSAT ≤ 4 of 10, i.e. 1–2 on a 1–5 scale),
--   sent_neg / sent_n (sentiment < −0.25), unresolved / outcome_n (unresolved, escalated,
--   transferred or abandoned), repeats / repeat_n (a contact reopened: attributes.reopens > 0).
-- `tier` is the customer's value tier from the CRM at insert time ('' for anonymous contacts); the
-- "high-value" segment filter is a configurable list of tiers.

CREATE TABLE IF NOT EXISTS journey_daily {on_cluster}
(
    day           Date,
    stage         LowCardinality(String),
    touchpoint    LowCardinality(String),
    channel       LowCardinality(String),
    segment       LowCardinality(String),
    region        LowCardinality(String),
    scenario      LowCardinality(String),
    intent        LowCardinality(String),
    tier          LowCardinality(String),
    interactions  SimpleAggregateFunction(sum, UInt64),
    customers     AggregateFunction(uniqCombined(14), String),
    complaints    SimpleAggregateFunction(sum, UInt64),
    csat_sum      SimpleAggregateFunction(sum, Float64),
    csat_n        SimpleAggregateFunction(sum, UInt64),
    csat_low      SimpleAggregateFunction(sum, UInt64),
    sent_sum      SimpleAggregateFunction(sum, Float64),
    sent_n        SimpleAggregateFunction(sum, UInt64),
    sent_neg      SimpleAggregateFunction(sum, UInt64),
    fcr_sum       SimpleAggregateFunction(sum, UInt64),
    fcr_n         SimpleAggregateFunction(sum, UInt64),
    handle_sum    SimpleAggregateFunction(sum, Float64),
    handle_n      SimpleAggregateFunction(sum, UInt64),
    outcome_n     SimpleAggregateFunction(sum, UInt64),
    unresolved    SimpleAggregateFunction(sum, UInt64),
    repeat_n      SimpleAggregateFunction(sum, UInt64),
    repeats       SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, stage, touchpoint, channel, segment, region, scenario, intent, tier);

CREATE TABLE IF NOT EXISTS journey_monthly {on_cluster} AS journey_daily
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, stage, touchpoint, channel, segment, region, scenario, intent, tier);

-- TRICKY: the customer's tier is looked up when the interaction is inserted (the CRM is loaded
-- first); the right side is one small row per customer.
CREATE MATERIALIZED VIEW IF NOT EXISTS journey_daily_mv {on_cluster} TO journey_daily AS
SELECT
    toDate(i.ts) AS day,
    i.stage AS stage,
    i.touchpoint AS touchpoint,
    i.channel AS channel,
    i.segment AS segment,
    i.region AS region,
    i.scenario AS scenario,
    i.intent AS intent,
    if(i.customer_id = '', '', c.tier) AS tier,
    count() AS interactions,
    uniqCombinedStateIf(14)(i.customer_id, i.customer_id != '') AS customers,
    countIf(i.is_complaint = 1) AS complaints,
    sum(assumeNotNull(toFloat64(ifNull(i.csat_10, 0)))) AS csat_sum,
    count(i.csat_10) AS csat_n,
    countIf(ifNull(i.csat_10, 10) <= 4) AS csat_low,
    sum(assumeNotNull(toFloat64(ifNull(i.sentiment, 0)))) AS sent_sum,
    count(i.sentiment) AS sent_n,
    countIf(ifNull(i.sentiment, 0) < -0.25) AS sent_neg,
    sum(assumeNotNull(toUInt64(ifNull(i.fcr, 0)))) AS fcr_sum,
    count(i.fcr) AS fcr_n,
    sum(assumeNotNull(toFloat64(ifNull(i.handle_s, 0)))) AS handle_sum,
    count(i.handle_s) AS handle_n,
    countIf(i.outcome != '') AS outcome_n,
    countIf(i.outcome IN ('unresolved', 'escalated', 'transferred', 'abandoned')) AS unresolved,
    countIf(mapContains(i.attributes, 'reopens')) AS repeat_n,
    countIf(toUInt32OrZero(i.attributes['reopens']) > 0) AS repeats
FROM interactions AS i
LEFT JOIN (SELECT customer_id, argMax(tier, updated_at) AS tier FROM customers GROUP BY customer_id) AS c
    ON i.customer_id = c.customer_id
GROUP BY day, stage, touchpoint, channel, segment, region, scenario, intent, tier;

CREATE MATERIALIZED VIEW IF NOT EXISTS journey_monthly_mv {on_cluster} TO journey_monthly AS
SELECT
    toStartOfMonth(day) AS day,
    stage, touchpoint, channel, segment, region, scenario, intent, tier,
    sum(interactions) AS interactions,
    uniqCombinedMergeState(14)(customers) AS customers,
    sum(complaints) AS complaints,
    sum(csat_sum) AS csat_sum,
    sum(csat_n) AS csat_n,
    sum(csat_low) AS csat_low,
    sum(sent_sum) AS sent_sum,
    sum(sent_n) AS sent_n,
    sum(sent_neg) AS sent_neg,
    sum(fcr_sum) AS fcr_sum,
    sum(fcr_n) AS fcr_n,
    sum(handle_sum) AS handle_sum,
    sum(handle_n) AS handle_n,
    sum(outcome_n) AS outcome_n,
    sum(unresolved) AS unresolved,
    sum(repeat_n) AS repeat_n,
    sum(repeats) AS repeats
FROM journey_daily
GROUP BY day, stage, touchpoint, channel, segment, region, scenario, intent, tier;

CREATE TABLE IF NOT EXISTS journey_steps {on_cluster}
(
    h           UInt32,
    customer_id String,
    ts          DateTime('UTC'),
    stage       LowCardinality(String),
    touchpoint  LowCardinality(String),
    channel     LowCardinality(String),
    segment     LowCardinality(String),
    region      LowCardinality(String),
    scenario    LowCardinality(String),
    intent      LowCardinality(String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (h, customer_id, ts)
SAMPLE BY h;

CREATE MATERIALIZED VIEW IF NOT EXISTS journey_steps_mv {on_cluster} TO journey_steps AS
SELECT xxHash32(customer_id) AS h, customer_id, toDateTime(ts, 'UTC') AS ts, stage, touchpoint, channel, segment, region, scenario, intent
FROM interactions
WHERE customer_id != '';

-- Backfill what was stored before the views existed (once: skipped when the roll-up has rows).
INSERT INTO journey_daily
SELECT
    toDate(i.ts) AS day,
    i.stage AS stage,
    i.touchpoint AS touchpoint,
    i.channel AS channel,
    i.segment AS segment,
    i.region AS region,
    i.scenario AS scenario,
    i.intent AS intent,
    if(i.customer_id = '', '', c.tier) AS tier,
    count() AS interactions,
    uniqCombinedStateIf(14)(i.customer_id, i.customer_id != '') AS customers,
    countIf(i.is_complaint = 1) AS complaints,
    sum(assumeNotNull(toFloat64(ifNull(i.csat_10, 0)))) AS csat_sum,
    count(i.csat_10) AS csat_n,
    countIf(ifNull(i.csat_10, 10) <= 4) AS csat_low,
    sum(assumeNotNull(toFloat64(ifNull(i.sentiment, 0)))) AS sent_sum,
    count(i.sentiment) AS sent_n,
    countIf(ifNull(i.sentiment, 0) < -0.25) AS sent_neg,
    sum(assumeNotNull(toUInt64(ifNull(i.fcr, 0)))) AS fcr_sum,
    count(i.fcr) AS fcr_n,
    sum(assumeNotNull(toFloat64(ifNull(i.handle_s, 0)))) AS handle_sum,
    count(i.handle_s) AS handle_n,
    countIf(i.outcome != '') AS outcome_n,
    countIf(i.outcome IN ('unresolved', 'escalated', 'transferred', 'abandoned')) AS unresolved,
    countIf(mapContains(i.attributes, 'reopens')) AS repeat_n,
    countIf(toUInt32OrZero(i.attributes['reopens']) > 0) AS repeats
FROM interactions AS i
LEFT JOIN (SELECT customer_id, argMax(tier, updated_at) AS tier FROM customers GROUP BY customer_id) AS c
    ON i.customer_id = c.customer_id
WHERE (SELECT count() FROM journey_daily) = 0
GROUP BY day, stage, touchpoint, channel, segment, region, scenario, intent, tier;

INSERT INTO journey_steps
SELECT xxHash32(customer_id) AS h, customer_id, toDateTime(ts, 'UTC') AS ts, stage, touchpoint, channel, segment, region, scenario, intent
FROM interactions
WHERE customer_id != '' AND (SELECT count() FROM journey_steps) = 0;
