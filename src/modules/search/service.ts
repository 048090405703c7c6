import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import { readAll, type Executor } from '../../platform/db/index.js';
import { ValidationError } from '../../platform/errors.js';
import { TS_CONFIG, type SearchLang } from '../../platform/search-index.js';
import { fold, isUuid } from '../../platform/text.js';
import { directory } from '../directory/index.js';

/*
 * The read side of the one search index (platform/search-index.ts writes it).
 *
 * A query is folded like the index (case and accents off), cut into words, and run
 * through every content language's stemmer at once, so "kommunerna" finds a Swedish
 * "kommun" and "kommunene" a Norwegian one; the last word is a prefix, for typing.
 * Names also match as substrings and with small typos through the trigram index on
 * the folded title. Restricted documents are filtered in SQL before anything is
 * counted, so counts never reveal what a reader may not open.
 */

export const MAX_QUERY_CHARS = 500;
const MAX_WORDS = 16;

export type SearchQueryProblem = 'too_long' | 'no_words';

export type SearchParams = {
  q: string;
  type?: string | null;
  org?: string | null;
  sdg?: number | null;
  year?: number | null;
  lang?: SearchLang | null;
  page?: number;
  pageSize?: number;
};

export type SearchHit = {
  type: string;
  id: string;
  title: string;
  url: string;
  lang: string | null;
  year: number | null;
  organisationIds: string[];
  sdgGoals: number[];
  restricted: boolean;
  /** The body around the matches; `\u0001`…`\u0002` mark the matched words (see `snippetParts`). */
  snippet: string;
  rank: number;
};

export type SearchResult = {
  hits: SearchHit[];
  /** Documents per type for this query and these filters, type filter aside; at most COUNT_CAP. */
  counts: Record<string, number>;
  /** The types with more than COUNT_CAP matches (their count reads "more than COUNT_CAP"). */
  capped: string[];
  /** Documents matching including the type filter. */
  total: number;
  /** True when `total` is a lower bound: some type counted has more than COUNT_CAP matches. */
  totalCapped: boolean;
  page: number;
  pageSize: number;
};

/** The words of a query, folded; throws a ValidationError naming `q` when there is nothing to search for. */
export function queryWords(q: string): string[] {
  if (q.length > MAX_QUERY_CHARS) throw new ValidationError([{ field: 'q', message: `too_long: at most ${MAX_QUERY_CHARS} characters` }], 'The search text is too long.');
  const words = fold(q).match(/[\p{L}\p{N}]+/gu) ?? [];
  if (!words.length) throw new ValidationError([{ field: 'q', message: 'no_words: type at least one letter or digit' }], 'The search text has no words.');
  return words.slice(0, MAX_WORDS);
}

export function queryProblem(err: unknown): SearchQueryProblem | null {
  if (!(err instanceof ValidationError)) return null;
  const m = err.fields.find((f) => f.field === 'q')?.message ?? '';
  return m.startsWith('too_long') ? 'too_long' : m.startsWith('no_words') ? 'no_words' : null;
}

/** Every word must match; the last one as a prefix. Words are letters and digits only, so quoting is safe. */
const tsqueryText = (words: string[]) => words.map((w, i) => `'${w}'${i === words.length - 1 ? ':*' : ''}`).join(' & ');

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const CONFIGS = [...Object.values(TS_CONFIG), 'simple'];

/** The organisations whose restricted documents this reader may find (null: all, for platform admins). */
export async function visibleRestrictedOrgs(db: Executor, actor: Actor): Promise<string[] | null> {
  if (actor.isPlatformAdmin) return null;
  if (!actor.userId || actor.orgRoles.size === 0) return [];
  const rows = (await db.execute(sql`SELECT DISTINCT restricted_to_org AS id FROM search_documents WHERE restricted_to_org IS NOT NULL`)) as unknown;
  const out: string[] = [];
  for (const r of rowsOf<{ id: string }>(rows)) if (await directory.isMemberOf(db, actor, r.id)) out.push(r.id);
  return out;
}

