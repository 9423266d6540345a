-- A fixed hash sample of the stored texts for topic extraction (text.topics): every text whose
-- cityHash64(interaction_id) is below 2^60 (one in 16), with the columns the topic filters read,
-- sorted by that hash. text.topics takes the texts of lowest hash that match a filter; whenever at
-- least that many matching texts are in here, they are exactly the ones the whole table would give
-- (every text of lower hash is in the sample), read from a sixteenth of the text instead of all of
-- it. Partitioned and keyed with ts like `interactions`, so a re-score or a crashed run rebuilds
-- its months here as in every other roll-up.

CREATE TABLE IF NOT EXISTS text_sample {{on_cluster}}
(
    h               UInt64,
    ts              DateTime64(3, 'UTC'),
    interaction_id  String,
    customer_id     String,
    stage           LowCardinality(String),
    touchpoint      LowCardinality(String),
    channel         LowCardinality(String),
    intent          LowCardinality(String),
    sentiment       Nullable(Float32),
    language        LowCardinality(String),
    text            String CODEC(ZSTD(3))
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (h, ts);

CREATE MATERIALIZED VIEW IF NOT EXISTS text_sample_mv {{on_cluster}} TO text_sample AS
SELECT cityHash64(interaction_id) AS h, ts, interaction_id, customer_id, stage, touchpoint, channel, intent, sentiment,
    language, text
FROM interactions
WHERE text != '' AND cityHash64(interaction_id) < 1152921504606846976;

-- Backfill what was stored before the view existed (once: skipped when the sample has rows).
INSERT INTO text_sample
SELECT cityHash64(interaction_id) AS h, ts, interaction_id, customer_id, stage, touchpoint, channel, intent, sentiment,
    language, text
FROM interactions
WHERE text != '' AND cityHash64(interaction_id) < 1152921504606846976 AND (SELECT count() FROM text_sample) = 0;
