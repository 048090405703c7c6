import { and, asc, count, desc, eq, ilike, inArray, isNull, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { readAll, type Database, type Executor } from '../../platform/db/index.js';
import { recordAudit, diff, type Actor } from '../../platform/audit.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';
import { fold, isUuid, likeEscape, slugify } from '../../platform/text.js';
import { pageWindow, type Page } from '../../platform/paging.js';
import { sortKeys, type Locale } from '../../web/i18n/index.js';
import {
  areaDelegations,
  areas,
  commitments,
  commitmentSignatures,
  memberships,
  organisations,
  people,
  TERRITORIAL_KINDS,
  type AreaRow,
  type CommitmentRow,
  type MembershipRow,
  type OrganisationRow,
  type PersonRow,
} from './schema.js';
import {
  areaKey,
  areaKeyFor,
  AreaInput,
  endsBeforeStart,
  periodEnd,
  periodStart,
  CommitmentInput,
  MembershipFields,
  MembershipInput,
  MembershipUpdate,
  OrganisationInput,
  PersonInput,
  SignatureInput,
} from './inputs.js';
import * as policy from './policy.js';
import { ancestorIds, descendantIds } from './tree.js';

export { ancestorIds, descendantIds };
import { indexCommitmentDoc, indexOrganisationDoc, indexPersonDoc } from './search.js';

/** Turns a Zod failure into the domain's ValidationError, naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ValidationError(
    r.error.issues.map((i) => ({ field: i.path.join('.') || '_', message: i.message })),
  );
}

const today = () => new Date().toISOString().slice(0, 10);
/** A record is current when it has not ended, or its end (at its latest reading) is today or later. */
export const isCurrent = (end: string | null | undefined, on = today()) => !end || periodEnd(end) >= on;

// ---------------------------------------------------------------------------
// Lookups

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

// ---------------------------------------------------------------------------
// Profiles: what the organisation, person and commitment pages show

export type MemberEntry = {
  membership: MembershipRow;
  person: Pick<PersonRow, 'id' | 'slug' | 'name' | 'title'> | null;
  memberOrganisation: Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'> | null;
  organisation: Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'>;
  onBehalfOf: Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'> | null;
  current: boolean;
};

const orgCols = { id: organisations.id, slug: organisations.slug, name: organisations.name, kind: organisations.kind };

async function membershipEntries(db: Executor, where: SQL, window?: { limit: number; offset: number }): Promise<MemberEntry[]> {
  const memberOrg = alias(organisations, 'member_org');
  const behalf = alias(organisations, 'behalf_org');
  const org = alias(organisations, 'org');
  const query = db
    .select({
      membership: memberships,
      person: { id: people.id, slug: people.slug, name: people.name, title: people.title },
      memberOrganisation: { id: memberOrg.id, slug: memberOrg.slug, name: memberOrg.name, kind: memberOrg.kind },
      organisation: { id: org.id, slug: org.slug, name: org.name, kind: org.kind },
      onBehalfOf: { id: behalf.id, slug: behalf.slug, name: behalf.name, kind: behalf.kind },
    })
    .from(memberships)
    .innerJoin(org, eq(org.id, memberships.organisationId))
    .leftJoin(people, eq(people.id, memberships.personId))
    .leftJoin(memberOrg, eq(memberOrg.id, memberships.memberOrganisationId))
    .leftJoin(behalf, eq(behalf.id, memberships.onBehalfOfId))
    .where(where)
    .orderBy(
      sql`CASE ${memberships.role} WHEN 'chair' THEN 0 WHEN 'vice_chair' THEN 1 WHEN 'coordinator' THEN 2 WHEN 'project_leader' THEN 3 WHEN 'board_member' THEN 4 ELSE 5 END`,
      desc(memberships.startDate),
      asc(memberships.createdAt),
      asc(memberships.id),
    );
  const rows = window ? await query.limit(window.limit).offset(window.offset) : await query;
  const on = today();
  return rows.map((r) => ({
    membership: r.membership,
    person: r.person?.id ? r.person : null,
    memberOrganisation: r.memberOrganisation?.id ? r.memberOrganisation : null,
    organisation: r.organisation,
    // Unconfirmed "on behalf of" speaks for nobody yet.
    onBehalfOf: r.onBehalfOf?.id && !r.membership.onBehalfPending ? r.onBehalfOf : null,
    current: isCurrent(r.membership.endDate, on) && (!r.membership.startDate || periodStart(r.membership.startDate) <= on),
  }));
}

export type SignatureEntry = {
  signature: typeof commitmentSignatures.$inferSelect;
  commitment: Pick<CommitmentRow, 'id' | 'slug' | 'title' | 'datedOn' | 'url' | 'lang'>;
  organisation: Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'>;
  current: boolean;
};

async function signatureEntries(db: Executor, where: SQL): Promise<SignatureEntry[]> {
  const rows = await db
    .select({
      signature: commitmentSignatures,
      commitment: { id: commitments.id, slug: commitments.slug, title: commitments.title, datedOn: commitments.datedOn, url: commitments.url, lang: commitments.lang },
      organisation: orgCols,
    })
    .from(commitmentSignatures)
    .innerJoin(commitments, eq(commitments.id, commitmentSignatures.commitmentId))
    .innerJoin(organisations, eq(organisations.id, commitmentSignatures.organisationId))
    .where(where)
    .orderBy(asc(commitmentSignatures.signedOn), asc(organisations.searchName));
  return rows.map((r) => ({ ...r, current: isCurrent(r.signature.endedOn) }));
}

export type OrganisationProfile = {
  organisation: OrganisationRow;
  area: AreaRow | null;
  parent: Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'> | null;
  ancestors: Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'>[];
  children: OrganisationRow[];
  /** People and organisations that are members of this organisation. */
  members: MemberEntry[];
  /** This organisation's own memberships in networks and other bodies. */
  membershipsElsewhere: MemberEntry[];
  /** People who hold roles elsewhere on behalf of this organisation. */
  representatives: MemberEntry[];
  commitments: SignatureEntry[];
};

/** The organisation's ancestors, the farthest first, in one query (ancestorIds and the rows). */
async function ancestorRows(db: Executor, orgId: string): Promise<Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'>[]> {
  const res = await db.execute(sql`
    WITH RECURSIVE up(id, parent_id, depth) AS (
      SELECT id, parent_id, 0 FROM organisations WHERE id = ${orgId}
      UNION ALL
      SELECT o.id, o.parent_id, up.depth + 1 FROM organisations o JOIN up ON o.id = up.parent_id WHERE up.depth < 50
    )
    SELECT o.id, o.slug, o.name, o.kind FROM up JOIN organisations o ON o.id = up.id WHERE up.depth > 0 ORDER BY up.depth DESC`);
  return res.rows as Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'>[];
}

