-- Canonical tables. Ingest writes these; dashboards read the roll-ups in later migrations.
-- {on_cluster} is replaced by the migration runner with `ON CLUSTER name` or nothing.

CREATE TABLE IF NOT EXISTS customers {on_cluster}
(
    customer_id     String,
    source          LowCardinality(String),
    name            String,
    email           String,
    phone           String,
    segment         LowCardinality(String),
    tier            LowCardinality(String),
    region          LowCardinality(String),
    account_opened  Nullable(Date),
    lifetime_value  Float64,
    revenue         Float64,
    status          LowCardinality(String),
    churn_date      Nullable(Date),
    attributes      Map(String, String),
    ingest_run_id   String,
    updated_at      DateTime64(3, 'UTC') DEFAULT now64(3)
)
-- One row per customer after merges; readers use FINAL or argMax where it matters.
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY customer_id;

-- Sorted by (stage, touchpoint, ts): drill-downs read one touchpoint's rows over a time range.
-- Customer 360 reads by customer through the projection below.
CREATE TABLE IF NOT EXISTS interactions {on_cluster}
(
    interaction_id    String,
    source            LowCardinality(String),
    source_id         String,
    customer_id       String,
    ts                DateTime64(3, 'UTC'),
    channel           LowCardinality(String),
    stage             LowCardinality(String),
    touchpoint        LowCardinality(String),
    scenario          LowCardinality(String),
    intent            LowCardinality(String),
    is_complaint      UInt8,
    outcome           LowCardinality(String),
    fcr               Nullable(UInt8),
    wait_s            Nullable(Float32),
    handle_s          Nullable(Float32),
    first_response_s  Nullable(Float32),
    csat              Nullable(Float32),
    csat_scale_min    Float32,
    csat_scale_max    Float32,
    csat_10           Nullable(Float32),
    nps               Nullable(UInt8),
    sentiment         Nullable(Float32),
    language          LowCardinality(String),
    text              String CODEC(ZSTD(3)),
    agent             LowCardinality(String),
    team              LowCardinality(String),
    region            LowCardinality(String),
    product           LowCardinality(String),
    segment           LowCardinality(String),
    attributes        Map(String, String),
    ingest_run_id     String,
    ingested_at       DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_customer customer_id TYPE bloom_filter(0.01) GRANULARITY 4
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (stage, touchpoint, ts);

-- Keys of stored interactions, sorted by key. Re-ingest asks "which of this batch's keys are
-- stored?" here: the primary index answers from a few granules, where the same question on
-- `interactions` (sorted for drill-downs) would read the whole key column for every batch — a
-- bloom filter does not help when one batch holds 50,000 keys. Filled by a view, so a key exists
-- exactly when its row was written.
CREATE TABLE IF NOT EXISTS interaction_keys {on_cluster}
(
    interaction_id  String
)
ENGINE = ReplacingMergeTree
ORDER BY interaction_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS interaction_keys_mv {on_cluster} TO interaction_keys AS
SELECT interaction_id FROM interactions;

CREATE TABLE IF NOT EXISTS orders {on_cluster}
(
    order_id       String,
    source         LowCardinality(String),
    customer_id    String,
    ts             DateTime64(3, 'UTC'),
    amount         Float64,
    currency       LowCardinality(String),
    status         LowCardinality(String),
    channel        LowCardinality(String),
    items          UInt32,
    product        LowCardinality(String),
    attributes     Map(String, String),
    ingest_run_id  String,
    ingested_at    DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
ORDER BY (customer_id, order_id);

-- Nothing is lost: a record that fails mapping or validation lands here with its raw payload.
CREATE TABLE IF NOT EXISTS quarantine {on_cluster}
(
    run_id       String,
    source       LowCardinality(String),
    file         String,
    line         UInt64,
    raw          String CODEC(ZSTD(3)),
    reason       String,
    at           DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
ORDER BY (source, at);

CREATE TABLE IF NOT EXISTS ingest_runs {on_cluster}
(
    run_id       String,
    source       LowCardinality(String),
    file         String,
    entity       LowCardinality(String),
    started_at   DateTime64(3, 'UTC'),
    finished_at  DateTime64(3, 'UTC'),
    status       LowCardinality(String),
    accepted     UInt64,
    rejected     UInt64,
    duplicates   UInt64,
    seconds      Float64,
    error        String
)
ENGINE = ReplacingMergeTree(finished_at)
ORDER BY (run_id);

CREATE TABLE IF NOT EXISTS ingest_state {on_cluster}
(
    source      String,
    cursor      String,
    updated_at  DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY source;

CREATE TABLE IF NOT EXISTS settings {on_cluster}
(
    key         String,
    value       String,
    updated_at  DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY key;
