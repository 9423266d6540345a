-- Per-source leases for several ingest workers on one ClickHouse (ingest/service/lease.ts): a source
-- runs in at most one worker at a time. An append-only log of claim / renew / release rows, stamped
-- with the server's clock; every worker replays it the same way. Old rows expire after a week.

CREATE TABLE IF NOT EXISTS ingest_leases {on_cluster}
(
    source  String,
    owner   String,
    action  LowCardinality(String),
    ttl_ms  UInt32,
    at      DateTime64(6, 'UTC') DEFAULT now64(6)
)
ENGINE = MergeTree
ORDER BY (source, at)
TTL toDateTime(at) + INTERVAL 7 DAY;
