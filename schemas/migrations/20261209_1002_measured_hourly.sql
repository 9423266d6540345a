-- Per hour, source and channel: how many contacts carry each scorecard measure, and the first
-- responses' sum. The ROI page says which sources and channels measure each KPI of its scorecard
-- over the baseline and comparison periods; hours keep the display time zone's day boundaries, as
-- kpi_hourly does for the levels themselves.

CREATE TABLE IF NOT EXISTS measured_hourly {{on_cluster}}
(
    hour           DateTime('UTC'),
    source         LowCardinality(String),
    channel        LowCardinality(String),
    interactions   SimpleAggregateFunction(sum, UInt64),
    csat_n         SimpleAggregateFunction(sum, UInt64),
    fcr_n          SimpleAggregateFunction(sum, UInt64),
    handle_n       SimpleAggregateFunction(sum, UInt64),
    first_resp_sum SimpleAggregateFunction(sum, Float64),
    first_resp_n   SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(hour)
ORDER BY (hour, source, channel);

CREATE MATERIALIZED VIEW IF NOT EXISTS measured_hourly_mv {{on_cluster}} TO measured_hourly AS
SELECT
    toStartOfHour(toDateTime(ts, 'UTC')) AS hour,
    source,
    channel,
    count() AS interactions,
    count(csat_10) AS csat_n,
    count(fcr) AS fcr_n,
    count(handle_s) AS handle_n,
    sum(assumeNotNull(toFloat64(ifNull(first_response_s, 0)))) AS first_resp_sum,
    count(first_response_s) AS first_resp_n
FROM interactions
GROUP BY hour, source, channel;

-- Backfill what was stored before the view existed (once: skipped when the table has rows).
INSERT INTO measured_hourly
SELECT
    toStartOfHour(toDateTime(ts, 'UTC')) AS hour,
    source,
    channel,
    count() AS interactions,
    count(csat_10) AS csat_n,
    count(fcr) AS fcr_n,
    count(handle_s) AS handle_n,
    sum(assumeNotNull(toFloat64(ifNull(first_response_s, 0)))) AS first_resp_sum,
    count(first_response_s) AS first_resp_n
FROM interactions
WHERE (SELECT count() FROM measured_hourly) = 0
GROUP BY hour, source, channel;
