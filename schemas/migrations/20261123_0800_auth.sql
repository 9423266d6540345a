-- Access control: local accounts, server-side sessions (revocable), and the audit log.

-- One row per user after merges (ReplacingMergeTree on updated_at); readers use FINAL.
CREATE TABLE IF NOT EXISTS users {on_cluster}
(
    user_id        String,
    email          String,
    name           String,
    role           LowCardinality(String),
    password_hash  String,
    disabled       UInt8 DEFAULT 0,
    created_at     DateTime64(3, 'UTC') DEFAULT now64(3),
    updated_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY user_id;

-- The cookie holds a random token; only its SHA-256 is stored, so a leaked table opens no session.
-- Revocation writes a newer row with revoked = 1.
CREATE TABLE IF NOT EXISTS sessions {on_cluster}
(
    token_hash   String,
    user_id      String,
    created_at   DateTime64(3, 'UTC'),
    expires_at   DateTime64(3, 'UTC'),
    revoked      UInt8 DEFAULT 0,
    updated_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY token_hash
TTL toDateTime(expires_at) + INTERVAL 30 DAY;

CREATE TABLE IF NOT EXISTS audit_log {on_cluster}
(
    at          DateTime64(3, 'UTC') DEFAULT now64(3),
    user_id     String,
    email       String,
    role        LowCardinality(String),
    action      LowCardinality(String),
    target      String,
    detail      String,
    ip          String,
    ok          UInt8 DEFAULT 1
)
ENGINE = MergeTree
ORDER BY at;
