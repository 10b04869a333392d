-- The model-call cache: the validated answer to a canonical request, keyed
-- by the hex SHA-256 of that request (llm/gateway.c), so that re-running an
-- unchanged simulation makes no model call, across restarts.
CREATE TABLE llm_cache (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
