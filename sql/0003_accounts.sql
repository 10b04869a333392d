-- 0003_accounts: workspaces, their users, invites, projects, API keys and
-- revoked tokens (SPEC.md 2, 5). Portable SQL; times are BIGINT epoch
-- milliseconds, money INTEGER cents. Every row a tenant owns carries
-- workspace_id, and every query of it is scoped by it.
CREATE TABLE workspaces (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    plan_type TEXT NOT NULL DEFAULT 'free',
    current_period_start BIGINT NOT NULL,
    current_period_end BIGINT NOT NULL,
    extra_personas INTEGER NOT NULL DEFAULT 0,
    scheduled_plan TEXT,                -- a downgrade waiting for the period's end
    limit_personas INTEGER,             -- enterprise contracts: NULL is unlimited
    limit_projects INTEGER,
    limit_members INTEGER,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,         -- normalised: trimmed, lower-case
    password_hash TEXT NOT NULL,        -- argon2id, libsodium's string form
    company TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('user', 'admin')),
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    api_quota INTEGER NOT NULL,         -- API requests per minute
    created_at BIGINT NOT NULL
);
CREATE INDEX users_workspace ON users (workspace_id);

CREATE TABLE invites (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('user', 'admin')),
    token_hash TEXT NOT NULL UNIQUE,    -- SHA-256 of the token; the token is shown once
    invited_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    accepted_at BIGINT
);
CREATE INDEX invites_workspace ON invites (workspace_id);

CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX projects_workspace ON projects (workspace_id);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,               -- the first characters, to recognise a key
    key_hash TEXT NOT NULL UNIQUE,      -- SHA-256 of the key; the key is shown once
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_keys_workspace ON api_keys (workspace_id);

CREATE TABLE revoked_tokens (
    jti TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL          -- after this the token is dead anyway: the row may go
);