/** Both drivers return rows, under `.rows` (PGlite, node-postgres). */
function rowsOf<T>(res: unknown): T[] {
  const r = res as { rows?: T[] } | T[];
  return Array.isArray(r) ? r : (r.rows ?? []);
}

const cfgOf = sql`(CASE d.lang WHEN 'sv' THEN 'swedish' WHEN 'nb' THEN 'norwegian' WHEN 'da' THEN 'danish' WHEN 'en' THEN 'english' ELSE 'simple' END)::regconfig`;

function matchParts(words: string[]) {
  const text = tsqueryText(words);
  const tq = sql.join(
    CONFIGS.map((c) => sql`to_tsquery(${c}::regconfig, ${text})`),
    sql` || `,
  );
  const phrase = words.join(' ');
  const like = `%${likeEscape(phrase)}%`;
  const titleMatch = sql`(d.title_fold LIKE ${like} OR ${phrase} <% d.title_fold)`;
  const match = sql`(d.tsv @@ (${tq}) OR ${titleMatch})`;
  const rank = sql`(ts_rank(d.tsv, (${tq})) + CASE WHEN d.title_fold LIKE ${like} THEN 0.5 ELSE 0 END + word_similarity(${phrase}, d.title_fold) * 0.5)`;
  return { tq, match, titleMatch, rank };
}

function filters(p: SearchParams, visible: string[] | null, withType: boolean): SQL {
  const parts: SQL[] = [];
  if (visible !== null) {
    parts.push(visible.length ? sql`(d.restricted_to_org IS NULL OR d.restricted_to_org = ANY(${`{${visible.join(',')}}`}::uuid[]))` : sql`d.restricted_to_org IS NULL`);
  }
  if (withType && p.type) parts.push(sql`d.doc_type = ${p.type}`);
  if (p.org) parts.push(sql`${p.org}::uuid = ANY(d.organisation_ids)`);
  if (p.sdg) parts.push(sql`${p.sdg}::int = ANY(d.sdg_goals)`);
  if (p.year) parts.push(sql`d.year = ${p.year}`);
  if (p.lang) parts.push(sql`d.lang = ${p.lang}`);
  return parts.length ? sql.join(parts, sql` AND `) : sql`TRUE`;
}

type Row = {
  doc_type: string;
  doc_id: string;
  title: string;
  url: string;
  lang: string | null;
  year: number | null;
  organisation_ids: string[] | string;
  sdg_goals: number[] | string;
  restricted_to_org: string | null;
  snippet: string | null;
  rank: number | string;
};

/** node-postgres parses uuid[] and int[]; PGlite too, but keep a fallback for the literal form. */
const arr = (v: string[] | number[] | string, num = false): any[] => {
  if (Array.isArray(v)) return v;
  const inner = v.replace(/^\{|\}$/g, '');
  const xs = inner ? inner.split(',') : [];
  return num ? xs.map(Number) : xs;
};

const toHit = (r: Row): SearchHit => ({
  type: r.doc_type,
  id: r.doc_id,
  title: r.title,
  url: r.url,
  lang: r.lang,
  year: r.year,
  organisationIds: arr(r.organisation_ids),
  sdgGoals: arr(r.sdg_goals, true),
  restricted: r.restricted_to_org !== null,
  snippet: r.snippet ?? '',
  rank: Number(r.rank),
});

// Control characters never appear in indexed text (they are removed before ts_headline),
// so they mark matches unambiguously; the page turns them into <mark> elements and
// escapes everything else as ordinary text.
const HEADLINE_OPTS = 'StartSel=\u0001, StopSel=\u0002, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "';
const snippetSql = (tq: SQL) =>
  sql`CASE WHEN d.body = '' THEN '' ELSE ts_headline(${cfgOf}, translate(left(d.body, 20000), E'\\x01\\x02', ''), (${tq}), ${HEADLINE_OPTS}) END`;

