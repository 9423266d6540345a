-- Key drivers read the outcomes of every contact by the factors that may move them, summed per
-- cell, so a driver model at 10M interactions reads a few thousand rows instead of the contacts.
-- Sums and sums of squares are the sufficient statistics of a least-squares fit over the cells
-- (docs/drivers.md). Waits and handle times are kept in bands (0 = not recorded), FCR as -1/0/1.
-- SummingMergeTree, not a measure roll-up: these are model inputs, not dashboard measures.

CREATE TABLE IF NOT EXISTS driver_cells {{on_cluster}}
(
    month        Date,
    stage        LowCardinality(String),
    touchpoint   LowCardinality(String),
    reason_id    LowCardinality(String),
    channel      LowCardinality(String),
    segment      LowCardinality(String),
    tier         LowCardinality(String),
    fcr          Int8,
    transferred  UInt8,
    wait_band    UInt8,
    handle_band  UInt8,
    contacts     UInt64,
    csat_n       UInt64,
    csat_sum     Float64,
    csat_sq      Float64,
    nps_n        UInt64,
    nps_sum      Float64,
    nps_sq       Float64,
    sent_n       UInt64,
    neg_n        UInt64
)
ENGINE = SummingMergeTree
PARTITION BY toYear(month)
ORDER BY (month, stage, touchpoint, reason_id, channel, segment, tier, fcr, transferred, wait_band, handle_band);

CREATE MATERIALIZED VIEW IF NOT EXISTS driver_cells_mv {{on_cluster}} TO driver_cells AS
SELECT
    toStartOfMonth(ts) AS month, stage, touchpoint, reason_id, channel, segment, tier,
    toInt8(ifNull(toInt16(fcr), -1)) AS fcr,
    toUInt8(outcome = 'transferred') AS transferred,
    toUInt8(multiIf(wait_s IS NULL, 0, wait_s < 30, 1, wait_s < 120, 2, wait_s < 300, 3, wait_s < 900, 4, 5)) AS wait_band,
    toUInt8(multiIf(handle_s IS NULL, 0, handle_s < 180, 1, handle_s < 360, 2, handle_s < 600, 3, handle_s < 1200, 4, 5)) AS handle_band,
    count() AS contacts,
    count(csat_10) AS csat_n,
    sum(toFloat64(ifNull(csat_10, 0))) AS csat_sum,
    sum(pow(toFloat64(ifNull(csat_10, 0)), 2)) AS csat_sq,
    count(nps) AS nps_n,
    sum(multiIf(nps IS NULL, 0, nps >= 9, 100, nps <= 6, -100, 0)) AS nps_sum,
    sum(multiIf(nps IS NULL, 0, nps >= 9, 10000, nps <= 6, 10000, 0)) AS nps_sq,
    count(sentiment) AS sent_n,
    countIf(sentiment IS NOT NULL AND sentiment < -0.25) AS neg_n
FROM interactions
GROUP BY month, stage, touchpoint, reason_id, channel, segment, tier, fcr, transferred, wait_band, handle_band;

-- Backfill what was stored before the view existed (once: skipped when the table has rows).
INSERT INTO driver_cells
SELECT
    toStartOfMonth(ts) AS month, stage, touchpoint, reason_id, channel, segment, tier,
    toInt8(ifNull(toInt16(fcr), -1)) AS fcr,
    toUInt8(outcome = 'transferred') AS transferred,
    toUInt8(multiIf(wait_s IS NULL, 0, wait_s < 30, 1, wait_s < 120, 2, wait_s < 300, 3, wait_s < 900, 4, 5)) AS wait_band,
    toUInt8(multiIf(handle_s IS NULL, 0, handle_s < 180, 1, handle_s < 360, 2, handle_s < 600, 3, handle_s < 1200, 4, 5)) AS handle_band,
    count() AS contacts,
    count(csat_10) AS csat_n,
    sum(toFloat64(ifNull(csat_10, 0))) AS csat_sum,
    sum(pow(toFloat64(ifNull(csat_10, 0)), 2)) AS csat_sq,
    count(nps) AS nps_n,
    sum(multiIf(nps IS NULL, 0, nps >= 9, 100, nps <= 6, -100, 0)) AS nps_sum,
    sum(multiIf(nps IS NULL, 0, nps >= 9, 10000, nps <= 6, 10000, 0)) AS nps_sq,
    count(sentiment) AS sent_n,
    countIf(sentiment IS NOT NULL AND sentiment < -0.25) AS neg_n
FROM interactions
WHERE (SELECT count() FROM driver_cells) = 0
GROUP BY month, stage, touchpoint, reason_id, channel, segment, tier, fcr, transferred, wait_band, handle_band;