export async function organisationProfile(db: Executor, ref: string): Promise<OrganisationProfile> {
  const organisation = await getOrganisation(db, ref);
  const id = organisation.id;
  // One query for the three kinds of membership the page lists (they were three, each with four
  // joins), split here by the same conditions; the order is the query's, as before.
  const [area, ancestors, children, entries, sigs] = await readAll(db, [
    () => organisation.areaId ? getAreaById(db, organisation.areaId) : Promise.resolve(null),
    () => ancestorRows(db, id),
    () => db.select().from(organisations).where(eq(organisations.parentId, id)).orderBy(asc(organisations.searchName)),
    () => membershipEntries(db, or(eq(memberships.organisationId, id), eq(memberships.memberOrganisationId, id), eq(memberships.onBehalfOfId, id))!),
    () => signatureEntries(db, eq(commitmentSignatures.organisationId, id)),
  ]);
  const members = entries.filter((e) => e.membership.organisationId === id);
  const elsewhere = entries.filter((e) => e.membership.memberOrganisationId === id);
  // Awaiting the organisation's confirmation: not among its representatives yet.
  const reps = entries.filter((e) => e.membership.onBehalfOfId === id && !e.membership.onBehalfPending && e.membership.personId !== null);
  return {
    organisation,
    area,
    parent: ancestors.length ? ancestors[ancestors.length - 1]! : null,
    ancestors,
    children,
    members,
    membershipsElsewhere: elsewhere,
    representatives: reps,
    commitments: sigs,
  };
}

export async function personProfile(db: Executor, ref: string) {
  const person = await getPerson(db, ref);
  const roles = await membershipEntries(db, eq(memberships.personId, person.id));
  return { person, roles };
}

export async function commitmentProfile(db: Executor, ref: string) {
  const commitment = await getCommitment(db, ref);
  const signatories = await signatureEntries(db, eq(commitmentSignatures.commitmentId, commitment.id));
  return { commitment, signatories };
}

/** Every organisation, for pickers in forms. Small enough for a network directory. */
export async function organisationOptions(db: Executor) {
  return db.select(orgCols).from(organisations).where(isNull(organisations.endedOn)).orderBy(asc(organisations.searchName));
}

export async function personOptions(db: Executor) {
  return db.select({ id: people.id, name: people.name, title: people.title }).from(people).where(isNull(people.endedOn)).orderBy(asc(people.searchName));
}

// ---------------------------------------------------------------------------
// Writes. Each runs in one transaction with its audit row.

/** Uses the requested slug if it is free; otherwise derives a free one from the name. */
async function chooseSlug(db: Executor, table: typeof organisations | typeof people | typeof commitments, requested: string | null | undefined, name: string): Promise<string> {
  if (!requested) return uniqueSlug(db, table, name);
  const [taken] = await db.select({ id: table.id }).from(table).where(eq(table.slug, requested)).limit(1);
  if (taken) throw new ConflictError('This address (slug) is already in use.', 'slug_taken', 'slug');
  return requested;
}

async function uniqueSlug(db: Executor, table: typeof organisations | typeof people | typeof commitments, base: string): Promise<string> {
  const stem = slugify(base);
  const taken = new Set(
    (await db.select({ slug: table.slug }).from(table).where(or(eq(table.slug, stem), ilike(table.slug, `${likeEscape(stem)}-%`)))).map((r) => r.slug),
  );
  if (!taken.has(stem)) return stem;
  for (let i = 2; ; i++) if (!taken.has(`${stem}-${i}`)) return `${stem}-${i}`;
}

