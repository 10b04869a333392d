-- 0006_runs: runs of tests as durable jobs (SPEC.md 2, 3 "Test execution"):
-- claimed by workers with a lease, their results saved step by step (each
-- step in one transaction: the checkpoint), their events kept so a client
-- can follow or resume following a run.
CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    test_id TEXT NOT NULL REFERENCES tests (id) ON DELETE CASCADE,
    started_by TEXT NOT NULL,           -- the member the run acts as
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'paused', 'completed', 'failed',
                                           'cancelled')),
    requested TEXT CHECK (requested IN ('pause', 'cancel')), -- read by the worker between steps
    spec TEXT NOT NULL,                 -- the test as it was when the run started
    members TEXT,                       -- the panel as first resolved: member ids, one a line
    seed BIGINT NOT NULL,
    progress_done BIGINT NOT NULL DEFAULT 0,
    progress_total BIGINT NOT NULL DEFAULT 0,
    calls BIGINT NOT NULL DEFAULT 0,
    cache_hits BIGINT NOT NULL DEFAULT 0,
    tokens_in BIGINT NOT NULL DEFAULT 0,
    tokens_out BIGINT NOT NULL DEFAULT 0,
    cost_micros BIGINT NOT NULL DEFAULT 0,
    model TEXT,
    error TEXT,
    lease_owner TEXT,                   -- the worker running it
    lease_until BIGINT,                 -- past this, another worker may take it over
    attempts INTEGER NOT NULL DEFAULT 0,
    events BIGINT NOT NULL DEFAULT 0,   -- the last event's seq
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX runs_test ON runs (test_id, created_at);
CREATE INDEX runs_claim ON runs (status, created_at);

CREATE TABLE run_results (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    member_id TEXT NOT NULL,            -- a persona id, or template:<id>
    scenario_key TEXT NOT NULL,         -- "<scenario>" or "<scenario>/<variant>"
    sample INTEGER NOT NULL,
    answers TEXT NOT NULL,              -- JSON: question id -> typed answer
    thought TEXT,
    talk TEXT,
    abandoned INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    error TEXT,                         -- the unit's calls failed for good
    model TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (run_id, member_id, scenario_key, sample)
);

CREATE TABLE run_events (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,                -- 1, 2, ... the SSE event id
    type TEXT NOT NULL,
    data TEXT NOT NULL,                 -- JSON
    created_at BIGINT NOT NULL,
    PRIMARY KEY (run_id, seq)
);
