-- 0001_instance: the one row that identifies this installation (written at
-- first start by the code that owns it). Portable SQL: SQLite and PostgreSQL.
-- created_at is milliseconds since the epoch, so BIGINT: it passes 2^31.
CREATE TABLE instance (
    id TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);
