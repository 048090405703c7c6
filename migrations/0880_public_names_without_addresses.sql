-- An article saved without an author name was signed with its editor's account label, and a plan
-- action's status update always was: "Name <email>", which put the address on public pages, in the
-- API, the feeds and (for articles) the search index. The code now writes the name alone
-- (publicActorName in src/platform/audit.ts); this drops the address from what was written before.
UPDATE knowledge_news SET author_name = regexp_replace(author_name, '\s*<[^<>]*>\s*$', '')
 WHERE author_name ~ '<[^<>]*@[^<>]*>\s*$';
UPDATE plan_status_updates SET author_label = regexp_replace(author_label, '\s*<[^<>]*>\s*$', '')
 WHERE author_label ~ '<[^<>]*@[^<>]*>\s*$';
-- An article's search document holds its author: the job worker rebuilds the index (the same job
-- as `npm run cli -- search reindex`) when an article's search document holds an address.
INSERT INTO jobs (kind, key, payload)
SELECT 'search.reindex', 'all', '{"by": "migration 0880"}'::jsonb
 WHERE EXISTS (SELECT 1 FROM search_documents WHERE doc_type = 'news' AND body ~ '<[^<>]*@[^<>]*>')
ON CONFLICT (kind, key) WHERE state IN ('queued', 'running') DO NOTHING;
