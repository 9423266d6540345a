-- KPI roll-up for trends, forecasts and the ROI dashboard.
--
-- kpi_daily/kpi_monthly (20261122_0002) lack wait time, abandonment, NPS, % satisfied, team and stage,
-- and are bucketed by UTC day, so a report in another time zone would put evening contacts on the wrong
-- day. This roll-up is keyed by UTC *hour*: a query turns hours into days/weeks/months in any time zone
-- with whole-hour offsets (toDate(hour, tz)).
--
-- Breakdowns without a row explosion: every interaction is written once per breakdown kind
-- ("all", channel, team, segment, stage) through ARRAY JOIN, so one breakdown reads only its own rows
-- ((dim, hour) is the sort key) and the table grows with hours × distinct values, not with their
-- cross product. A breakdown therefore cannot be combined with a filter on another dimension.
--
-- % satisfied: CSAT normalised to 0–10 at or above 7.5 (= 4 or 5 on a 1–5 survey, "top two boxes").
-- Abandonment: contacts that queued (wait time known) and were abandoned, over those that queued.
-- NPS: promoters (9–10) minus detractors (0–6) over answers, where the source has NPS.

CREATE TABLE IF NOT EXISTS kpi_hourly {on_cluster}
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

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_hourly_mv {on_cluster} TO kpi_hourly AS
SELECT
    d.1 AS dim,
    d.2 AS value,
    toStartOfHour(toDateTime(ts, 'UTC')) AS hour,
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
ARRAY JOIN [('all', ''), ('channel', channel), ('team', team), ('segment', segment), ('stage', stage)] AS d
GROUP BY dim, value, hour;

-- Backfill: rows stored before this view existed (an existing database after `npm run migrate`).
-- Guarded so a repeated run (interrupted migration) does not count them twice.
INSERT INTO kpi_hourly
SELECT
    d.1 AS dim,
    d.2 AS value,
    toStartOfHour(toDateTime(ts, 'UTC')) AS hour,
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
ARRAY JOIN [('all', ''), ('channel', channel), ('team', team), ('segment', segment), ('stage', stage)] AS d
WHERE (SELECT count() FROM kpi_hourly) = 0
GROUP BY dim, value, hour;