/**
 * Bounded work per query, whatever the words (a very common word matches most of a large
 * index; scanning and ranking all of it took seconds at 20,000 documents):
 *  - counts stop at COUNT_CAP per kind: exact below it, "more than COUNT_CAP" above it
 *    (each kind counted on its own, so the grouped counts stay true per kind);
 *  - ranking (ts_rank, cheaper than cover density) runs over a pool: the first RANK_POOL
 *    matches the engine finds, plus up to TITLE_POOL title matches (the ones the rank rewards
 *    most). When a query matches fewer than RANK_POOL documents, the pool holds them all and
 *    the order is exact.
 * The permission filter is inside every part, so neither counts nor pools see what the
 * reader may not.
 */
export const COUNT_CAP = 500;
const RANK_POOL = 500;
const TITLE_POOL = 100;
const GROUP_POOL = 100;

/** The kinds present in the index, found by a loose index scan (one probe a kind, not a scan of every row). */
const TYPES_CTE = sql`types(t) AS (
    SELECT min(doc_type) FROM search_documents
    UNION ALL
    SELECT (SELECT min(s.doc_type) FROM search_documents s WHERE s.doc_type > types.t) FROM types WHERE types.t IS NOT NULL)`;

/**
 * The candidates with their rank (see above). The rank is computed in the scan itself, only for
 * the rows the LIMIT lets through; a document in both parts comes out once (same rank).
 */
function pool(match: SQL, titleMatch: SQL, rank: SQL, where: SQL, limit: number) {
  return sql`(SELECT d.doc_type, d.doc_id, d.updated_at, ${rank} AS rank FROM search_documents d WHERE ${match} AND ${where} LIMIT ${limit})
    UNION
    (SELECT d.doc_type, d.doc_id, d.updated_at, ${rank} AS rank FROM search_documents d WHERE ${titleMatch} AND ${where} LIMIT ${Math.min(limit, TITLE_POOL)})`;
}

/** Counts per kind, each capped at COUNT_CAP + 1 (the + 1 tells "more than"). */
function countStatement(match: SQL, where: SQL) {
  return sql`WITH RECURSIVE ${TYPES_CTE}
    SELECT types.t AS doc_type, c.n FROM types CROSS JOIN LATERAL (
      SELECT count(*) AS n FROM (SELECT 1 FROM search_documents d WHERE d.doc_type = types.t AND ${match} AND ${where} LIMIT ${COUNT_CAP + 1}) x) c
    WHERE types.t IS NOT NULL AND c.n > 0`;
}

function readCounts(rows: unknown): { counts: Record<string, number>; capped: string[] } {
  const counts: Record<string, number> = {};
  const capped: string[] = [];
  for (const r of rowsOf<{ doc_type: string; n: number | string }>(rows)) {
    const n = Number(r.n);
    counts[r.doc_type] = Math.min(n, COUNT_CAP);
    if (n > COUNT_CAP) capped.push(r.doc_type);
  }
  return { counts, capped };
}

/**
 * The two statements of one search, for a reader whose visible restricted organisations are
 * known: counts by type and one ranked page. Exposed so the benchmark runs exactly this SQL raw.
 */
