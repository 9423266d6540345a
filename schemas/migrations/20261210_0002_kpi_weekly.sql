-- The KPI roll-up at week buckets: a KPI trend by week reads its whole weeks here and only the days
-- at the range's edges from kpi_daily, a seventh of the rows (each with a distinct-customer state to
-- merge). `day` is the week's Monday, or the first of the month for the part of a week that runs
-- into a new month: every row lies in one month, so a re-score or a crashed run that rebuilds a
-- month (deleting its rows by `day`, then feeding it again through kpi_daily) counts no day twice.
-- Readers bucket by toMonday(day).

CREATE TABLE IF NOT EXISTS kpi_weekly {{on_cluster}} AS kpi_daily
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (day, channel, segment);

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_weekly_mv {{on_cluster}} TO kpi_weekly AS
SELECT
    greatest(toMonday(day), toStartOfMonth(day)) AS day,
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

-- Backfill what was stored before the view existed (once: skipped when the table has rows).
INSERT INTO kpi_weekly
SELECT
    greatest(toMonday(day), toStartOfMonth(day)) AS day, channel, segment,
    sum(interactions), uniqCombinedMergeState(14)(customers), sum(csat_sum), sum(csat_n), sum(fcr_sum), sum(fcr_n),
    sum(handle_sum), sum(handle_n), sum(first_resp_sum), sum(first_resp_n), sum(complaints), sum(sentiment_sum),
    sum(sentiment_n)
FROM kpi_daily
WHERE (SELECT count() FROM kpi_weekly) = 0
GROUP BY day, channel, segment;
