-- One search index across every module. Each module writes its documents here in the
-- same transaction as the write that changes them (platform/search-index.ts); the search
-- module only reads. Each document is stemmed with its own language's configuration.
CREATE TABLE search_documents (
  doc_type text NOT NULL,
  doc_id text NOT NULL,
  title text NOT NULL,
  body text NOT NULL DEFAULT '',
  -- The content's own language (sv, nb, da, en); null when unknown (then 'simple').
  lang text CHECK (lang IS NULL OR lang IN ('sv', 'nb', 'da', 'en')),
  url text NOT NULL,
  -- Null: public. Otherwise only members (any role) of this organisation, and platform
  -- admins, may find the document. Drafts and closed content must never be indexed public.
  restricted_to_org uuid,
  organisation_ids uuid[] NOT NULL DEFAULT '{}',
  sdg_goals int[] NOT NULL DEFAULT '{}',
  year int,
  tsv tsvector NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT search_documents_pk PRIMARY KEY (doc_type, doc_id)
);
CREATE INDEX search_documents_tsv_idx ON search_documents USING gin (tsv);
CREATE INDEX search_documents_orgs_idx ON search_documents USING gin (organisation_ids);
