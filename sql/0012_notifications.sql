-- 0012_notifications: what a workspace is told (SPEC.md 5 "Alerts"), its webhook, and the
-- outbox of webhook deliveries (domain/notifications.h, domain/webhooks.h). Portable SQL;
-- times are BIGINT epoch milliseconds; every row carries workspace_id and every query of it
-- is scoped by it.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    kind TEXT NOT NULL,                 -- limit_approaching, extra_charge, plan_changed, ...
    message TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}',    -- a JSON object with the figures
    dedupe_key TEXT,                    -- NULL, or unique in the workspace (a repeat is skipped)
    read_at BIGINT,                     -- NULL while unread
    created_at BIGINT NOT NULL
);
-- NULL keys are distinct in both SQLite and PostgreSQL: only keyed notifications dedupe
CREATE UNIQUE INDEX notifications_dedupe ON notifications (workspace_id, dedupe_key);
CREATE INDEX notifications_workspace ON notifications (workspace_id, created_at);

-- one webhook per workspace; the secret signs every delivery (HMAC-SHA256) and is shown
-- once, when it is made
CREATE TABLE webhooks (
    workspace_id TEXT PRIMARY KEY REFERENCES workspaces (id),
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- a delivery is due while delivered_at and failed_at are NULL and next_attempt_at has come;
-- a worker claims it by counting the attempt and moving next_attempt_at past its timeout,
-- so a worker that dies mid-delivery leaves it due again (the receiver dedupes on the id)
CREATE TABLE webhook_outbox (
    id TEXT PRIMARY KEY,                -- X-Crowdelic-Delivery
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    notification_id TEXT NOT NULL REFERENCES notifications (id),
    event TEXT NOT NULL,                -- X-Crowdelic-Event: the notification's kind
    url TEXT NOT NULL,
    body TEXT NOT NULL,                 -- the JSON sent, signed as it is
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    delivered_at BIGINT,
    failed_at BIGINT,                   -- given up: max attempts, or the webhook removed
    last_status INTEGER,                -- HTTP status of the last attempt; NULL: none came
    last_error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at)
    WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX webhook_outbox_workspace ON webhook_outbox (workspace_id, created_at);
