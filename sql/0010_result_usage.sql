-- 0010_result_usage: what each result cost - the model usage of its unit, on the unit's
-- first sample (the samples of a unit are asked together).
ALTER TABLE run_results ADD COLUMN tokens_in BIGINT NOT NULL DEFAULT 0;
ALTER TABLE run_results ADD COLUMN tokens_out BIGINT NOT NULL DEFAULT 0;
ALTER TABLE run_results ADD COLUMN cost_micros BIGINT NOT NULL DEFAULT 0;