/** Finds or creates the area a territorial organisation governs. */
async function ensureArea(tx: Executor, actor: Actor, input: { country: 'SE' | 'NO' | 'DK'; code: string; level: 'region' | 'municipality'; name: string }): Promise<AreaRow> {
  const key = areaKey(input.country, input.code);
  const [existing] = await tx.select().from(areas).where(eq(areas.key, key)).limit(1);
  if (existing) {
    if (existing.level !== input.level) {
      throw new ValidationError([{ field: 'areaCode', message: `Area ${key} is a ${existing.level}, not a ${input.level}` }]);
    }
    return existing;
  }
  const [row] = await tx.insert(areas).values({ key, country: input.country, level: input.level, code: input.code, name: input.name }).returning();
  await recordAudit(tx, actor, { action: 'area.create', entityType: 'area', entityId: row!.id, summary: `${key} ${input.name}` });
  return row!;
}

/**
 * Adds or updates areas by key (used by area-list imports). Existing rows keep
 * their id so everything linked to them stays linked.
 */
export async function upsertAreas(tx: Executor, actor: Actor, rows: AreaInput[]): Promise<{ created: number; updated: number }> {
  let created = 0;
  let updated = 0;
  for (const raw of rows) {
    const parsed = AreaInput.safeParse(raw);
    if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'area', message: `${i.message} (area ${raw.country}-${raw.code} ${raw.name})` })));
    const input = parsed.data;
    const key = areaKeyFor(input);
    const parent = input.parentKey ? await getAreaByKey(tx, input.parentKey) : null;
    if (input.level === 'district' && parent?.level !== 'municipality') throw new ValidationError([{ field: 'parentKey', message: `"${input.parentKey}" is not a municipality` }]);
    const [existing] = await tx.select().from(areas).where(eq(areas.key, key)).limit(1);
    // Validity is only ever added or changed by a list that states it; a list without dates leaves it.
    const validity = { ...(input.validFrom !== undefined ? { validFrom: input.validFrom } : {}), ...(input.validTo !== undefined ? { validTo: input.validTo } : {}) };
    if (!existing) {
      const [row] = await tx
        .insert(areas)
        .values({ key, country: input.country, level: input.level, code: input.code.toLowerCase(), name: input.name, parentId: parent?.id ?? null, ...validity })
        .returning();
      await recordAudit(tx, actor, { action: 'area.create', entityType: 'area', entityId: row!.id, summary: `${key} ${input.name}` });
      created++;
    } else if (
      existing.name !== input.name ||
      (parent && existing.parentId !== parent.id) ||
      (validity.validFrom !== undefined && existing.validFrom !== validity.validFrom) ||
      (validity.validTo !== undefined && existing.validTo !== validity.validTo)
    ) {
      await tx
        .update(areas)
        .set({ name: input.name, parentId: parent?.id ?? existing.parentId, ...validity, updatedAt: new Date() })
        .where(eq(areas.id, existing.id));
      await recordAudit(tx, actor, { action: 'area.update', entityType: 'area', entityId: existing.id, changes: diff(existing, { name: input.name, ...validity }) });
      updated++;
    }
  }
  return { created, updated };
}

async function checkParent(tx: Executor, parentId: string | null | undefined, selfId?: string) {
  if (!parentId) return;
  const [p] = await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, parentId)).limit(1);
  if (!p) throw new ValidationError([{ field: 'parentId', message: 'No such organisation' }]);
  if (selfId) {
    if (parentId === selfId) throw new ValidationError([{ field: 'parentId', message: 'An organisation cannot belong to itself' }]);
    const below = await descendantIds(tx, selfId);
    if (below.includes(parentId)) throw new ValidationError([{ field: 'parentId', message: 'That would make a loop: the chosen parent belongs to this organisation' }]);
  }
}

function orgValues(input: OrganisationInput) {
  return {
    name: input.name,
    shortName: input.shortName ?? null,
    searchName: fold(`${input.name} ${input.shortName ?? ''}`),
    kind: input.kind,
    parentId: input.parentId ?? null,
    lang: input.lang,
    description: input.description,
    website: input.website ?? null,
    foundedOn: input.foundedOn ?? null,
  };
}

async function areaFor(tx: Executor, actor: Actor, input: OrganisationInput, selfId?: string): Promise<string | null> {
  if (!TERRITORIAL_KINDS.includes(input.kind) || !input.country || !input.areaCode) return null;
  const area = await ensureArea(tx, actor, {
    country: input.country,
    code: input.areaCode,
    level: input.kind === 'municipality' ? 'municipality' : 'region',
    name: input.name,
  });
  await assertAreaFree(tx, area, selfId);
  return area.id;
}

/**
 * An area is governed by one organisation: whoever manages it writes the area's figures,
 * so a second binding would hand them to someone else. An ended organisation's area is
 * free for its successor. Locking the area row serialises two bindings racing.
 */
async function assertAreaFree(tx: Executor, area: AreaRow, selfId?: string) {
  await tx.execute(sql`SELECT id FROM areas WHERE id = ${area.id} FOR UPDATE`);
  const conds = [eq(organisations.areaId, area.id), isNull(organisations.endedOn)];
  if (selfId) conds.push(sql`${organisations.id} <> ${selfId}`);
  const [other] = await tx.select({ name: organisations.name }).from(organisations).where(and(...conds)).limit(1);
  if (other) throw new ConflictError(`Area ${area.key} is already governed by ${other.name}.`, 'area_taken', 'areaCode');
}

