-- The ingest service's own state: per-source status (pause, last run, last error, counts) beside
-- the cursors in `ingest_state`, and identity resolution (links of identifiers to customers and the
-- merges that produced them, so every match can be explained).

CREATE TABLE IF NOT EXISTS source_status {on_cluster}
(
    source         String,
    kind           LowCardinality(String),
    state          LowCardinality(String),
    paused         UInt8,
    failures       UInt32,
    last_run_at    Nullable(DateTime64(3, 'UTC')),
    last_ok_at     Nullable(DateTime64(3, 'UTC')),
    last_error     String,
    records_total  UInt64,
    rejected_total UInt64,
    errors_total   UInt64,
    newest_record  Nullable(DateTime64(3, 'UTC')),
    updated_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY source;

-- One row per (identifier → customer): email:alice@example.com, phone:+4915112345678, x:@alice.
CREATE TABLE IF NOT EXISTS identity_links {on_cluster}
(
    identifier   String,
    customer_id  String,
    source       LowCardinality(String),
    rule         LowCardinality(String),
    updated_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY identifier;

-- Every decision that tied a source record to a customer (or left it anonymous), with the evidence.
CREATE TABLE IF NOT EXISTS identity_merges {on_cluster}
(
    source       LowCardinality(String),
    source_id    String,
    customer_id  String,
    matched_on   String,
    rule         LowCardinality(String),
    at           DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(at)
ORDER BY (source, source_id);
