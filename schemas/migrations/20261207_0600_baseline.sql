-- The schema as the migrations it replaces leave it, in one file: a new database runs this; a
-- database that has every replaced version recorded records this one without running it (see
-- docs/decisions/migration-baseline.md). Later changes go into new files that sort after this one.
-- replaces: 20261122_0001_core
-- replaces: 20261122_0002_kpi_rollups
-- replaces: 20261123_0300_journey_rollups
-- replaces: 20261123_0310_journey_customers
-- replaces: 20261123_0400_customer_rollups
-- replaces: 20261123_0500_kpi_hourly
-- replaces: 20261123_0600_ingest_service
-- replaces: 20261123_0800_auth
-- replaces: 20261123_0910_ingest_leases
-- replaces: 20261123_1000_compact_insert_parts
-- replaces: 20261124_0100_interaction_tier
-- replaces: 20261124_0200_kpi_hourly_preaggregated
-- replaces: 20261124_0300_timeline_text_by_character
-- replaces: 20261124_0400_customer_monthly_map_sums
-- replaces: 20261207_0100_reasons
-- replaces: 20261207_0200_ingest_run_reasons
-- replaces: 20261207_0410_churn_scores_nullable_quiet
-- replaces: 20261207_0500_reason_reach
-- replaced files last shipped in: commit 004a651
--
-- Measures of the roll-ups are defined in schemas/metrics.ts; tests/integration/migrations.test.ts
-- fails when a table or view here drifts from those definitions.

-- ---------------------------------------------------------------------------------------------
-- Canonical tables. Ingest writes these; dashboards read the roll-ups below.

