-- 0008_run_state: the state a run needs to go on beyond its results (ENGINE.md 7): a focus
-- group's world checkpoint, replaced after every step in the step's transaction.
ALTER TABLE runs ADD COLUMN state TEXT;
