/**
 * The write side of the one search index. Every module calls these inside the
 * transaction of the write that changes a searchable record, so the index can
 * never disagree with the data; the search module (src/modules/search) reads it.
 *
 * Never index what a reader may not see as public: drafts are either not indexed
 * or restricted to their organisation (`restrictedToOrg`).
 */
import { sql } from 'drizzle-orm';
import type { Executor } from './db/index.js';

export type SearchLang = 'sv' | 'nb' | 'da' | 'en';

/** PostgreSQL's text-search configuration (snowball stemmer) for a content language. */
export const TS_CONFIG: Record<SearchLang, string> = { sv: 'swedish', nb: 'norwegian', da: 'danish', en: 'english' };

export type SearchDoc = {
  /** The kind of record: 'organisation', 'person', 'meeting', 'agenda_item', 'indicator', 'plan', 'action', 'challenge', 'project', 'news', 'event', 'practice', … */
  type: string;
  id: string;
  title: string;
  body?: string;
  lang?: SearchLang | null;
  /** Where a reader finds the record, relative to the site: '/projects/spik'. */
  url: string;
  /** Null or absent: public. Otherwise visible only to this organisation's members and platform admins. */
  restrictedToOrg?: string | null;
  organisationIds?: string[];
  sdgGoals?: number[];
  year?: number | null;
};

const MAX_BODY = 200_000; // tsvector has a 1 MB limit; long document texts are cut, not refused.

/** Adds or replaces a document in the index. Call inside the write's transaction. */
export async function indexSearchDoc(tx: Executor, d: SearchDoc): Promise<void> {
  const cfg = d.lang ? TS_CONFIG[d.lang] : 'simple';
  const body = (d.body ?? '').slice(0, MAX_BODY);
  await tx.execute(sql`
    INSERT INTO search_documents (doc_type, doc_id, title, body, lang, url, restricted_to_org, organisation_ids, sdg_goals, year, tsv, updated_at)
    VALUES (${d.type}, ${d.id}, ${d.title}, ${body}, ${d.lang ?? null}, ${d.url}, ${d.restrictedToOrg ?? null},
            ${`{${(d.organisationIds ?? []).join(',')}}`}::uuid[], ${`{${(d.sdgGoals ?? []).join(',')}}`}::int[], ${d.year ?? null},
            setweight(to_tsvector(${cfg}::regconfig, ${d.title}), 'A') || setweight(to_tsvector(${cfg}::regconfig, ${body}), 'B'), now())
    ON CONFLICT (doc_type, doc_id) DO UPDATE SET
      title = EXCLUDED.title, body = EXCLUDED.body, lang = EXCLUDED.lang, url = EXCLUDED.url,
      restricted_to_org = EXCLUDED.restricted_to_org, organisation_ids = EXCLUDED.organisation_ids,
      sdg_goals = EXCLUDED.sdg_goals, year = EXCLUDED.year, tsv = EXCLUDED.tsv, updated_at = now()`);
}

/** Removes a document (deleted, or no longer visible as it was indexed). Call inside the write's transaction. */
export async function removeSearchDoc(tx: Executor, type: string, id: string): Promise<void> {
  await tx.execute(sql`DELETE FROM search_documents WHERE doc_type = ${type} AND doc_id = ${id}`);
}