export async function createOrganisation(db: Database, actor: Actor, raw: unknown): Promise<OrganisationRow> {
  const input = parseInput(OrganisationInput, raw);
  return db.orm.transaction(async (tx) => {
    await policy.assertCanCreateOrganisation(tx, actor, input.parentId ?? null);
    await checkParent(tx, input.parentId);
    const slug = await chooseSlug(tx, organisations, input.slug, input.name);
    const areaId = await areaFor(tx, actor, input);
    const [row] = await tx.insert(organisations).values({ ...orgValues(input), ...sortKeys(input.name), slug, areaId }).returning();
    await recordAudit(tx, actor, {
      action: 'organisation.create',
      entityType: 'organisation',
      entityId: row!.id,
      organisationId: row!.id,
      summary: row!.name,
      changes: { name: row!.name, kind: row!.kind, parentId: row!.parentId },
    });
    await indexOrganisationDoc(tx, row!.id);
    if (row!.parentId) {
      await recordAudit(tx, actor, {
        action: 'organisation.child_create',
        entityType: 'organisation',
        entityId: row!.id,
        organisationId: row!.parentId,
        summary: row!.name,
      });
    }
    return row!;
  });
}

export async function updateOrganisation(db: Database, actor: Actor, ref: string, raw: unknown): Promise<OrganisationRow> {
  const input = parseInput(OrganisationInput, raw);
  return db.orm.transaction(async (tx) => {
    const before = await getOrganisation(tx, ref);
    await policy.assertCanManageOrganisation(tx, actor, before.id);
    if ((input.parentId ?? null) !== before.parentId) {
      // Moving an organisation needs rights where it lands too.
      if (input.parentId) await policy.assertCanManageOrganisation(tx, actor, input.parentId);
      else if (!actor.isPlatformAdmin) throw new ForbiddenError('Only a platform administrator can make an organisation top-level.');
      await checkParent(tx, input.parentId, before.id);
    }
    const areaId = TERRITORIAL_KINDS.includes(input.kind) ? await areaFor(tx, actor, input, before.id) : null;
    const values = { ...orgValues(input), areaId };
    const [row] = await tx.update(organisations).set({ ...values, ...sortKeys(input.name), updatedAt: new Date() }).where(eq(organisations.id, before.id)).returning();
    const changes = diff(before as unknown as Record<string, unknown>, { ...values, searchName: undefined });
    await recordAudit(tx, actor, { action: 'organisation.update', entityType: 'organisation', entityId: before.id, organisationId: before.id, summary: row!.name, changes });
    await indexOrganisationDoc(tx, before.id);
    return row!;
  });
}

export async function endOrganisation(db: Database, actor: Actor, ref: string, endedOn: string | null | undefined): Promise<OrganisationRow> {
  return db.orm.transaction(async (tx) => {
    const before = await getOrganisation(tx, ref);
    await policy.assertCanManageOrganisation(tx, actor, before.id);
    if (before.endedOn) throw new ConflictError('This organisation has already ended.', 'already_ended');
    const on = endedOn ?? today();
    if (endsBeforeStart(before.foundedOn, on)) throw new ValidationError([{ field: 'endedOn', message: 'The end date is before the founding date' }]);
    const [row] = await tx.update(organisations).set({ endedOn: on, updatedAt: new Date() }).where(eq(organisations.id, before.id)).returning();
    await recordAudit(tx, actor, { action: 'organisation.end', entityType: 'organisation', entityId: before.id, organisationId: before.id, summary: row!.name, changes: { endedOn: { from: null, to: on } } });
    await indexOrganisationDoc(tx, before.id);
    return row!;
  });
}

function personValues(input: PersonInput) {
  return {
    name: input.name,
    searchName: fold(input.name),
    title: input.title ?? null,
    lang: input.lang,
    email: input.email ?? null,
    phone: input.phone ?? null,
  };
}

async function insertPerson(tx: Executor, actor: Actor, input: PersonInput, ownerOrganisationId: string | null): Promise<PersonRow> {
  const slug = await chooseSlug(tx, people, input.slug, input.name);
  const [row] = await tx.insert(people).values({ ...personValues(input), ...sortKeys(input.name), slug, ownerOrganisationId }).returning();
  await recordAudit(tx, actor, { action: 'person.create', entityType: 'person', entityId: row!.id, summary: row!.name });
  await indexPersonDoc(tx, row!.id);
  return row!;
}

export async function createPerson(db: Database, actor: Actor, raw: unknown): Promise<PersonRow> {
  const input = parseInput(PersonInput, raw);
  return db.orm.transaction(async (tx) => {
    policy.assertCanCreatePerson(actor);
    return insertPerson(tx, actor, input, await policy.ownerForNewRecord(tx, actor, null));
  });
}

