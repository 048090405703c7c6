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
import { fold } from './text.js';

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

/**
 * Adds or replaces a document in the index. Call inside the write's transaction.
 *
 * Title and body are folded (platform/text.ts: lower case, accents off, ø → o, æ → ae)
 * before stemming, and the search module folds queries the same way, so "Hallbar"
 * finds "Hållbar" on both engines without the unaccent extension. The title is also
 * indexed unstemmed ('simple'), so names and codes match exactly in any language.
 */
export async function indexSearchDoc(tx: Executor, d: SearchDoc): Promise<void> {
  const cfg = d.lang ? TS_CONFIG[d.lang] : 'simple';
  const body = (d.body ?? '').slice(0, MAX_BODY);
  const title = d.title.slice(0, 2000);
  const titleFold = fold(title);
  const bodyFold = fold(body);
  await tx.execute(sql`
    INSERT INTO search_documents (doc_type, doc_id, title, title_fold, body, lang, url, restricted_to_org, organisation_ids, sdg_goals, year, tsv, updated_at)
    VALUES (${d.type}, ${d.id}, ${title}, ${titleFold}, ${body}, ${d.lang ?? null}, ${d.url}, ${d.restrictedToOrg ?? null},
            ${`{${(d.organisationIds ?? []).join(',')}}`}::uuid[], ${`{${(d.sdgGoals ?? []).join(',')}}`}::int[], ${d.year ?? null},
            setweight(to_tsvector(${cfg}::regconfig, ${titleFold}), 'A') || setweight(to_tsvector('simple'::regconfig, ${titleFold}), 'A')
              || setweight(to_tsvector(${cfg}::regconfig, ${bodyFold}), 'B'), now())
    ON CONFLICT (doc_type, doc_id) DO UPDATE SET
      title = EXCLUDED.title, title_fold = EXCLUDED.title_fold, body = EXCLUDED.body, lang = EXCLUDED.lang, url = EXCLUDED.url,
      restricted_to_org = EXCLUDED.restricted_to_org, organisation_ids = EXCLUDED.organisation_ids,
      sdg_goals = EXCLUDED.sdg_goals, year = EXCLUDED.year, tsv = EXCLUDED.tsv, updated_at = now()`);
}

/** Removes a document (deleted, or no longer visible as it was indexed). Call inside the write's transaction. */
export async function removeSearchDoc(tx: Executor, type: string, id: string): Promise<void> {
  await tx.execute(sql`DELETE FROM search_documents WHERE doc_type = ${type} AND doc_id = ${id}`);
}

/** Removes every document of one type whose id starts with a prefix (a meeting's items: `${meetingId}/`). */
export async function removeSearchDocsByPrefix(tx: Executor, type: string, idPrefix: string): Promise<void> {
  await tx.execute(sql`DELETE FROM search_documents WHERE doc_type = ${type} AND starts_with(doc_id, ${idPrefix})`);
}

/**
 * What each module exports for `npm run cli -- search reindex`: every searchable record it
 * holds, as it would index it on its next write (restricted ones with `restrictedToOrg`).
 */
/**
 * A module's searchable records, for a rebuild of the index: either the documents themselves
 * (`docs`), or a `rebuild` that re-runs the module's own write-time indexing for every record
 * inside the rebuild's transaction and says how many records it went through.
 */
export type SearchDocSource = { types: string[]; docs?: (db: Executor) => AsyncIterable<SearchDoc>; rebuild?: (tx: Executor) => Promise<number> };