-- One row per customer after merges; readers use FINAL or argMax where it matters.
CREATE TABLE IF NOT EXISTS customers {{on_cluster}}
(
    customer_id     String,
    source          LowCardinality(String),
    name            String,
    email           String,
    phone           String,
    segment         LowCardinality(String),
    tier            LowCardinality(String),
    region          LowCardinality(String),
    account_opened  Nullable(Date),
    lifetime_value  Float64,
    revenue         Float64,
    status          LowCardinality(String),
    churn_date      Nullable(Date),
    attributes      Map(String, String),
    ingest_run_id   String,
    updated_at      DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY customer_id;

-- Sorted by (stage, touchpoint, ts): drill-downs read one touchpoint's rows over a time range.
-- `tier` is the customer's value tier, filled by the loader from the CRM ('' for anonymous
-- contacts). `reason_id` is the contact reason the enricher writes into attributes on both ingest
-- paths ('' before any reason was discovered).
-- Parts written by an insert stay Compact (one data file) up to 256 MiB: a load writes one part
-- per month per block, and Wide parts (a file per column) made writing them most of an insert's CPU.
CREATE TABLE IF NOT EXISTS interactions {{on_cluster}}
(
    interaction_id    String,
    source            LowCardinality(String),
    source_id         String,
    customer_id       String,
    ts                DateTime64(3, 'UTC'),
    channel           LowCardinality(String),
    stage             LowCardinality(String),
    touchpoint        LowCardinality(String),
    scenario          LowCardinality(String),
    intent            LowCardinality(String),
    is_complaint      UInt8,
    outcome           LowCardinality(String),
    fcr               Nullable(UInt8),
    wait_s            Nullable(Float32),
    handle_s          Nullable(Float32),
    first_response_s  Nullable(Float32),
    csat              Nullable(Float32),
    csat_scale_min    Float32,
    csat_scale_max    Float32,
    csat_10           Nullable(Float32),
    nps               Nullable(UInt8),
    sentiment         Nullable(Float32),
    language          LowCardinality(String),
    text              String CODEC(ZSTD(3)),
    agent             LowCardinality(String),
    team              LowCardinality(String),
    region            LowCardinality(String),
    product           LowCardinality(String),
    segment           LowCardinality(String),
    tier              LowCardinality(String),
    attributes        Map(String, String),
    ingest_run_id     String,
    ingested_at       DateTime64(3, 'UTC') DEFAULT now64(3),
    reason_id         LowCardinality(String) MATERIALIZED attributes['reason_id'],
    INDEX idx_customer customer_id TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (stage, touchpoint, ts)
SETTINGS index_granularity = 8192, min_bytes_for_wide_part = 268435456;

-- Keys of stored interactions, sorted by key. Re-ingest asks "which of this batch's keys are
-- stored?" here: the primary index answers from a few granules, where the same question on
-- `interactions` (sorted for drill-downs) would read the whole key column for every batch. Filled
-- by a view, so a key exists exactly when its row was written.
CREATE TABLE IF NOT EXISTS interaction_keys {{on_cluster}}
(
    interaction_id  String
)
ENGINE = ReplacingMergeTree
ORDER BY interaction_id
SETTINGS index_granularity = 8192, min_bytes_for_wide_part = 268435456;

CREATE MATERIALIZED VIEW IF NOT EXISTS interaction_keys_mv {{on_cluster}} TO interaction_keys AS
SELECT interaction_id FROM interactions;

CREATE TABLE IF NOT EXISTS orders {{on_cluster}}
(
    order_id       String,
    source         LowCardinality(String),
    customer_id    String,
    ts             DateTime64(3, 'UTC'),
    amount         Float64,
    currency       LowCardinality(String),
    status         LowCardinality(String),
    channel        LowCardinality(String),
    items          UInt32,
    product        LowCardinality(String),
    attributes     Map(String, String),
    ingest_run_id  String,
    ingested_at    DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
ORDER BY (customer_id, order_id);

-- Nothing is lost: a record that fails mapping or validation lands here with its raw payload.
CREATE TABLE IF NOT EXISTS quarantine {{on_cluster}}
(
    run_id       String,
    source       LowCardinality(String),
    file         String,
    line         UInt64,
    raw          String CODEC(ZSTD(3)),
    reason       String,
    at           DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
ORDER BY (source, at);

-- `top_reasons`: what the run refused most, a JSON array of { reason, count, example }
-- (ingest/loading/quarantine.ts), so a user sees why without opening quarantine.
CREATE TABLE IF NOT EXISTS ingest_runs {{on_cluster}}
(
    run_id       String,
    source       LowCardinality(String),
    file         String,
    entity       LowCardinality(String),
    started_at   DateTime64(3, 'UTC'),
    finished_at  DateTime64(3, 'UTC'),
    status       LowCardinality(String),
    accepted     UInt64,
    rejected     UInt64,
    duplicates   UInt64,
    seconds      Float64,
    error        String,
    top_reasons  String DEFAULT ''
)
ENGINE = ReplacingMergeTree(finished_at)
ORDER BY (run_id);

CREATE TABLE IF NOT EXISTS ingest_state {{on_cluster}}
(
    source      String,
    cursor      String,
    updated_at  DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY source;

CREATE TABLE IF NOT EXISTS settings {{on_cluster}}
(
    key         String,
    value       String,
    updated_at  DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY key;

-- ---------------------------------------------------------------------------------------------
-- KPI roll-ups, filled by materialised views on every insert into `interactions`:
--   kpi_daily   (day, channel, segment)   day/week trends and the partial months at a range's edges
--   kpi_monthly (month, channel, segment) whole months of a range; fed from kpi_daily (views cascade)
-- Distinct customers are uniqCombined(14) states: they merge across buckets far more cheaply than
-- `uniq` states and stay within a few percent of the exact count. Anonymous contacts
-- (customer_id = '') are not customers.

CREATE TABLE IF NOT EXISTS kpi_daily {{on_cluster}}
(
    day               Date,
    channel           LowCardinality(String),
    segment           LowCardinality(String),
    interactions      SimpleAggregateFunction(sum, UInt64),
    customers         AggregateFunction(uniqCombined(14), String),
    csat_sum          SimpleAggregateFunction(sum, Float64),
    csat_n            SimpleAggregateFunction(sum, UInt64),
    fcr_sum           SimpleAggregateFunction(sum, UInt64),
    fcr_n             SimpleAggregateFunction(sum, UInt64),
    handle_sum        SimpleAggregateFunction(sum, Float64),
    handle_n          SimpleAggregateFunction(sum, UInt64),
    first_resp_sum    SimpleAggregateFunction(sum, Float64),
    first_resp_n      SimpleAggregateFunction(sum, UInt64),
    complaints        SimpleAggregateFunction(sum, UInt64),
    sentiment_sum     SimpleAggregateFunction(sum, Float64),
    sentiment_n       SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, channel, segment);

-- `day` is the month's first day.
CREATE TABLE IF NOT EXISTS kpi_monthly {{on_cluster}} AS kpi_daily
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, channel, segment);

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_daily_mv {{on_cluster}} TO kpi_daily AS
SELECT
    toDate(ts) AS day,
    channel,
    segment,
    count() AS interactions,
    uniqCombinedStateIf(14)(customer_id, customer_id != '') AS customers,
    sum(assumeNotNull(toFloat64(ifNull(csat_10, 0)))) AS csat_sum,
    count(csat_10) AS csat_n,
    sum(assumeNotNull(toUInt64(ifNull(fcr, 0)))) AS fcr_sum,
    count(fcr) AS fcr_n,
    sum(assumeNotNull(toFloat64(ifNull(handle_s, 0)))) AS handle_sum,
    count(handle_s) AS handle_n,
    sum(assumeNotNull(toFloat64(ifNull(first_response_s, 0)))) AS first_resp_sum,
    count(first_response_s) AS first_resp_n,
    countIf(is_complaint = 1) AS complaints,
    sum(assumeNotNull(toFloat64(ifNull(sentiment, 0)))) AS sentiment_sum,
    count(sentiment) AS sentiment_n
FROM interactions
GROUP BY day, channel, segment;

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_monthly_mv {{on_cluster}} TO kpi_monthly AS
SELECT
    toStartOfMonth(day) AS day,
    channel,
    segment,
    sum(interactions) AS interactions,
    uniqCombinedMergeState(14)(customers) AS customers,
    sum(csat_sum) AS csat_sum,
    sum(csat_n) AS csat_n,
    sum(fcr_sum) AS fcr_sum,
    sum(fcr_n) AS fcr_n,
    sum(handle_sum) AS handle_sum,
    sum(handle_n) AS handle_n,
    sum(first_resp_sum) AS first_resp_sum,
    sum(first_resp_n) AS first_resp_n,
    sum(complaints) AS complaints,
    sum(sentiment_sum) AS sentiment_sum,
    sum(sentiment_n) AS sentiment_n
FROM kpi_daily
GROUP BY day, channel, segment;

-- ---------------------------------------------------------------------------------------------
-- Journey roll-ups: what journey.map, painPoints.* and journey.paths read instead of raw rows.
--   journey_daily   (day, stage, touchpoint, channel, segment, region, scenario, intent, tier)
--   journey_monthly the same at month grain, fed from journey_daily (views cascade)
--   journey_steps   one narrow row per identified customer contact, sorted by a hash of the customer
--                   then time, sampled by that hash: paths read customer sequences in key order from
--                   a sample instead of sorting raw rows per request.
-- Every share carries its own denominator because sources differ in what they measure (social
-- posts have no CSAT or outcome; sentiment may be absent).

CREATE TABLE IF NOT EXISTS journey_daily {{on_cluster}}
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

CREATE TABLE IF NOT EXISTS journey_monthly {{on_cluster}} AS journey_daily
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, stage, touchpoint, channel, segment, region, scenario, intent, tier);

CREATE MATERIALIZED VIEW IF NOT EXISTS journey_daily_mv {{on_cluster}} TO journey_daily AS
SELECT
    toDate(i.ts) AS day,
    i.stage AS stage,
    i.touchpoint AS touchpoint,
    i.channel AS channel,
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
GROUP BY day, stage, touchpoint, channel, segment, region, scenario, intent, tier;

CREATE MATERIALIZED VIEW IF NOT EXISTS journey_monthly_mv {{on_cluster}} TO journey_monthly AS
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

CREATE TABLE IF NOT EXISTS journey_steps {{on_cluster}}
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
    intent      LowCardinality(String),
    reason_id   LowCardinality(String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (h, customer_id, ts)
SAMPLE BY h
SETTINGS index_granularity = 8192, min_bytes_for_wide_part = 268435456;

CREATE MATERIALIZED VIEW IF NOT EXISTS journey_steps_mv {{on_cluster}} TO journey_steps AS
SELECT xxHash32(customer_id) AS h, customer_id, toDateTime(ts, 'UTC') AS ts, stage, touchpoint, channel, segment, region, scenario, intent, reason_id
FROM interactions
WHERE customer_id != '';

-- Distinct customers per journey cell at a coarse grain (day, stage, touchpoint, channel, tier), at
-- day, week and month buckets: merging uniqCombined states is what costs in journey.map, and the
-- fine roll-up has almost one daily row per interaction. A range is read as whole months + whole
-- weeks + the remaining days. Fed from journey_daily, which already carries the tier.
CREATE TABLE IF NOT EXISTS journey_customers_daily {{on_cluster}}
(
    day         Date,
    stage       LowCardinality(String),
    touchpoint  LowCardinality(String),
    channel     LowCardinality(String),
    tier        LowCardinality(String),
    customers   AggregateFunction(uniqCombined(14), String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, stage, touchpoint, channel, tier);

CREATE TABLE IF NOT EXISTS journey_customers_monthly {{on_cluster}} AS journey_customers_daily
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, stage, touchpoint, channel, tier);

-- `day` is the week's Monday.
CREATE TABLE IF NOT EXISTS journey_customers_weekly {{on_cluster}} AS journey_customers_daily
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, stage, touchpoint, channel, tier);

CREATE MATERIALIZED VIEW IF NOT EXISTS journey_customers_daily_mv {{on_cluster}} TO journey_customers_daily AS
SELECT day, stage, touchpoint, channel, tier, uniqCombinedMergeState(14)(customers) AS customers
FROM journey_daily
GROUP BY day, stage, touchpoint, channel, tier;

CREATE MATERIALIZED VIEW IF NOT EXISTS journey_customers_monthly_mv {{on_cluster}} TO journey_customers_monthly AS
SELECT toStartOfMonth(day) AS day, stage, touchpoint, channel, tier, uniqCombinedMergeState(14)(customers) AS customers
FROM journey_customers_daily
GROUP BY day, stage, touchpoint, channel, tier;

CREATE MATERIALIZED VIEW IF NOT EXISTS journey_customers_weekly_mv {{on_cluster}} TO journey_customers_weekly AS
SELECT toMonday(day) AS day, stage, touchpoint, channel, tier, uniqCombinedMergeState(14)(customers) AS customers
FROM journey_customers_daily
GROUP BY day, stage, touchpoint, channel, tier;

-- ---------------------------------------------------------------------------------------------
-- Customer profiles.
-- customer_monthly (customer, month): what the high-value rule, the segment portrait, needs by
-- scenario and the churn signals read. Sorted by customer first, so a segment (an IN-set of
-- customers) reads only its own granules. The maps count by channel, stage, need
-- ("scenario|intent") and complaint intent; the view sums one-entry maps (`sumMap(map(k, 1))`),
-- written as the (keys, values) pair the table stores.

CREATE TABLE IF NOT EXISTS customer_monthly {{on_cluster}}
(
    customer_id       String,
    month             Date,
    interactions      SimpleAggregateFunction(sum, UInt64),
    complaints        SimpleAggregateFunction(sum, UInt64),
    unresolved        SimpleAggregateFunction(sum, UInt64),
    csat_sum          SimpleAggregateFunction(sum, Float64),
    csat_n            SimpleAggregateFunction(sum, UInt64),
    sentiment_sum     SimpleAggregateFunction(sum, Float64),
    sentiment_n       SimpleAggregateFunction(sum, UInt64),
    last_ts           SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    channels          SimpleAggregateFunction(sumMap, Tuple(Array(String), Array(UInt64))),
    stages            SimpleAggregateFunction(sumMap, Tuple(Array(String), Array(UInt64))),
    needs             SimpleAggregateFunction(sumMap, Tuple(Array(String), Array(UInt64))),
    complaint_intents SimpleAggregateFunction(sumMap, Tuple(Array(String), Array(UInt64)))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(month)
ORDER BY (customer_id, month);

CREATE MATERIALIZED VIEW IF NOT EXISTS customer_monthly_mv {{on_cluster}} TO customer_monthly AS
SELECT
    customer_id, month, interactions, complaints, unresolved, csat_sum, csat_n, sentiment_sum, sentiment_n, last_ts,
    (mapKeys(by_channel), mapValues(by_channel)) AS channels,
    (mapKeys(by_stage), mapValues(by_stage)) AS stages,
    (mapKeys(by_need), mapValues(by_need)) AS needs,
    (mapKeys(by_complaint_intent), mapValues(by_complaint_intent)) AS complaint_intents
FROM (
    SELECT
        customer_id,
        toStartOfMonth(ts) AS month,
        count() AS interactions,
        countIf(is_complaint = 1) AS complaints,
        countIf(outcome NOT IN ('', 'resolved')) AS unresolved,
        sum(assumeNotNull(toFloat64(ifNull(csat_10, 0)))) AS csat_sum,
        count(csat_10) AS csat_n,
        sum(assumeNotNull(toFloat64(ifNull(sentiment, 0)))) AS sentiment_sum,
        count(sentiment) AS sentiment_n,
        max(ts) AS last_ts,
        sumMap(map(toString(channel), toUInt64(1))) AS by_channel,
        sumMap(map(toString(stage), toUInt64(1))) AS by_stage,
        sumMap(map(concat(toString(scenario), '|', toString(intent)), toUInt64(1))) AS by_need,
        sumMapIf(map(toString(intent), toUInt64(1)), is_complaint = 1) AS by_complaint_intent
    FROM interactions
    WHERE customer_id != ''
    GROUP BY customer_id, month
);

-- Contact mix of all known customers per (month, channel, stage, scenario, intent): the "everyone"
-- side of the segment portrait and of needs by scenario, without reading per-customer rows.
CREATE TABLE IF NOT EXISTS contact_mix_monthly {{on_cluster}}
(
    month          Date,
    channel        LowCardinality(String),
    stage          LowCardinality(String),
    scenario       LowCardinality(String),
    intent         LowCardinality(String),
    interactions   SimpleAggregateFunction(sum, UInt64),
    complaints     SimpleAggregateFunction(sum, UInt64),
    unresolved     SimpleAggregateFunction(sum, UInt64),
    csat_sum       SimpleAggregateFunction(sum, Float64),
    csat_n         SimpleAggregateFunction(sum, UInt64),
    sentiment_sum  SimpleAggregateFunction(sum, Float64),
    sentiment_n    SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (month, channel, stage, scenario, intent);

CREATE MATERIALIZED VIEW IF NOT EXISTS contact_mix_monthly_mv {{on_cluster}} TO contact_mix_monthly AS
SELECT toStartOfMonth(ts) AS month, channel, stage, scenario, intent,
       count() AS interactions,
       countIf(is_complaint = 1) AS complaints,
       countIf(outcome NOT IN ('', 'resolved')) AS unresolved,
       sum(assumeNotNull(toFloat64(ifNull(csat_10, 0)))) AS csat_sum,
       count(csat_10) AS csat_n,
       sum(assumeNotNull(toFloat64(ifNull(sentiment, 0)))) AS sentiment_sum,
       count(sentiment) AS sentiment_n
FROM interactions
WHERE customer_id != ''
GROUP BY month, channel, stage, scenario, intent;

-- The customer 360 timeline, sorted by (customer, ts): one customer's history is a primary-key
-- range. Keeps the first 2,000 characters of each text (substringUTF8: a byte cut would split
-- characters of non-Latin texts).
CREATE TABLE IF NOT EXISTS customer_timeline {{on_cluster}}
(
    customer_id     String,
    ts              DateTime64(3, 'UTC'),
    interaction_id  String,
    source          LowCardinality(String),
    channel         LowCardinality(String),
    stage           LowCardinality(String),
    touchpoint      LowCardinality(String),
    scenario        LowCardinality(String),
    intent          LowCardinality(String),
    is_complaint    UInt8,
    outcome         LowCardinality(String),
    csat_10         Nullable(Float32),
    sentiment       Nullable(Float32),
    text            String CODEC(ZSTD(3))
)
ENGINE = MergeTree
ORDER BY (customer_id, ts)
SETTINGS index_granularity = 8192, min_bytes_for_wide_part = 268435456;

CREATE MATERIALIZED VIEW IF NOT EXISTS customer_timeline_mv {{on_cluster}} TO customer_timeline AS
SELECT customer_id, ts, interaction_id, source, channel, stage, touchpoint, scenario, intent,
       is_complaint, outcome, csat_10, sentiment, substringUTF8(text, 1, 2000) AS text
FROM interactions
WHERE customer_id != '';

-- Churn-risk scores, replaced as a whole by each refresh (src/lib/server/churn/refresh.ts).
-- `reasons` is JSON: the model's top contributing features for this customer. `days_since_last` is
-- NULL for a customer with no contact on record.
CREATE TABLE IF NOT EXISTS churn_scores {{on_cluster}}
(
    customer_id     String,
    score           Float32,
    value           Float64,
    segment         LowCardinality(String),
    tier            LowCardinality(String),
    region          LowCardinality(String),
    days_since_last Nullable(UInt32),
    complaints_90d  UInt32,
    repeat_complaints UInt32,
    unresolved_90d  UInt32,
    sentiment_delta Nullable(Float32),
    reasons         String,
    refreshed_at    DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(refreshed_at)
ORDER BY customer_id;

-- ---------------------------------------------------------------------------------------------
-- KPI roll-up for trends, forecasts and the ROI dashboard, keyed by UTC *hour* so a query turns
-- hours into days/weeks/months in any time zone with whole-hour offsets. Each breakdown kind
-- ("all", channel, team, segment, stage) has its own rows ((dim, value, hour) is the sort key), so
-- the table grows with hours × distinct values, not their cross product; a breakdown therefore
-- cannot be combined with a filter on another dimension. The view aggregates a block by (hour,
-- channel, team, segment, stage) first and fans those sums out five ways.
-- % satisfied: CSAT (0–10) at or above 7.5. Abandonment: contacts that queued (wait time known) and
-- were abandoned. NPS: promoters (9–10) minus detractors (0–6) over answers.

CREATE TABLE IF NOT EXISTS kpi_hourly {{on_cluster}}
(
    dim               LowCardinality(String),
    value             LowCardinality(String),
    hour              DateTime('UTC'),
    interactions      SimpleAggregateFunction(sum, UInt64),
    csat_sum          SimpleAggregateFunction(sum, Float64),
    csat_n            SimpleAggregateFunction(sum, UInt64),
    satisfied         SimpleAggregateFunction(sum, UInt64),
    fcr_sum           SimpleAggregateFunction(sum, UInt64),
    fcr_n             SimpleAggregateFunction(sum, UInt64),
    handle_sum        SimpleAggregateFunction(sum, Float64),
    handle_n          SimpleAggregateFunction(sum, UInt64),
    first_resp_sum    SimpleAggregateFunction(sum, Float64),
    first_resp_n      SimpleAggregateFunction(sum, UInt64),
    wait_sum          SimpleAggregateFunction(sum, Float64),
    wait_n            SimpleAggregateFunction(sum, UInt64),
    abandoned         SimpleAggregateFunction(sum, UInt64),
    complaints        SimpleAggregateFunction(sum, UInt64),
    sentiment_sum     SimpleAggregateFunction(sum, Float64),
    sentiment_n       SimpleAggregateFunction(sum, UInt64),
    promoters         SimpleAggregateFunction(sum, UInt64),
    detractors        SimpleAggregateFunction(sum, UInt64),
    nps_n             SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(hour)
ORDER BY (dim, value, hour);

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_hourly_mv {{on_cluster}} TO kpi_hourly AS
SELECT
    d.1 AS dim,
    d.2 AS value,
    hour,
    sum(interactions) AS interactions,
    sum(csat_sum) AS csat_sum,
    sum(csat_n) AS csat_n,
    sum(satisfied) AS satisfied,
    sum(fcr_sum) AS fcr_sum,
    sum(fcr_n) AS fcr_n,
    sum(handle_sum) AS handle_sum,
    sum(handle_n) AS handle_n,
    sum(first_resp_sum) AS first_resp_sum,
    sum(first_resp_n) AS first_resp_n,
    sum(wait_sum) AS wait_sum,
    sum(wait_n) AS wait_n,
    sum(abandoned) AS abandoned,
    sum(complaints) AS complaints,
    sum(sentiment_sum) AS sentiment_sum,
    sum(sentiment_n) AS sentiment_n,
    sum(promoters) AS promoters,
    sum(detractors) AS detractors,
    sum(nps_n) AS nps_n
FROM (
    SELECT
        toStartOfHour(toDateTime(ts, 'UTC')) AS hour,
        channel,
        team,
        segment,
        stage,
        count() AS interactions,
        sum(assumeNotNull(toFloat64(ifNull(csat_10, 0)))) AS csat_sum,
        count(csat_10) AS csat_n,
        countIf(csat_10 >= 7.5) AS satisfied,
        sum(assumeNotNull(toUInt64(ifNull(fcr, 0)))) AS fcr_sum,
        count(fcr) AS fcr_n,
        sum(assumeNotNull(toFloat64(ifNull(handle_s, 0)))) AS handle_sum,
        count(handle_s) AS handle_n,
        sum(assumeNotNull(toFloat64(ifNull(first_response_s, 0)))) AS first_resp_sum,
        count(first_response_s) AS first_resp_n,
        sum(assumeNotNull(toFloat64(ifNull(wait_s, 0)))) AS wait_sum,
        count(wait_s) AS wait_n,
        countIf(outcome = 'abandoned' AND wait_s IS NOT NULL) AS abandoned,
        countIf(is_complaint = 1) AS complaints,
        sum(assumeNotNull(toFloat64(ifNull(sentiment, 0)))) AS sentiment_sum,
        count(sentiment) AS sentiment_n,
        countIf(nps >= 9) AS promoters,
        countIf(nps <= 6) AS detractors,
        count(nps) AS nps_n
    FROM interactions
    GROUP BY hour, channel, team, segment, stage
)
ARRAY JOIN [('all', ''), ('channel', channel), ('team', team), ('segment', segment), ('stage', stage)] AS d
GROUP BY dim, value, hour;

-- ---------------------------------------------------------------------------------------------
-- The ingest service's own state: per-source status beside the cursors in `ingest_state`, and
-- identity resolution (links of identifiers to customers and the merges that produced them, so
-- every match can be explained).

CREATE TABLE IF NOT EXISTS source_status {{on_cluster}}
(
    source         String,
    kind           LowCardinality(String),
    state          LowCardinality(String),
    paused         UInt8,
    failures       UInt32,
    last_run_at    Nullable(DateTime64(3, 'UTC')),
    last_ok_at     Nullable(DateTime64(3, 'UTC')),
    last_error     String,
    records_total  UInt64,
    rejected_total UInt64,
    errors_total   UInt64,
    newest_record  Nullable(DateTime64(3, 'UTC')),
    updated_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY source;

-- One row per (identifier → customer): email:alice@example.com, phone:+4915112345678, x:@alice.
CREATE TABLE IF NOT EXISTS identity_links {{on_cluster}}
(
    identifier   String,
    customer_id  String,
    source       LowCardinality(String),
    rule         LowCardinality(String),
    updated_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY identifier;

-- Every decision that tied a source record to a customer (or left it anonymous), with the evidence.
CREATE TABLE IF NOT EXISTS identity_merges {{on_cluster}}
(
    source       LowCardinality(String),
    source_id    String,
    customer_id  String,
    matched_on   String,
    rule         LowCardinality(String),
    at           DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(at)
ORDER BY (source, source_id);

-- Per-source leases for several ingest workers on one ClickHouse (ingest/service/lease.ts): an
-- append-only log of claim / renew / release rows, stamped with the server's clock. Old rows expire
-- after a week.
CREATE TABLE IF NOT EXISTS ingest_leases {{on_cluster}}
(
    source  String,
    owner   String,
    action  LowCardinality(String),
    ttl_ms  UInt32,
    at      DateTime64(6, 'UTC') DEFAULT now64(6)
)
ENGINE = MergeTree
ORDER BY (source, at)
TTL toDateTime(at) + INTERVAL 7 DAY;

-- ---------------------------------------------------------------------------------------------
-- Access control: local accounts, server-side sessions (revocable), and the audit log.

-- One row per user after merges; readers use FINAL.
CREATE TABLE IF NOT EXISTS users {{on_cluster}}
(
    user_id        String,
    email          String,
    name           String,
    role           LowCardinality(String),
    password_hash  String,
    disabled       UInt8 DEFAULT 0,
    created_at     DateTime64(3, 'UTC') DEFAULT now64(3),
    updated_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY user_id;

-- The cookie holds a random token; only its SHA-256 is stored, so a leaked table opens no session.
-- Revocation writes a newer row with revoked = 1.
CREATE TABLE IF NOT EXISTS sessions {{on_cluster}}
(
    token_hash   String,
    user_id      String,
    created_at   DateTime64(3, 'UTC'),
    expires_at   DateTime64(3, 'UTC'),
    revoked      UInt8 DEFAULT 0,
    updated_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY token_hash
TTL toDateTime(expires_at) + INTERVAL 30 DAY;

CREATE TABLE IF NOT EXISTS audit_log {{on_cluster}}
(
    at          DateTime64(3, 'UTC') DEFAULT now64(3),
    user_id     String,
    email       String,
    role        LowCardinality(String),
    action      LowCardinality(String),
    target      String,
    detail      String,
    ip          String,
    ok          UInt8 DEFAULT 1
)
ENGINE = MergeTree
ORDER BY at;

-- ---------------------------------------------------------------------------------------------
-- Contact reasons: discovered from each deployment's own texts (ingest/enrichment/reasons) and
-- assigned to every interaction at ingest; where a source gives no touchpoint, the reason is the
-- touchpoint and the reason's stage is the stage.
--   reason_models   the deployment's reason model (one JSON document; the newest version wins)
--   reasons         the dictionary the queries read. Edits (rename, merge, split, hide, stage)
--                   rewrite these rows and apply at query time: stored interactions keep their id.
--   reason_daily / reason_monthly  the journey roll-up with the reason and the source in the key,
--                   plus what the severity model needs for reach (docs/journey.md, "Severity"):
--     authors        distinct anonymous authors (profile, handle or author attribute of a contact
--                    without a customer id)
--     unattributed   contacts with neither a customer id nor an author: each counts as one person
--     complaint_like strongly negative (sentiment ≤ −0.5) or complaint-intent contacts: stands in
--                    for the complaint flag of sources that have none

CREATE TABLE IF NOT EXISTS reason_models {{on_cluster}}
(
    deployment  String,
    version     UInt64,
    model       String CODEC(ZSTD(3)),
    updated_at  DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(version)
ORDER BY deployment;

CREATE TABLE IF NOT EXISTS reasons {{on_cluster}}
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

CREATE TABLE IF NOT EXISTS reason_daily {{on_cluster}}
(
    day            Date,
    reason_id      LowCardinality(String),
    source         LowCardinality(String),
    channel        LowCardinality(String),
    stage          LowCardinality(String),
    touchpoint     LowCardinality(String),
    segment        LowCardinality(String),
    region         LowCardinality(String),
    scenario       LowCardinality(String),
    intent         LowCardinality(String),
    tier           LowCardinality(String),
    interactions   SimpleAggregateFunction(sum, UInt64),
    customers      AggregateFunction(uniqCombined(14), String),
    complaints     SimpleAggregateFunction(sum, UInt64),
    csat_sum       SimpleAggregateFunction(sum, Float64),
    csat_n         SimpleAggregateFunction(sum, UInt64),
    csat_low       SimpleAggregateFunction(sum, UInt64),
    sent_sum       SimpleAggregateFunction(sum, Float64),
    sent_n         SimpleAggregateFunction(sum, UInt64),
    sent_neg       SimpleAggregateFunction(sum, UInt64),
    fcr_sum        SimpleAggregateFunction(sum, UInt64),
    fcr_n          SimpleAggregateFunction(sum, UInt64),
    handle_sum     SimpleAggregateFunction(sum, Float64),
    handle_n       SimpleAggregateFunction(sum, UInt64),
    outcome_n      SimpleAggregateFunction(sum, UInt64),
    unresolved     SimpleAggregateFunction(sum, UInt64),
    repeat_n       SimpleAggregateFunction(sum, UInt64),
    repeats        SimpleAggregateFunction(sum, UInt64),
    authors        AggregateFunction(uniqCombined(14), String),
    unattributed   SimpleAggregateFunction(sum, UInt64),
    complaint_like SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, reason_id, source, channel, stage, touchpoint, segment, region, scenario, intent, tier);

CREATE TABLE IF NOT EXISTS reason_monthly {{on_cluster}} AS reason_daily
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, reason_id, source, channel, stage, touchpoint, segment, region, scenario, intent, tier);

CREATE MATERIALIZED VIEW IF NOT EXISTS reason_daily_mv {{on_cluster}} TO reason_daily AS
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
    countIf(toUInt32OrZero(i.attributes['reopens']) > 0) AS repeats,
    uniqCombinedStateIf(14)(
        multiIf(i.attributes['profile'] != '', i.attributes['profile'], i.attributes['handle'] != '', i.attributes['handle'], i.attributes['author']),
        i.customer_id = '' AND (i.attributes['profile'] != '' OR i.attributes['handle'] != '' OR i.attributes['author'] != '')
    ) AS authors,
    countIf(i.customer_id = '' AND i.attributes['profile'] = '' AND i.attributes['handle'] = '' AND i.attributes['author'] = '') AS unattributed,
    countIf(ifNull(i.sentiment, 0) <= -0.5 OR i.intent = 'complaint') AS complaint_like
FROM interactions AS i
GROUP BY day, reason_id, source, channel, stage, touchpoint, segment, region, scenario, intent, tier;

CREATE MATERIALIZED VIEW IF NOT EXISTS reason_monthly_mv {{on_cluster}} TO reason_monthly AS
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
    sum(repeats) AS repeats,
    uniqCombinedMergeState(14)(authors) AS authors,
    sum(unattributed) AS unattributed,
    sum(complaint_like) AS complaint_like
FROM reason_daily
GROUP BY day, reason_id, source, channel, stage, touchpoint, segment, region, scenario, intent, tier;