export async function updatePerson(db: Database, actor: Actor, ref: string, raw: unknown): Promise<PersonRow> {
  const input = parseInput(PersonInput, raw);
  return db.orm.transaction(async (tx) => {
    const before = await getPerson(tx, ref);
    await policy.assertCanEditPerson(tx, actor, before.id);
    const values = personValues(input);
    const [row] = await tx.update(people).set({ ...values, ...sortKeys(input.name), updatedAt: new Date() }).where(eq(people.id, before.id)).returning();
    await recordAudit(tx, actor, { action: 'person.update', entityType: 'person', entityId: before.id, summary: row!.name, changes: diff(before as unknown as Record<string, unknown>, { ...values, searchName: undefined }) });
    await indexPersonDoc(tx, before.id);
    return row!;
  });
}

export async function endPerson(db: Database, actor: Actor, ref: string, endedOn: string | null | undefined): Promise<PersonRow> {
  return db.orm.transaction(async (tx) => {
    const before = await getPerson(tx, ref);
    await policy.assertCanEditPerson(tx, actor, before.id);
    if (before.endedOn) throw new ConflictError('This person is already marked as no longer active.', 'already_ended');
    const on = endedOn ?? today();
    const [row] = await tx.update(people).set({ endedOn: on, updatedAt: new Date() }).where(eq(people.id, before.id)).returning();
    // Ending a person also ends their open roles, so no page keeps listing them as current.
    const open = await tx.select().from(memberships).where(and(eq(memberships.personId, before.id), isNull(memberships.endDate)));
    for (const m of open) {
      const end = m.startDate && endsBeforeStart(m.startDate, on) ? m.startDate : on;
      await tx.update(memberships).set({ endDate: end, updatedAt: new Date() }).where(eq(memberships.id, m.id));
      await recordAudit(tx, actor, { action: 'membership.end', entityType: 'membership', entityId: m.id, organisationId: m.organisationId, summary: row!.name, changes: { endDate: { from: null, to: end } } });
    }
    await recordAudit(tx, actor, { action: 'person.end', entityType: 'person', entityId: before.id, summary: row!.name, changes: { endedOn: { from: null, to: on } } });
    return row!;
  });
}

/**
 * Acting "on behalf of" another organisation shows the role among that organisation's
 * representatives, so it needs the right to act for it (its own body's choice is free). Without
 * that right the naming waits for the other organisation's confirmation: true means pending.
 */
async function onBehalfNeedsConfirmation(tx: Executor, actor: Actor, onBehalfOfId: string | null | undefined, orgId: string): Promise<boolean> {
  if (!onBehalfOfId || onBehalfOfId === orgId) return false;
  return !(await policy.canManageOrganisation(tx, actor, onBehalfOfId));
}

async function mustExist(tx: Executor, field: string, table: typeof organisations | typeof people, id: string | null | undefined) {
  if (!id) return;
  const [r] = await tx.select({ id: table.id }).from(table).where(eq(table.id, id)).limit(1);
  if (!r) throw new ValidationError([{ field, message: table === people ? 'No such person' : 'No such organisation' }]);
}

/** Adds a membership; a new person can be created in the same step. */
export async function createMembership(
  db: Database,
  actor: Actor,
  raw: unknown,
  newPerson?: unknown,
): Promise<MembershipRow> {
  const personInput = newPerson ? parseInput(PersonInput, newPerson) : null;
  // With a new person, the member is that person; the rest of the checks are the same.
  const input: MembershipInput = personInput
    ? { ...parseInput(MembershipFields.omit({ personId: true, memberOrganisationId: true }), raw), personId: null, memberOrganisationId: null }
    : parseInput(MembershipInput, raw);
  if (endsBeforeStart(input.startDate, input.endDate)) {
    throw new ValidationError([{ field: 'endDate', message: 'The end date is before the start date' }]);
  }
  return db.orm.transaction(async (tx) => {
    const org = await getOrganisation(tx, input.organisationId).catch(() => {
      throw new NotFoundError('organisation', input.organisationId);
    });
    await policy.assertCanManageOrganisation(tx, actor, org.id);
    let personId = input.personId ?? null;
    if (personInput) personId = (await insertPerson(tx, actor, personInput, org.id)).id;
    else await mustExist(tx, 'personId', people, personId);
    await mustExist(tx, 'memberOrganisationId', organisations, input.memberOrganisationId);
    await mustExist(tx, 'onBehalfOfId', organisations, input.onBehalfOfId);
    const onBehalfPending = await onBehalfNeedsConfirmation(tx, actor, input.onBehalfOfId, org.id);
    // An unclaimed person record (created by a platform admin, or by someone managing several
    // organisations) is claimed by the first organisation that gives the person a role.
    if (personId) await tx.update(people).set({ ownerOrganisationId: org.id }).where(and(eq(people.id, personId), isNull(people.ownerOrganisationId)));
    const [row] = await tx
      .insert(memberships)
      .values({
        organisationId: org.id,
        personId,
        memberOrganisationId: input.memberOrganisationId ?? null,
        role: input.role,
        label: input.label ?? null,
        onBehalfOfId: input.onBehalfOfId ?? null,
        onBehalfPending,
        startDate: input.startDate ?? null,
        endDate: input.endDate ?? null,
      })
      .returning();
    const who = personId ? (await getPerson(tx, personId)).name : (await getOrganisation(tx, input.memberOrganisationId!)).name;
    await recordAudit(tx, actor, {
      action: 'membership.create',
      entityType: 'membership',
      entityId: row!.id,
      organisationId: org.id,
      summary: `${who}: ${input.role}${input.label ? ` (${input.label})` : ''}`,
      changes: { role: input.role, personId, memberOrganisationId: input.memberOrganisationId ?? null, onBehalfOfId: input.onBehalfOfId ?? null, ...(onBehalfPending ? { onBehalfPending } : {}), startDate: input.startDate ?? null, endDate: input.endDate ?? null },
    });
    await indexPersonDoc(tx, personId);
    return row!;
  });
}

