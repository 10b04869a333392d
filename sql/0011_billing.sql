-- 0011_billing: the ledger of the built-in billing provider (SPEC.md 5;
-- domain/billing.h, domain/billing_provider.h): invoices and their line items,
-- the answers of charging requests by Idempotency-Key, and an enterprise
-- contract's monthly price. Portable SQL; money is BIGINT cents, times BIGINT
-- epoch milliseconds; every row carries workspace_id and every query of it is
-- scoped by it. No card data is ever stored.

-- an enterprise contract's price a month, set by the operator (crowdelic admin);
-- NULL: the plan's own price
ALTER TABLE workspaces ADD COLUMN price_cents BIGINT;
-- the scheduler's question: which periods have ended
CREATE INDEX workspaces_period_end ON workspaces (current_period_end);

-- one charge: what the provider was asked to collect, all at once
CREATE TABLE invoices (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    number BIGINT NOT NULL,             -- 1, 2, 3... within the workspace
    kind TEXT NOT NULL,                 -- extra_personas, upgrade, subscription
    total_cents BIGINT NOT NULL,        -- the sum of its lines' amount_cents
    currency TEXT NOT NULL,             -- USD
    status TEXT NOT NULL,               -- paid
    provider TEXT NOT NULL,             -- ledger
    idempotency_key TEXT NOT NULL,      -- the same key never charges twice
    period_start BIGINT NOT NULL,       -- the billing period it belongs to
    period_end BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (workspace_id, idempotency_key),
    UNIQUE (workspace_id, number)
);
CREATE INDEX invoices_period ON invoices (workspace_id, period_start);

CREATE TABLE invoice_lines (
    invoice_id TEXT NOT NULL REFERENCES invoices (id),
    line_no INTEGER NOT NULL,           -- 1, 2, ... in the invoice
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    kind TEXT NOT NULL,                 -- extra_personas, upgrade, subscription
    description TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    unit_cents BIGINT NOT NULL,
    amount_cents BIGINT NOT NULL,       -- quantity x unit_cents, or the prorated figure
    PRIMARY KEY (invoice_id, line_no)
);

-- a charging request's answer, kept so that a retry with the same key gets the
-- same answer and nothing is done twice; the same key with another request is
-- refused
CREATE TABLE idempotency_keys (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,         -- hex SHA-256 of the operation and its arguments
    status INTEGER NOT NULL,            -- the HTTP status answered
    response TEXT NOT NULL,             -- the JSON body answered
    invoice_id TEXT,                    -- the invoice it made, if any
    created_at BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, idem_key)
);
