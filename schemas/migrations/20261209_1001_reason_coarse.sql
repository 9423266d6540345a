-- The reason roll-up without customer segment, region, scenario and intent: what the journey map and
-- the pain-point list read when no region, scenario or intent filter is set (the usual question),
-- about a tenth of reason_daily's and reason_monthly's rows. No distinct-customer sketch: the map
-- takes distinct customers from the customer roll-ups, so only the anonymous authors' sketch stays.
-- Fed from reason_daily, so a re-score that rebuilds a month there rebuilds it here too.

CREATE TABLE IF NOT EXISTS reason_coarse_daily {{on_cluster}}
(
    day            Date,
    reason_id      LowCardinality(String),
    source         LowCardinality(String),
    channel        LowCardinality(String),
    stage          LowCardinality(String),
    touchpoint     LowCardinality(String),
    tier           LowCardinality(String),
    interactions   SimpleAggregateFunction(sum, UInt64),
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
ORDER BY (day, reason_id, source, channel, stage, touchpoint, tier);

CREATE TABLE IF NOT EXISTS reason_coarse_monthly {{on_cluster}} AS reason_coarse_daily
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, reason_id, source, channel, stage, touchpoint, tier);

CREATE MATERIALIZED VIEW IF NOT EXISTS reason_coarse_daily_mv {{on_cluster}} TO reason_coarse_daily AS
SELECT
    day, reason_id, source, channel, stage, touchpoint, tier,
    sum(interactions) AS interactions,
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
GROUP BY day, reason_id, source, channel, stage, touchpoint, tier;

CREATE MATERIALIZED VIEW IF NOT EXISTS reason_coarse_monthly_mv {{on_cluster}} TO reason_coarse_monthly AS
SELECT
    toStartOfMonth(day) AS day, reason_id, source, channel, stage, touchpoint, tier,
    sum(interactions) AS interactions,
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
FROM reason_coarse_daily
GROUP BY day, reason_id, source, channel, stage, touchpoint, tier;

-- Backfill what was stored before the views existed (once: skipped when the table has rows); the
-- monthly table fills through its view.
INSERT INTO reason_coarse_daily
SELECT
    day, reason_id, source, channel, stage, touchpoint, tier,
    sum(interactions), sum(complaints), sum(csat_sum), sum(csat_n), sum(csat_low), sum(sent_sum), sum(sent_n),
    sum(sent_neg), sum(fcr_sum), sum(fcr_n), sum(handle_sum), sum(handle_n), sum(outcome_n), sum(unresolved),
    sum(repeat_n), sum(repeats), uniqCombinedMergeState(14)(authors), sum(unattributed), sum(complaint_like)
FROM reason_daily
WHERE (SELECT count() FROM reason_coarse_daily) = 0
GROUP BY day, reason_id, source, channel, stage, touchpoint, tier;