export async function updateMembership(db: Database, actor: Actor, id: string, raw: unknown): Promise<MembershipRow> {
  const input = parseInput(MembershipUpdate, raw);
  return db.orm.transaction(async (tx) => {
    const before = await getMembership(tx, id);
    await policy.assertCanManageOrganisation(tx, actor, before.organisationId);
    await mustExist(tx, 'onBehalfOfId', organisations, input.onBehalfOfId);
    // A new "on behalf of" is checked afresh; an unchanged one keeps its state (confirmed or waiting).
    const changed = (input.onBehalfOfId ?? null) !== before.onBehalfOfId;
    const values = {
      role: input.role,
      label: input.label ?? null,
      onBehalfOfId: input.onBehalfOfId ?? null,
      onBehalfPending: changed ? await onBehalfNeedsConfirmation(tx, actor, input.onBehalfOfId, before.organisationId) : before.onBehalfPending,
      startDate: input.startDate ?? null,
      endDate: input.endDate ?? null,
    };
    const [row] = await tx.update(memberships).set({ ...values, updatedAt: new Date() }).where(eq(memberships.id, id)).returning();
    await recordAudit(tx, actor, { action: 'membership.update', entityType: 'membership', entityId: id, organisationId: before.organisationId, changes: diff(before as unknown as Record<string, unknown>, values) });
    return row!;
  });
}

export async function endMembership(db: Database, actor: Actor, id: string, endDate: string | null | undefined): Promise<MembershipRow> {
  return db.orm.transaction(async (tx) => {
    const before = await getMembership(tx, id);
    await policy.assertCanManageOrganisation(tx, actor, before.organisationId);
    if (before.endDate && !isCurrent(before.endDate)) throw new ConflictError('This membership has already ended.', 'already_ended');
    const on = endDate ?? today();
    if (endsBeforeStart(before.startDate, on)) throw new ValidationError([{ field: 'endDate', message: 'The end date is before the start date' }]);
    const [row] = await tx.update(memberships).set({ endDate: on, updatedAt: new Date() }).where(eq(memberships.id, id)).returning();
    await recordAudit(tx, actor, { action: 'membership.end', entityType: 'membership', entityId: id, organisationId: before.organisationId, changes: { endDate: { from: before.endDate, to: on } } });
    return row!;
  });
}

function commitmentValues(input: CommitmentInput) {
  return { title: input.title, searchName: fold(input.title), lang: input.lang, datedOn: input.datedOn ?? null, body: input.body, url: input.url ?? null };
}

export async function createCommitment(db: Database, actor: Actor, raw: unknown): Promise<CommitmentRow> {
  const input = parseInput(CommitmentInput, raw);
  return db.orm.transaction(async (tx) => {
    policy.assertCanCreateCommitment(actor);
    const slug = await chooseSlug(tx, commitments, input.slug, input.title);
    const ownerOrganisationId = await policy.ownerForNewRecord(tx, actor, null);
    const [row] = await tx.insert(commitments).values({ ...commitmentValues(input), slug, ownerOrganisationId }).returning();
    await recordAudit(tx, actor, { action: 'commitment.create', entityType: 'commitment', entityId: row!.id, summary: row!.title });
    await indexCommitmentDoc(tx, row!.id);
    return row!;
  });
}

export async function updateCommitment(db: Database, actor: Actor, ref: string, raw: unknown): Promise<CommitmentRow> {
  const input = parseInput(CommitmentInput, raw);
  return db.orm.transaction(async (tx) => {
    const before = await getCommitment(tx, ref);
    await policy.assertCanEditCommitment(tx, actor, before.id);
    const values = commitmentValues(input);
    const [row] = await tx.update(commitments).set({ ...values, updatedAt: new Date() }).where(eq(commitments.id, before.id)).returning();
    await recordAudit(tx, actor, { action: 'commitment.update', entityType: 'commitment', entityId: before.id, summary: row!.title, changes: diff(before as unknown as Record<string, unknown>, { ...values, searchName: undefined }) });
    await indexCommitmentDoc(tx, before.id);
    return row!;
  });
}

export async function endCommitment(db: Database, actor: Actor, ref: string, endedOn: string | null | undefined): Promise<CommitmentRow> {
  return db.orm.transaction(async (tx) => {
    const before = await getCommitment(tx, ref);
    await policy.assertCanEditCommitment(tx, actor, before.id);
    if (before.endedOn) throw new ConflictError('This commitment has already ended.', 'already_ended');
    const on = endedOn ?? today();
    const [row] = await tx.update(commitments).set({ endedOn: on, updatedAt: new Date() }).where(eq(commitments.id, before.id)).returning();
    await recordAudit(tx, actor, { action: 'commitment.end', entityType: 'commitment', entityId: before.id, summary: row!.title, changes: { endedOn: { from: null, to: on } } });
    return row!;
  });
}

