-- 0007_persona_usage: a persona's usage history (the runs that asked it)
-- is read from the results by member.
CREATE INDEX run_results_member ON run_results (member_id, run_id);
