-- Distinct customers per journey cell at a coarse grain: (day, stage, touchpoint, channel, tier), at
-- day, week and month buckets. A range is read as whole months + whole weeks + the remaining days
-- (at most 6 at each edge), so a 90-day map merges ~20 buckets per cell instead of ~90.
--
-- Why: merging uniqCombined states is what costs in journey.map — the fine roll-up (with segment,
-- region, scenario and intent in the key) has almost one daily row per interaction, so a map over a
-- long range merges that many states per grouping set.
-- Sums stay on the fine roll-up (cheap); distinct customers come from here unless the request
-- filters by region, scenario or intent. Fed from journey_daily (already aggregated, and already
-- carrying the tier), so inserts do not repeat the customer lookup.

CREATE TABLE IF NOT EXISTS journey_customers_daily {on_cluster}
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

CREATE TABLE IF NOT EXISTS journey_customers_monthly {on_cluster} AS journey_customers_daily
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, stage, touchpoint, channel, tier);

-- `day` is the week's Monday.
CREATE TABLE IF NOT EXISTS journey_customers_weekly {on_cluster} AS journey_customers_daily
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, stage, touchpoint, channel, tier);

CREATE MATERIALIZED VIEW IF NOT EXISTS journey_customers_daily_mv {on_cluster} TO journey_customers_daily AS
SELECT day, stage, touchpoint, channel, tier, uniqCombinedMergeState(14)(customers) AS customers
FROM journey_daily
GROUP BY day, stage, touchpoint, channel, tier;

CREATE MATERIALIZED VIEW IF NOT EXISTS journey_customers_monthly_mv {on_cluster} TO journey_customers_monthly AS
SELECT toStartOfMonth(day) AS day, stage, touchpoint, channel, tier, uniqCombinedMergeState(14)(customers) AS customers
FROM journey_customers_daily
GROUP BY day, stage, touchpoint, channel, tier;

CREATE MATERIALIZED VIEW IF NOT EXISTS journey_customers_weekly_mv {on_cluster} TO journey_customers_weekly AS
SELECT toMonday(day) AS day, stage, touchpoint, channel, tier, uniqCombinedMergeState(14)(customers) AS customers
FROM journey_customers_daily
GROUP BY day, stage, touchpoint, channel, tier;

-- Backfill from the fine roll-up (once: skipped when this one has rows); the weekly and monthly views follow.
INSERT INTO journey_customers_daily
SELECT day, stage, touchpoint, channel, tier, uniqCombinedMergeState(14)(customers) AS customers
FROM journey_daily
WHERE (SELECT count() FROM journey_customers_daily) = 0
GROUP BY day, stage, touchpoint, channel, tier;

INSERT INTO journey_customers_weekly
SELECT toMonday(day) AS day, stage, touchpoint, channel, tier, uniqCombinedMergeState(14)(customers) AS customers
FROM journey_customers_daily
WHERE (SELECT count() FROM journey_customers_weekly) = 0
GROUP BY day, stage, touchpoint, channel, tier;
