-- Customer profiles: per-customer roll-ups, the customer 360 timeline, churn scores.
--
-- customer_monthly (customer, month): what the high-value rule, the segment portrait, needs by
-- scenario and the churn signals read instead of raw interactions. Sorted by customer first, so
-- a segment (an IN-set of customers) reads only its own granules. It holds one row per active
-- customer-month.
-- Maps are SimpleAggregateFunction(sumMap, …): counts keyed by channel, by scenario/intent
-- ("scenario|intent") and complaints by intent, merged across inserts.
-- Anonymous contacts (customer_id = '') are not customers.

CREATE TABLE IF NOT EXISTS customer_monthly {on_cluster}
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

CREATE MATERIALIZED VIEW IF NOT EXISTS customer_monthly_mv {on_cluster} TO customer_monthly AS
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
    sumMap(([toString(channel)], [toUInt64(1)])) AS channels,
    sumMap(([toString(stage)], [toUInt64(1)])) AS stages,
    sumMap(([concat(toString(scenario), '|', toString(intent))], [toUInt64(1)])) AS needs,
    sumMap((if(is_complaint = 1, [toString(intent)], []), if(is_complaint = 1, [toUInt64(1)], []))) AS complaint_intents
FROM interactions
WHERE customer_id != ''
GROUP BY customer_id, month;

-- Rows inserted before the view existed.
INSERT INTO customer_monthly
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
    sumMap(([toString(channel)], [toUInt64(1)])) AS channels,
    sumMap(([toString(stage)], [toUInt64(1)])) AS stages,
    sumMap(([concat(toString(scenario), '|', toString(intent))], [toUInt64(1)])) AS needs,
    sumMap((if(is_complaint = 1, [toString(intent)], []), if(is_complaint = 1, [toUInt64(1)], []))) AS complaint_intents
FROM interactions
WHERE customer_id != ''
GROUP BY customer_id, month;

-- Contact mix of all known customers per (month, channel, stage, scenario, intent): the "everyone"
-- side of the segment portrait and of needs by scenario, without reading per-customer rows
-- (~10k rows for two years). The segment side comes from customer_monthly; "everyone else" is
-- the difference.
CREATE TABLE IF NOT EXISTS contact_mix_monthly {on_cluster}
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

CREATE MATERIALIZED VIEW IF NOT EXISTS contact_mix_monthly_mv {on_cluster} TO contact_mix_monthly AS
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

INSERT INTO contact_mix_monthly
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

-- The customer 360 timeline: the columns the timeline shows, sorted by (customer, ts), so one
-- customer's history is a primary-key range instead of a bloom-filter probe across `interactions`
-- (sorted by stage/touchpoint/ts for drill-downs).
CREATE TABLE IF NOT EXISTS customer_timeline {on_cluster}
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
ORDER BY (customer_id, ts);

CREATE MATERIALIZED VIEW IF NOT EXISTS customer_timeline_mv {on_cluster} TO customer_timeline AS
SELECT customer_id, ts, interaction_id, source, channel, stage, touchpoint, scenario, intent,
       is_complaint, outcome, csat_10, sentiment, substring(text, 1, 2000) AS text
FROM interactions
WHERE customer_id != '';

INSERT INTO customer_timeline
SELECT customer_id, ts, interaction_id, source, channel, stage, touchpoint, scenario, intent,
       is_complaint, outcome, csat_10, sentiment, substring(text, 1, 2000) AS text
FROM interactions
WHERE customer_id != '';

-- Churn-risk scores, replaced as a whole by each refresh (src/lib/server/churn/refresh.ts).
-- `reasons` is JSON: the model's top contributing features for this customer.
CREATE TABLE IF NOT EXISTS churn_scores {on_cluster}
(
    customer_id     String,
    score           Float32,
    value           Float64,
    segment         LowCardinality(String),
    tier            LowCardinality(String),
    region          LowCardinality(String),
    days_since_last UInt32,
    complaints_90d  UInt32,
    repeat_complaints UInt32,
    unresolved_90d  UInt32,
    sentiment_delta Nullable(Float32),
    reasons         String,
    refreshed_at    DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(refreshed_at)
ORDER BY customer_id;
