-- 0005_tests: a workspace's tests (SPEC.md 2, 3): what is shown to a panel
-- and asked, kept as the canonical JSON the API reads and writes, with the
-- columns a listing filters on. Runs come with their own migration.
CREATE TABLE tests (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    project_id TEXT NOT NULL REFERENCES projects (id),
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('product', 'message', 'journey', 'focus_group')),
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'queued', 'running', 'paused', 'completed', 'failed',
                          'cancelled')),
    spec TEXT NOT NULL,                 -- the test as written (domain/test_spec.h), canonical
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX tests_workspace ON tests (workspace_id, created_at);
CREATE INDEX tests_project ON tests (project_id);
