-- 0009_run_reports: a completed run's report (report/report.h's document with its themes and
-- insights summary), made once by the worker that completed the run.
CREATE TABLE run_reports (
    run_id TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    report TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
