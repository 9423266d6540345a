-- Contact reasons: discovered from each deployment's own texts (ingest/enrichment/reasons), assigned
-- to every interaction at ingest, and a journey dimension: where a source gives no touchpoint, the
-- reason is the touchpoint and the reason's stage is the stage.
--
--   reason_models   the reason model of the deployment (one JSON document; the newest version wins)
--   reasons         the dictionary the queries read: name, stage, hidden, merged_into, phrases and
--                   examples per reason id. Edits (rename, merge, split, hide, stage) rewrite these rows
--                   and apply at query time: stored interactions keep their reason id.
--   interactions.reason_id  the assigned reason, read from attributes.reason_id (the enricher writes
--                   it there on both ingest paths and a re-score rewrites it, so no loader column list
--                   changes); '' before any reason was discovered.
--   reason_daily / reason_monthly  the journey roll-up with the reason and the source added to the key:
--                   what the Reasons page and the journey map read (the map resolves reason-touchpoints
--                   through the dictionary). Same measures as journey_daily ($schemas/metrics).
--   journey_steps.reason_id  so paths can show reason-touchpoints too.

CREATE TABLE IF NOT EXISTS reason_models {on_cluster}
(
    deployment  String,
    version     UInt64,
    model       String CODEC(ZSTD(3)),
    updated_at  DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(version)
ORDER BY deployment;

CREATE TABLE IF NOT EXISTS reasons {on_cluster}
(
    id           String,
    name         String,
    stage        LowCardinality(String),
    stage_guessed UInt8,
    hidden       UInt8,
    merged_into  String,
    kind         LowCardinality(String),
    phrases      Array(String),
    examples     Array(String),
    language     LowCardinality(String),
    size         UInt64,
    version      UInt64,
    updated_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

ALTER TABLE interactions {on_cluster} ADD COLUMN IF NOT EXISTS reason_id LowCardinality(String) MATERIALIZED attributes['reason_id'];

ALTER TABLE journey_steps {on_cluster} ADD COLUMN IF NOT EXISTS reason_id LowCardinality(String);

DROP VIEW IF EXISTS journey_steps_mv {on_cluster};

CREATE MATERIALIZED VIEW IF NOT EXISTS journey_steps_mv {on_cluster} TO journey_steps AS
SELECT xxHash32(customer_id) AS h, customer_id, toDateTime(ts, 'UTC') AS ts, stage, touchpoint, channel, segment, region, scenario, intent, reason_id
FROM interactions
WHERE customer_id != '';

CREATE TABLE IF NOT EXISTS reason_daily {on_cluster}
(
    day           Date,
    reason_id     LowCardinality(String),
    source        LowCardinality(String),
    channel       LowCardinality(String),
    stage         LowCardinality(String),
    touchpoint    LowCardinality(String),
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
ORDER BY (day, reason_id, source, channel, stage, touchpoint, segment, region, scenario, intent, tier);

CREATE TABLE IF NOT EXISTS reason_monthly {on_cluster} AS reason_daily
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, reason_id, source, channel, stage, touchpoint, segment, region, scenario, intent, tier);

CREATE MATERIALIZED VIEW IF NOT EXISTS reason_daily_mv {on_cluster} TO reason_daily AS
SELECT
    toDate(i.ts) AS day,
    i.reason_id AS reason_id,
    i.source AS source,
    i.channel AS channel,
    i.stage AS stage,
    i.touchpoint AS touchpoint,
    i.segment AS segment,
    i.region AS region,
    i.scenario AS scenario,
    i.intent AS intent,
    if(i.customer_id = '', '', i.tier) AS tier,
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
GROUP BY day, reason_id, source, channel, stage, touchpoint, segment, region, scenario, intent, tier;

CREATE MATERIALIZED VIEW IF NOT EXISTS reason_monthly_mv {on_cluster} TO reason_monthly AS
SELECT
    toStartOfMonth(day) AS day,
    reason_id, source, channel, stage, touchpoint, segment, region, scenario, intent, tier,
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
FROM reason_daily
GROUP BY day, reason_id, source, channel, stage, touchpoint, segment, region, scenario, intent, tier;

-- Backfill what was stored before the views existed (once: skipped when the roll-up has rows); the
-- monthly view follows.
INSERT INTO reason_daily
SELECT
    toDate(i.ts) AS day,
    i.reason_id AS reason_id,
    i.source AS source,
    i.channel AS channel,
    i.stage AS stage,
    i.touchpoint AS touchpoint,
    i.segment AS segment,
    i.region AS region,
    i.scenario AS scenario,
    i.intent AS intent,
    if(i.customer_id = '', '', i.tier) AS tier,
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
WHERE (SELECT count() FROM reason_daily) = 0
GROUP BY day, reason_id, source, channel, stage, touchpoint, segment, region, scenario, intent, tier;
