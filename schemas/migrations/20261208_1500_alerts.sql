-- Alerts and subscriptions (docs/alerts.md).
--
--   alert_config      rules, destinations and per-user subscriptions, one JSON body per (kind, id);
--                     the latest version wins, a removed one is kept as `deleted = 1`.
--   alert_state       what each rule saw last per subject (a pain point's score, a reason's count),
--                     so "new or worsening" compares with the previous evaluation, not a guess.
--   alert_deliveries  one row per alert per destination: the outbox the delivery job works through
--                     (pending, held for quiet hours, retrying with backoff, sent, failed); the
--                     latest version of a delivery wins.

CREATE TABLE IF NOT EXISTS alert_config {{on_cluster}}
(
    kind        LowCardinality(String),
    id          String,
    body        String,
    deleted     UInt8 DEFAULT 0,
    updated_at  DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (kind, id);

CREATE TABLE IF NOT EXISTS alert_state {{on_cluster}}
(
    rule_id     String,
    subject     String,
    value       Float64,
    flagged     UInt8,
    at          DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(at)
ORDER BY (rule_id, subject);

CREATE TABLE IF NOT EXISTS alert_deliveries {{on_cluster}}
(
    id               String,
    alert_key        String,
    rule_id          String,
    kind             LowCardinality(String),
    title            String,
    payload          String,
    channel          LowCardinality(String),
    destination_id   String,
    target           String,
    status           LowCardinality(String),
    attempts         UInt16,
    last_error       String,
    created_at       DateTime64(3, 'UTC'),
    next_attempt_at  DateTime64(3, 'UTC'),
    sent_at          Nullable(DateTime64(3, 'UTC')),
    updated_at       DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY id;
