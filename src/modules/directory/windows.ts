/**
 * Windows over the directory in an order the caller gives: organisations, their people's memberships
 * and those people, cut in SQL (LIMIT/OFFSET) with a count of the same WHERE. OParl's body lists
 * (meetings module) page with these instead of loading a body's whole directory to slice it.
 *
 * The order is the caller's list of organisation ids (a body and everything under it, as it walks
 * the tree), then each organisation's memberships by start date and creation, as listMemberships
 * orders them; a person comes where their first membership does. Change windows compare at the
 * millisecond, the precision the lists publish `created` and `modified` in. OParl's body list
 * orders the bodies by name instead.
 */
import { and, asc, count, inArray, isNotNull, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/index.js';
import { memberships, organisations, people, type MembershipRow, type OrganisationRow, type PersonRow } from './schema.js';

export type ChangeWindow = { createdSince: Date | null; createdUntil: Date | null; modifiedSince: Date | null; modifiedUntil: Date | null };
export type Window<T> = { rows: T[]; total: number };

const ms = (c: AnyColumn | SQL) => sql`date_trunc('milliseconds', ${c})`;
/** The conditions of a change window over any table's created/modified columns (OParl's papers use it on cases). */
export function changed(created: AnyColumn | SQL, modified: AnyColumn | SQL, f: ChangeWindow): SQL[] {
  const out: SQL[] = [];
  if (f.createdSince) out.push(sql`${ms(created)} >= ${f.createdSince.toISOString()}::timestamptz`);
  if (f.createdUntil) out.push(sql`${ms(created)} <= ${f.createdUntil.toISOString()}::timestamptz`);
  if (f.modifiedSince) out.push(sql`${ms(modified)} >= ${f.modifiedSince.toISOString()}::timestamptz`);
  if (f.modifiedUntil) out.push(sql`${ms(modified)} <= ${f.modifiedUntil.toISOString()}::timestamptz`);
  return out;
}

const idArray = (ids: readonly string[]) => sql`ARRAY[${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)}]::uuid[]`;
const membershipOrder = (orgIds: readonly string[]) => [
  sql`array_position(${idArray(orgIds)}, ${memberships.organisationId})`,
  asc(memberships.startDate),
  asc(memberships.createdAt),
  asc(memberships.id),
];

/**
 * The organisations of `ids` changed within `f`, in the order of `ids`, or by name: the stored English
 * sort key compared byte-wise, as the directory's own lists order names, so both engines agree and
 * equal names keep one order (by id) from page to page.
 */
export async function organisationWindow(
  db: Executor,
  ids: readonly string[],
  f: ChangeWindow,
  w: { limit: number; offset: number },
  order: 'ids' | 'name' = 'ids',
): Promise<Window<OrganisationRow>> {
  if (!ids.length) return { rows: [], total: 0 };
  const where = and(inArray(organisations.id, [...ids]), ...changed(organisations.createdAt, organisations.updatedAt, f));
  const by = order === 'name' ? [sql`${organisations.sortEn} COLLATE "C"`, asc(organisations.id)] : [sql`array_position(${idArray(ids)}, ${organisations.id})`];
  const rows = await db.select().from(organisations).where(where).orderBy(...by).limit(w.limit).offset(w.offset);
  const [{ total }] = (await db.select({ total: count() }).from(organisations).where(where)) as [{ total: number }];
  return { rows, total };
}

/** People's memberships (not organisations') in the organisations of `ids`, changed within `f`; a window of them, or all. */
export async function personMembershipWindow(db: Executor, ids: readonly string[], f: ChangeWindow, w?: { limit: number; offset: number }, personIds?: readonly string[]): Promise<Window<MembershipRow>> {
  if (!ids.length || (personIds && !personIds.length)) return { rows: [], total: 0 };
  const where = and(
    inArray(memberships.organisationId, [...ids]),
    isNotNull(memberships.personId),
    ...(personIds ? [inArray(memberships.personId, [...personIds])] : []),
    ...changed(memberships.createdAt, memberships.updatedAt, f),
  );
  const q = db.select().from(memberships).where(where).orderBy(...membershipOrder(ids));
  const rows = w ? await q.limit(w.limit).offset(w.offset) : await q;
  const [{ total }] = (await db.select({ total: count() }).from(memberships).where(where)) as [{ total: number }];
  return { rows, total };
}

/** The people holding a membership in the organisations of `ids`, changed within `f`, each where their first membership comes. */
export async function personWindow(db: Executor, ids: readonly string[], f: ChangeWindow, w: { limit: number; offset: number }): Promise<Window<PersonRow>> {
  if (!ids.length) return { rows: [], total: 0 };
  const firsts = sql`(
    SELECT person_id, min(rn) AS rn FROM (
      SELECT ${memberships.personId} AS person_id, row_number() OVER (ORDER BY ${sql.join(membershipOrder(ids), sql`, `)}) AS rn
      FROM ${memberships} WHERE ${inArray(memberships.organisationId, [...ids])} AND ${memberships.personId} IS NOT NULL
    ) seq GROUP BY person_id)`;
  const where = and(sql`${people.id} IN (SELECT person_id FROM ${firsts} f0)`, ...changed(people.createdAt, people.updatedAt, f));
  const rows = await db
    .select()
    .from(people)
    .where(where)
    .orderBy(sql`(SELECT f1.rn FROM ${firsts} f1 WHERE f1.person_id = ${people.id})`, asc(people.id))
    .limit(w.limit)
    .offset(w.offset);
  const [{ total }] = (await db.select({ total: count() }).from(people).where(where)) as [{ total: number }];
  return { rows, total };
}
