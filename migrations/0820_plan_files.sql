-- Uploaded documents of a plan (the plan itself, its appendices, the adopting decision), beside the
-- links in plan_plans.documents. The bytes live in the file storage under storage_key; a draft
-- plan's files are served only to those who may see the draft.
CREATE TABLE plan_files (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plan_id uuid NOT NULL REFERENCES plan_plans (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  file_name text NOT NULL,
  mime_type text NOT NULL,
  size_bytes bigint NOT NULL,
  sha512 text NOT NULL,
  storage_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plan_files_storage_key_key UNIQUE (storage_key)
);
CREATE INDEX plan_files_plan_idx ON plan_files (plan_id);
