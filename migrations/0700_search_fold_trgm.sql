-- Search (issue #16, docs/decisions/0005-search.md): names match with small typos through
-- pg_trgm. PGlite loads the extension as a contrib module (src/platform/db/index.ts);
-- on PostgreSQL pg_trgm is a trusted extension, so a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The title folded for accent- and case-insensitive matching (platform/text.ts fold(),
-- done in TypeScript so both engines fold alike): the trigram index serves typo-tolerant
-- and substring name matches ("hurdl", "KS 2024/17").
ALTER TABLE search_documents ADD COLUMN title_fold text NOT NULL DEFAULT '';
UPDATE search_documents SET title_fold = lower(title);
CREATE INDEX search_documents_title_trgm_idx ON search_documents USING gin (title_fold gin_trgm_ops);
-- The permission filter looks up the few organisations that have restricted documents.
CREATE INDEX search_documents_restricted_idx ON search_documents (restricted_to_org) WHERE restricted_to_org IS NOT NULL;
CREATE INDEX search_documents_type_idx ON search_documents (doc_type);
