-- Durable background jobs, shared by every app server on the database.
-- Claimed with FOR UPDATE SKIP LOCKED so two workers never take the same job.
CREATE TABLE jobs (
  id bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.-]*$'),
  -- What the job is about, for finding it again (the upload id of an import); at most one unfinished job per key.
  key text,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  state text NOT NULL DEFAULT 'queued' CONSTRAINT jobs_state_ck CHECK (state IN ('queued', 'running', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 3 CONSTRAINT jobs_max_attempts_ck CHECK (max_attempts >= 1),
  run_after timestamptz NOT NULL DEFAULT now(),
  progress integer NOT NULL DEFAULT 0 CONSTRAINT jobs_progress_ck CHECK (progress BETWEEN 0 AND 100),
  locked_by text,
  heartbeat_at timestamptz,
  error text,
  result jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);
-- The claim query: the oldest due job that is waiting.
CREATE INDEX jobs_due_idx ON jobs (run_after, id) WHERE state = 'queued';
CREATE INDEX jobs_running_idx ON jobs (heartbeat_at) WHERE state = 'running';
CREATE UNIQUE INDEX jobs_active_key_uq ON jobs (kind, key) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_key_idx ON jobs (key, id DESC);
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE state IN ('done', 'failed');

-- Web imports used to run as promises in the server's memory: one that was running when the server
-- stopped stayed "running" for ever. They cannot be resumed (nothing recorded what to run), so close them.
UPDATE ind_uploads SET status = 'failed', updated_at = now(),
  report = jsonb_build_object('ok', false, 'dryRun', false, 'errorCount', 1,
    'errors', jsonb_build_array(jsonb_build_object('line', 0, 'field', 'file',
      'message', 'The import was interrupted when the server stopped. Nothing was imported; start it again.')))
WHERE status = 'running';