export function searchStatements(p: SearchParams, visible: string[] | null) {
  const words = queryWords(p.q);
  if (p.org && !isUuid(p.org)) p = { ...p, org: null };
  const page = Math.max(1, p.page ?? 1);
  const pageSize = Math.min(100, Math.max(1, p.pageSize ?? 20));
  const { tq, match, titleMatch, rank } = matchParts(words);
  const count = countStatement(match, filters(p, visible, false));
  // Rank the pool and cut to the page; ts_headline (costly) runs only on the rows shown.
  const rows = sql`
      SELECT d.doc_type, d.doc_id, d.title, d.url, d.lang, d.year, d.organisation_ids, d.sdg_goals, d.restricted_to_org, m.rank,
             ${snippetSql(tq)} AS snippet
      FROM (SELECT c.* FROM (${pool(match, titleMatch, rank, filters(p, visible, true), RANK_POOL)}) c
            ORDER BY c.rank DESC, c.updated_at DESC, c.doc_type, c.doc_id
            LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}) m
      JOIN search_documents d ON d.doc_type = m.doc_type AND d.doc_id = m.doc_id
      ORDER BY m.rank DESC, m.updated_at DESC, d.doc_type, d.doc_id`;
  return { count, rows, page, pageSize };
}

/** One page of ranked results plus counts by type. The reader's permissions are applied in SQL. */
export async function search(db: Executor, actor: Actor, p: SearchParams): Promise<SearchResult> {
  queryWords(p.q); // a bad query is refused before any database work
  const visible = await visibleRestrictedOrgs(db, actor);
  const st = searchStatements(p, visible);
  const [countRows, rows] = await readAll(db, [() => db.execute(st.count), () => db.execute(st.rows)]);
  const { counts, capped } = readCounts(countRows);
  const total = p.type ? (counts[p.type] ?? 0) : Object.values(counts).reduce((a, b) => a + b, 0);
  const totalCapped = p.type ? capped.includes(p.type) : capped.length > 0;
  return { hits: rowsOf<Row>(rows).map(toHit), counts, capped, total, totalCapped, page: st.page, pageSize: st.pageSize };
}

/** The best few documents of each type, for the grouped overview of a query without a type filter. */
export async function searchGrouped(db: Executor, actor: Actor, p: SearchParams, perType = 3): Promise<SearchResult> {
  const words = queryWords(p.q);
  if (p.org && !isUuid(p.org)) p = { ...p, org: null };
  const visible = await visibleRestrictedOrgs(db, actor);
  const { tq, match, titleMatch, rank } = matchParts(words);
  const where = filters(p, visible, false);
  const [countRows, rows] = await readAll(db, [
    () => db.execute(countStatement(match, where)),
    () => db.execute(sql`
      WITH RECURSIVE ${TYPES_CTE}
      SELECT d.doc_type, d.doc_id, d.title, d.url, d.lang, d.year, d.organisation_ids, d.sdg_goals, d.restricted_to_org, m.rank,
             ${snippetSql(tq)} AS snippet
      FROM types CROSS JOIN LATERAL (
             SELECT c.* FROM (${pool(match, titleMatch, rank, sql`d.doc_type = types.t AND ${where}`, GROUP_POOL)}) c
             ORDER BY c.rank DESC, c.updated_at DESC, c.doc_id
             LIMIT ${perType}) m
      JOIN search_documents d ON d.doc_type = m.doc_type AND d.doc_id = m.doc_id
      WHERE types.t IS NOT NULL
      ORDER BY d.doc_type, m.rank DESC, m.updated_at DESC, d.doc_id`),
  ]);
  const { counts, capped } = readCounts(countRows);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return { hits: rowsOf<Row>(rows).map(toHit), counts, capped, total, totalCapped: capped.length > 0, page: 1, pageSize: perType };
}

/** Splits a snippet into text and matched parts, for safe rendering (no HTML is ever built from it). */
export function snippetParts(snippet: string): { text: string; hit: boolean }[] {
  const out: { text: string; hit: boolean }[] = [];
  const re = /\u0001([^\u0001\u0002]*)\u0002/g;
  let at = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    if (m.index > at) out.push({ text: snippet.slice(at, m.index), hit: false });
    out.push({ text: m[1]!, hit: true });
    at = m.index + m[0].length;
  }
  if (at < snippet.length) out.push({ text: snippet.slice(at).replace(/[\u0001\u0002]/g, ''), hit: false });
  return out;
}
