-- KPI roll-ups: what the overview and kpi.* read instead of raw interactions.
--
-- Two grains, filled by materialised views on every insert into `interactions`:
--   kpi_daily   (day, channel, segment)   day/week trends and the partial months at a range's edges
--   kpi_monthly (month, channel, segment) whole months of a range
-- Sums are SimpleAggregateFunction(sum). Distinct customers are uniqCombined(14) states, which
-- merge across buckets far more cheaply than `uniq` states, and stay within a few percent of the
-- exact count (exact below a few thousand customers).
-- Anonymous contacts (customer_id = '') are not customers.

CREATE TABLE IF NOT EXISTS kpi_daily {on_cluster}
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

CREATE TABLE IF NOT EXISTS kpi_monthly {on_cluster} AS kpi_daily
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, channel, segment);

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_daily_mv {on_cluster} TO kpi_daily AS
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

-- Monthly rows roll up the daily rows as they are written (views cascade: an insert into
-- interactions fills kpi_daily, and that insert fills kpi_monthly). `day` is the month's first day.
CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_monthly_mv {on_cluster} TO kpi_monthly AS
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
