-- Daily KPI roll-up: what the overview and kpi.summary read instead of raw interactions.
-- One row per (day, channel, segment) after merges: ~2 years × 11 channels × a few segments is
-- a few tens of thousands of rows whatever the raw volume, which keeps kpi.summary interactive
-- at 10M–100M interactions. Sums are SimpleAggregateFunction(sum); distinct customers are a uniq
-- state so they merge correctly across days and channels.

CREATE TABLE IF NOT EXISTS kpi_daily {on_cluster}
(
    day               Date,
    channel           LowCardinality(String),
    segment           LowCardinality(String),
    interactions      SimpleAggregateFunction(sum, UInt64),
    customers         AggregateFunction(uniq, String),
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

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_daily_mv {on_cluster} TO kpi_daily AS
SELECT
    toDate(ts) AS day,
    channel,
    segment,
    count() AS interactions,
    -- Anonymous contacts (customer_id = '') are not customers.
    uniqStateIf(customer_id, customer_id != '') AS customers,
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