export async function signCommitment(db: Database, actor: Actor, commitmentRef: string, raw: unknown) {
  const input = parseInput(SignatureInput, raw);
  return db.orm.transaction(async (tx) => {
    const c = await getCommitment(tx, commitmentRef);
    await mustExist(tx, 'organisationId', organisations, input.organisationId);
    await policy.assertCanManageOrganisation(tx, actor, input.organisationId);
    const [dup] = await tx
      .select({ id: commitmentSignatures.id })
      .from(commitmentSignatures)
      .where(and(eq(commitmentSignatures.commitmentId, c.id), eq(commitmentSignatures.organisationId, input.organisationId), isNull(commitmentSignatures.endedOn)))
      .limit(1);
    if (dup) throw new ConflictError('This organisation has already signed this commitment.', 'already_signed', 'organisationId');
    // An unclaimed commitment's text goes to its first signatory; signing never changes an owner.
    if (!c.ownerOrganisationId) await tx.update(commitments).set({ ownerOrganisationId: input.organisationId }).where(eq(commitments.id, c.id));
    const [row] = await tx
      .insert(commitmentSignatures)
      .values({ commitmentId: c.id, organisationId: input.organisationId, signedOn: input.signedOn ?? null, note: input.note ?? null })
      .returning();
    await recordAudit(tx, actor, { action: 'commitment.sign', entityType: 'commitment_signature', entityId: row!.id, organisationId: input.organisationId, summary: c.title, changes: { signedOn: input.signedOn ?? null } });
    await indexCommitmentDoc(tx, c.id);
    return row!;
  });
}

export async function endSignature(db: Database, actor: Actor, signatureId: string, endedOn: string | null | undefined) {
  return db.orm.transaction(async (tx) => {
    if (!isUuid(signatureId)) throw new NotFoundError('signature', signatureId);
    const [before] = await tx.select().from(commitmentSignatures).where(eq(commitmentSignatures.id, signatureId)).limit(1);
    if (!before) throw new NotFoundError('signature', signatureId);
    await policy.assertCanManageOrganisation(tx, actor, before.organisationId);
    if (before.endedOn) throw new ConflictError('This signature has already ended.', 'already_ended');
    const on = endedOn ?? today();
    if (endsBeforeStart(before.signedOn, on)) throw new ValidationError([{ field: 'endedOn', message: 'The end date is before the signing date' }]);
    const [row] = await tx.update(commitmentSignatures).set({ endedOn: on, updatedAt: new Date() }).where(eq(commitmentSignatures.id, signatureId)).returning();
    await recordAudit(tx, actor, { action: 'commitment.withdraw', entityType: 'commitment_signature', entityId: signatureId, organisationId: before.organisationId, changes: { endedOn: { from: null, to: on } } });
    await indexCommitmentDoc(tx, before.commitmentId);
    return row!;
  });
}

// ---------------------------------------------------------------------------
// Confirming "on behalf of" (docs/permissions.md)

