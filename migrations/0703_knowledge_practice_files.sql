-- Attachments of good practices (issue #16): content-checked uploads; their text is searchable once published.
CREATE TABLE knowledge_practice_files (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  practice_id uuid NOT NULL CONSTRAINT knowledge_practice_files_practice_fk REFERENCES knowledge_practices (id),
  title text NOT NULL,
  file_name text NOT NULL,
  mime_type text NOT NULL,
  size_bytes bigint NOT NULL,
  storage_key text NOT NULL,
  extracted_text text,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);
CREATE INDEX knowledge_practice_files_practice_idx ON knowledge_practice_files (practice_id);
