/** The directory's reads: lookups by id or slug, the paged lists, name search and the sort-key backfill. */
import { and, asc, count, eq, ilike, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { readAll, type Database, type Executor } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import { fold, isUuid, likeEscape } from '../../platform/text.js';
import { type Page } from '../../platform/paging.js';
import { sortKeys, type Locale } from '../../web/i18n/index.js';
import {
  areas,
  commitments,
  commitmentSignatures,
  memberships,
  organisations,
  people,
  type AreaRow,
  type CommitmentRow,
  type MembershipRow,
  type OrganisationRow,
  type PersonRow,
} from './schema.js';

async function findOne<T>(rows: Promise<T[]>, entity: string, ref: string): Promise<T> {
  const [row] = await rows;
  if (!row) throw new NotFoundError(entity, ref);
  return row;
}

/** Looks an organisation up by id or slug. Malformed refs are simply not found. */
export async function getOrganisation(db: Executor, ref: string): Promise<OrganisationRow> {
  const cond = isUuid(ref) ? eq(organisations.id, ref) : eq(organisations.slug, ref);
  return findOne(db.select().from(organisations).where(cond).limit(1), 'organisation', ref);
}

export async function getPerson(db: Executor, ref: string): Promise<PersonRow> {
  const cond = isUuid(ref) ? eq(people.id, ref) : eq(people.slug, ref);
  return findOne(db.select().from(people).where(cond).limit(1), 'person', ref);
}

export async function getCommitment(db: Executor, ref: string): Promise<CommitmentRow> {
  const cond = isUuid(ref) ? eq(commitments.id, ref) : eq(commitments.slug, ref);
  return findOne(db.select().from(commitments).where(cond).limit(1), 'commitment', ref);
}

export async function getMembership(db: Executor, id: string): Promise<MembershipRow> {
  if (!isUuid(id)) throw new NotFoundError('membership', id);
  return findOne(db.select().from(memberships).where(eq(memberships.id, id)).limit(1), 'membership', id);
}

export async function getAreaByKey(db: Executor, key: string): Promise<AreaRow> {
  return findOne(db.select().from(areas).where(eq(areas.key, key.toLowerCase())).limit(1), 'area', key);
}

export async function getAreaById(db: Executor, id: string): Promise<AreaRow | null> {
  const [row] = await db.select().from(areas).where(eq(areas.id, id)).limit(1);
  return row ?? null;
}

/**
 * Several organisations by id in one query, for pages that name many at once (organisers,
 * partners, members): a lookup per id made those pages wait on dozens of queries. Ids that name no
 * organisation are left out; the order is the database's.
 */
export async function getOrganisationsByIds(db: Executor, ids: readonly string[]): Promise<OrganisationRow[]> {
  const wanted = [...new Set(ids)].filter(isUuid);
  if (!wanted.length) return [];
  return db.select().from(organisations).where(inArray(organisations.id, wanted));
}

/** Several people by id in one query (see getOrganisationsByIds): a meeting's participants. */
export async function getPeopleByIds(db: Executor, ids: readonly string[]): Promise<PersonRow[]> {
  const wanted = [...new Set(ids)].filter(isUuid);
  if (!wanted.length) return [];
  return db.select().from(people).where(inArray(people.id, wanted));
}

/** Several areas by id in one query (see getOrganisationsByIds). */
export async function getAreasByIds(db: Executor, ids: readonly string[]): Promise<AreaRow[]> {
  const wanted = [...new Set(ids)].filter(isUuid);
  if (!wanted.length) return [];
  return db.select().from(areas).where(inArray(areas.id, wanted));
}

/**
 * Whether the organisation has signed the commitment (by slug) and the signature has no end date:
 * one query, where reading the whole profile for it cost eight.
 */
export async function hasOpenSignature(db: Executor, orgId: string, commitmentSlug: string): Promise<boolean> {
  const [row] = await db
    .select({ id: commitmentSignatures.id })
    .from(commitmentSignatures)
    .innerJoin(commitments, eq(commitments.id, commitmentSignatures.commitmentId))
    .where(and(eq(commitmentSignatures.organisationId, orgId), eq(commitments.slug, commitmentSlug), isNull(commitmentSignatures.endedOn)))
    .limit(1);
  return !!row;
}

export async function listAreas(db: Executor, filter: { country?: string; level?: string } = {}): Promise<AreaRow[]> {
  const conds: SQL[] = [];
  if (filter.country) conds.push(eq(areas.country, filter.country as 'SE'));
  if (filter.level) conds.push(eq(areas.level, filter.level as 'municipality'));
  return db.select().from(areas).where(conds.length ? and(...conds) : undefined).orderBy(asc(areas.key));
}

export type { Page };

/**
 * Order by name in the reader's alphabetical order across pages: the stored per-language sort key
 * (migrations/0870, sortKey in src/web/i18n), byte-wise so both engines agree; then the id, so
 * equal keys keep one order from page to page.
 */
function byName(t: typeof organisations | typeof people, locale: Locale = 'en'): SQL[] {
  const col = { sv: t.sortSv, nb: t.sortNb, da: t.sortDa, en: t.sortEn }[locale];
  return [sql`${col} COLLATE "C"`, asc(t.id)];
}

/**
 * Gives rows written before migration 0870 their sort keys (run at start-up; idempotent, so
 * several servers starting at once only repeat each other's work). Returns how many rows it keyed.
 */
export async function backfillSortKeys(db: Database): Promise<number> {
  let n = 0;
  for (const t of [organisations, people]) {
    // By id, so a name whose key is empty (only punctuation) is visited once, not forever.
    let last = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await db.orm.select({ id: t.id, name: t.name }).from(t).where(and(eq(t.sortEn, ''), sql`${t.id} > ${last}`)).orderBy(asc(t.id)).limit(500);
      if (!rows.length) break;
      await db.orm.transaction(async (tx) => {
        for (const r of rows) await tx.update(t).set(sortKeys(r.name)).where(eq(t.id, r.id));
      });
      n += rows.length;
      last = rows[rows.length - 1]!.id;
    }
  }
  return n;
}

