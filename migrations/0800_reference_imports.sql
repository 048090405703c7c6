-- Reference-data imports started from the web form or the API run as jobs (indicators.reference-import),
-- so a large framework or boundary file does not hold a request open and survives a restart. The file
-- waits here until its job has run (then its content is removed); the outcome stays for the status page.
CREATE TABLE ind_reference_imports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid,
  kind text NOT NULL,
  filename text NOT NULL DEFAULT '',
  options jsonb NOT NULL DEFAULT '{}'::jsonb,
  content bytea NOT NULL,
  regions bytea,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'done', 'failed')),
  result jsonb,
  error jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ind_reference_imports_created_idx ON ind_reference_imports (created_at DESC);