export type OnBehalfRequest = MemberEntry & { onBehalfOfPending: Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'> };

/** Memberships naming, without confirmation, an organisation the actor may act for. */
export async function listOnBehalfRequests(db: Executor, actor: Actor, q?: { page?: number | undefined; pageSize?: number | undefined }): Promise<Page<OnBehalfRequest>> {
  if (!actor.userId && !actor.isPlatformAdmin) throw new UnauthenticatedError();
  // canManageOrganisation on the organisation named, in the WHERE: the page and its count hold only the actor's requests.
  const where = and(eq(memberships.onBehalfPending, true), policy.canManageSql(actor, memberships.onBehalfOfId))!;
  const w = q ? pageWindow(q) : null;
  const entries = await membershipEntries(db, where, w ? { limit: w.pageSize, offset: w.offset } : undefined);
  const [{ total }] = (await db.select({ total: count() }).from(memberships).where(where)) as [{ total: number }];
  const page = { page: w?.page ?? 1, pageSize: w?.pageSize ?? Math.max(1, total), total };
  if (!entries.length) return { items: [], ...page };
  const targets = await db.select(orgCols).from(organisations).where(inArray(organisations.id, [...new Set(entries.map((e) => e.membership.onBehalfOfId!))]));
  const byId = new Map(targets.map((o) => [o.id, o]));
  return { items: entries.map((e) => ({ ...e, onBehalfOfPending: byId.get(e.membership.onBehalfOfId!)! })), ...page };
}

async function settleOnBehalf(db: Database, actor: Actor, id: string, accept: boolean): Promise<MembershipRow> {
  return db.orm.transaction(async (tx) => {
    const before = await getMembership(tx, id);
    if (!before.onBehalfPending || !before.onBehalfOfId) throw new ConflictError('This membership awaits no confirmation.', 'not_pending');
    if (!(await policy.canManageOrganisation(tx, actor, before.onBehalfOfId))) {
      if (!actor.userId && !actor.isPlatformAdmin) throw new UnauthenticatedError();
      throw new ForbiddenError('Only admins and editors of the organisation named can confirm or decline acting on its behalf.');
    }
    const values = accept ? { onBehalfPending: false } : { onBehalfPending: false, onBehalfOfId: null };
    const [row] = await tx.update(memberships).set({ ...values, updatedAt: new Date() }).where(eq(memberships.id, id)).returning();
    const org = await getOrganisation(tx, before.organisationId);
    await recordAudit(tx, actor, {
      action: accept ? 'membership.on_behalf.confirm' : 'membership.on_behalf.decline',
      entityType: 'membership',
      entityId: id,
      organisationId: before.onBehalfOfId,
      summary: `${accept ? 'Confirmed' : 'Declined'} a role in ${org.name} on its behalf`,
      changes: accept ? { onBehalfPending: { from: true, to: false } } : { onBehalfOfId: { from: before.onBehalfOfId, to: null } },
    });
    return row!;
  });
}

export const confirmOnBehalf = (db: Database, actor: Actor, id: string) => settleOnBehalf(db, actor, id, true);
export const declineOnBehalf = (db: Database, actor: Actor, id: string) => settleOnBehalf(db, actor, id, false);

// ---------------------------------------------------------------------------
// Delegating an area's figures to a network (docs/permissions.md)

export type Delegation = { network: Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'>; createdAt: Date };

export async function listDelegations(db: Executor, ref: string, q?: { page?: number | undefined; pageSize?: number | undefined }): Promise<Page<Delegation>> {
  const org = await getOrganisation(db, ref);
  const where = eq(areaDelegations.organisationId, org.id);
  const query = db
    .select({ network: orgCols, createdAt: areaDelegations.createdAt })
    .from(areaDelegations)
    .innerJoin(organisations, eq(organisations.id, areaDelegations.networkId))
    .where(where)
    .orderBy(asc(organisations.searchName), asc(organisations.id));
  const w = q ? pageWindow(q) : null;
  const items = w ? await query.limit(w.pageSize).offset(w.offset) : await query;
  const [{ total }] = (await db.select({ total: count() }).from(areaDelegations).where(where)) as [{ total: number }];
  return { items, page: w?.page ?? 1, pageSize: w?.pageSize ?? Math.max(1, total), total };
}

/** Networks the organisation is a current member of: those it may delegate its figures to. */
export async function delegationOptions(db: Executor, ref: string) {
  const org = await getOrganisation(db, ref);
  const rows = await db
    .select({ ...orgCols, endDate: memberships.endDate })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(and(eq(memberships.memberOrganisationId, org.id), eq(organisations.kind, 'network')))
    .orderBy(asc(organisations.searchName));
  const seen = new Set<string>();
  return rows.filter((r) => isCurrent(r.endDate) && !seen.has(r.id) && seen.add(r.id)).map(({ endDate: _e, ...o }) => o);
}

async function assertAdminOfOrganisation(tx: Executor, actor: Actor, orgId: string) {
  if (!actor.userId && !actor.isPlatformAdmin) throw new UnauthenticatedError();
  if (!(await policy.isAdminOf(tx, actor, orgId))) throw new ForbiddenError('Only the organisation’s admins can delegate or revoke the writing of its figures.');
}

export async function delegateAreaFigures(db: Database, actor: Actor, ref: string, raw: unknown): Promise<Delegation> {
  const input = parseInput(z.object({ networkId: z.string().uuid() }), raw);
  return db.orm.transaction(async (tx) => {
    const org = await getOrganisation(tx, ref);
    await assertAdminOfOrganisation(tx, actor, org.id);
    if (!org.areaId) throw new ValidationError([{ field: 'networkId', message: 'This organisation governs no area, so it has no figures to delegate' }]);
    const options = await delegationOptions(tx, org.id);
    const network = options.find((o) => o.id === input.networkId);
    if (!network) throw new ValidationError([{ field: 'networkId', message: 'Not a network this organisation is a current member of' }]);
    const inserted = await tx.insert(areaDelegations).values({ organisationId: org.id, networkId: network.id, createdBy: actor.userId }).onConflictDoNothing().returning();
    if (!inserted.length) throw new ConflictError(`${network.name} already writes these figures.`, 'already_delegated', 'networkId');
    await recordAudit(tx, actor, {
      action: 'area.delegate',
      entityType: 'organisation',
      entityId: org.id,
      organisationId: org.id,
      summary: `Let ${network.name} write the figures of ${org.name}'s area`,
      changes: { networkId: { from: null, to: network.id } },
    });
    return { network, createdAt: inserted[0]!.createdAt };
  });
}

export async function revokeAreaDelegation(db: Database, actor: Actor, ref: string, networkId: string): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const org = await getOrganisation(tx, ref);
    await assertAdminOfOrganisation(tx, actor, org.id);
    if (!isUuid(networkId)) throw new NotFoundError('delegation', networkId);
    const gone = await tx.delete(areaDelegations).where(and(eq(areaDelegations.organisationId, org.id), eq(areaDelegations.networkId, networkId))).returning();
    if (!gone.length) throw new NotFoundError('delegation', networkId);
    const [network] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, networkId));
    await recordAudit(tx, actor, {
      action: 'area.delegation.revoke',
      entityType: 'organisation',
      entityId: org.id,
      organisationId: org.id,
      summary: `Stopped ${network?.name ?? 'a network'} writing the figures of ${org.name}'s area`,
      changes: { networkId: { from: networkId, to: null } },
    });
  });
}