export async function listOrganisations(
  db: Executor,
  q: { search?: string | undefined; kind?: string | undefined; parentId?: string | undefined; includeEnded?: boolean | undefined; page?: number | undefined; pageSize?: number | undefined; locale?: Locale | undefined },
): Promise<Page<OrganisationRow>> {
  const page = Math.max(1, q.page ?? 1);
  const pageSize = Math.min(200, Math.max(1, q.pageSize ?? 50));
  const conds: SQL[] = [];
  if (q.search) conds.push(ilike(organisations.searchName, `%${likeEscape(fold(q.search))}%`));
  if (q.kind) conds.push(eq(organisations.kind, q.kind as 'network'));
  if (q.parentId) conds.push(eq(organisations.parentId, q.parentId));
  if (!q.includeEnded) conds.push(isNull(organisations.endedOn));
  const where = conds.length ? and(...conds) : undefined;
  const [items, [total]] = await readAll(db, [
    () => db.select().from(organisations).where(where).orderBy(...byName(organisations, q.locale)).limit(pageSize).offset((page - 1) * pageSize),
    () => db.select({ n: count() }).from(organisations).where(where),
  ]);
  return { items, page, pageSize, total: Number(total?.n ?? 0) };
}

export async function listPeople(
  db: Executor,
  q: { search?: string | undefined; includeEnded?: boolean | undefined; page?: number | undefined; pageSize?: number | undefined; locale?: Locale | undefined },
): Promise<Page<PersonRow>> {
  const page = Math.max(1, q.page ?? 1);
  const pageSize = Math.min(200, Math.max(1, q.pageSize ?? 50));
  const conds: SQL[] = [];
  if (q.search) conds.push(ilike(people.searchName, `%${likeEscape(fold(q.search))}%`));
  if (!q.includeEnded) conds.push(isNull(people.endedOn));
  const where = conds.length ? and(...conds) : undefined;
  const [items, [total]] = await readAll(db, [
    () => db.select().from(people).where(where).orderBy(...byName(people, q.locale)).limit(pageSize).offset((page - 1) * pageSize),
    () => db.select({ n: count() }).from(people).where(where),
  ]);
  return { items, page, pageSize, total: Number(total?.n ?? 0) };
}

export async function listCommitments(db: Executor, q: { page?: number | undefined; pageSize?: number | undefined } = {}): Promise<Page<CommitmentRow & { signatories: number }>> {
  const page = Math.max(1, q.page ?? 1);
  const pageSize = Math.min(200, Math.max(1, q.pageSize ?? 50));
  const n = db
    .select({ commitmentId: commitmentSignatures.commitmentId, n: count().as('n') })
    .from(commitmentSignatures)
    .where(isNull(commitmentSignatures.endedOn))
    .groupBy(commitmentSignatures.commitmentId)
    .as('n');
  const [rows, [total]] = await readAll(db, [
    () => db
      .select({ c: commitments, n: n.n })
      .from(commitments)
      .leftJoin(n, eq(n.commitmentId, commitments.id))
      .orderBy(asc(commitments.datedOn), asc(commitments.title))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    () => db.select({ n: count() }).from(commitments),
  ]);
  return { items: rows.map((r) => ({ ...r.c, signatories: Number(r.n ?? 0) })), page, pageSize, total: Number(total?.n ?? 0) };
}

export async function listMemberships(
  db: Executor,
  q: { organisationId?: string | undefined; personId?: string | undefined; memberOrganisationId?: string | undefined; page?: number | undefined; pageSize?: number | undefined },
): Promise<Page<MembershipRow>> {
  const page = Math.max(1, q.page ?? 1);
  const pageSize = Math.min(500, Math.max(1, q.pageSize ?? 100));
  const conds: SQL[] = [];
  if (q.organisationId) conds.push(eq(memberships.organisationId, q.organisationId));
  if (q.personId) conds.push(eq(memberships.personId, q.personId));
  if (q.memberOrganisationId) conds.push(eq(memberships.memberOrganisationId, q.memberOrganisationId));
  const where = conds.length ? and(...conds) : undefined;
  const [items, [total]] = await readAll(db, [
    () => db.select().from(memberships).where(where).orderBy(asc(memberships.startDate), asc(memberships.createdAt)).limit(pageSize).offset((page - 1) * pageSize),
    () => db.select({ n: count() }).from(memberships).where(where),
  ]);
  return { items, page, pageSize, total: Number(total?.n ?? 0) };
}

/** Simple name search; accent- and case-insensitive. Full-text search is the search module's job. */
export async function searchNames(db: Executor, term: string, limit = 20) {
  const f = fold(term);
  if (!f) return { organisations: [], people: [] };
  const like = `%${likeEscape(f)}%`;
  // Names that start with the term rank before names that merely contain it.
  const rank = (col: typeof organisations.searchName | typeof people.searchName) =>
    sql`CASE WHEN ${col} LIKE ${`${likeEscape(f)}%`} THEN 0 ELSE 1 END`;
  const [orgs, ppl] = await readAll(db, [
    () => db.select().from(organisations).where(ilike(organisations.searchName, like)).orderBy(rank(organisations.searchName), asc(organisations.searchName)).limit(limit),
    () => db.select().from(people).where(ilike(people.searchName, like)).orderBy(rank(people.searchName), asc(people.searchName)).limit(limit),
  ]);
  return { organisations: orgs, people: ppl };
}

