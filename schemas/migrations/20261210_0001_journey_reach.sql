-- Distinct customers per journey cell over every value tier (day, stage, touchpoint, channel), at
-- day, week and month buckets: what the journey map reads for distinct customers when no value
-- segment is chosen (the usual question). Merging uniqCombined states is what that answer costs,
-- and journey_customers_* hold one state per value tier: these hold a fifth as many. Fed from
-- journey_customers_daily, so a re-score or a crashed run that rebuilds a month there rebuilds it
-- here too.

CREATE TABLE IF NOT EXISTS journey_reach_daily {{on_cluster}}
(
    day         Date,
    stage       LowCardinality(String),
    touchpoint  LowCardinality(String),
    channel     LowCardinality(String),
    customers   AggregateFunction(uniqCombined(14), String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, stage, touchpoint, channel);

CREATE TABLE IF NOT EXISTS journey_reach_monthly {{on_cluster}} AS journey_reach_daily
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, stage, touchpoint, channel);

-- `day` is the week's Monday.
CREATE TABLE IF NOT EXISTS journey_reach_weekly {{on_cluster}} AS journey_reach_daily
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, stage, touchpoint, channel);

CREATE MATERIALIZED VIEW IF NOT EXISTS journey_reach_daily_mv {{on_cluster}} TO journey_reach_daily AS
SELECT day, stage, touchpoint, channel, uniqCombinedMergeState(14)(customers) AS customers
FROM journey_customers_daily
GROUP BY day, stage, touchpoint, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS journey_reach_monthly_mv {{on_cluster}} TO journey_reach_monthly AS
SELECT toStartOfMonth(day) AS day, stage, touchpoint, channel, uniqCombinedMergeState(14)(customers) AS customers
FROM journey_reach_daily
GROUP BY day, stage, touchpoint, channel;

CREATE MATERIALIZED VIEW IF NOT EXISTS journey_reach_weekly_mv {{on_cluster}} TO journey_reach_weekly AS
SELECT toMonday(day) AS day, stage, touchpoint, channel, uniqCombinedMergeState(14)(customers) AS customers
FROM journey_reach_daily
GROUP BY day, stage, touchpoint, channel;

-- Backfill what was stored before the views existed (once: skipped when the roll-up has rows). The
-- insert into the daily table fills the weekly and monthly ones through their views.
INSERT INTO journey_reach_daily
SELECT day, stage, touchpoint, channel, uniqCombinedMergeState(14)(customers) AS customers
FROM journey_customers_daily
WHERE (SELECT count() FROM journey_reach_daily) = 0
GROUP BY day, stage, touchpoint, channel;
