import { and, eq, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import type { Executor } from '../../platform/db/index.js';
import { ForbiddenError, UnauthenticatedError } from '../../platform/errors.js';
import { areaDelegations, commitments, memberships, people } from './schema.js';
import { periodEnd } from './inputs.js';
import { ancestorIds } from './tree.js';

/*
 * Who may change the directory. Deny by default: every function answers "no"
 * unless a rule below says yes.
 *  - Platform admins may do anything.
 *  - An organisation's admins and editors maintain it and everything nested
 *    under it (a network's editors maintain its working groups, members and roles).
 *  - Anyone holding an admin or editor role somewhere may add new top-level
 *    organisations, people and commitments, since adding a member often means
 *    first adding the municipality or person.
 *  - People and commitments belong to one organisation (docs/permissions.md): a role
 *    or signature elsewhere grants nothing over them.
 */

const MANAGING = new Set(['admin', 'editor']);

function requireSignedIn(actor: Actor) {
  if (!actor.userId && !actor.isPlatformAdmin) throw new UnauthenticatedError();
}

const managesSomething = (actor: Actor) => [...actor.orgRoles.values()].some((r) => MANAGING.has(r));

export async function canManageOrganisation(db: Executor, actor: Actor, orgId: string): Promise<boolean> {
  if (actor.isPlatformAdmin) return true;
  if (!actor.userId || actor.orgRoles.size === 0) return false;
  if (MANAGING.has(actor.orgRoles.get(orgId) ?? '')) return true;
  for (const id of await ancestorIds(db, orgId)) if (MANAGING.has(actor.orgRoles.get(id) ?? '')) return true;
  return false;
}

/** Any role (member, editor, admin) on the organisation or above it. Used to see closed content. */
export async function isMemberOf(db: Executor, actor: Actor, orgId: string): Promise<boolean> {
  if (actor.isPlatformAdmin) return true;
  if (!actor.userId || actor.orgRoles.size === 0) return false;
  if (actor.orgRoles.has(orgId)) return true;
  for (const id of await ancestorIds(db, orgId)) if (actor.orgRoles.has(id)) return true;
  return false;
}

/**
 * `isMemberOf` as a SQL condition on an organisation id column: true when the actor holds any role
 * on that organisation or on one above it. Lists put it in their WHERE (beside "not a draft"), so
 * that paging and counting see only what the caller may see, without loading rows to filter them.
 */
export function memberOfSql(actor: Actor, orgId: AnyColumn | SQL): SQL {
  return belowRolesSql(actor, orgId, () => true);
}

/** `canManageOrganisation` as a SQL condition: an admin or editor role on the organisation or one above it. */
export function canManageSql(actor: Actor, orgId: AnyColumn | SQL): SQL {
  return belowRolesSql(actor, orgId, (role) => MANAGING.has(role));
}

function belowRolesSql(actor: Actor, orgId: AnyColumn | SQL, counts: (role: string) => boolean): SQL {
  if (actor.isPlatformAdmin) return sql`true`;
  const held = [...actor.orgRoles].filter(([, role]) => counts(role)).map(([id]) => id);
  if (!actor.userId || held.length === 0) return sql`false`;
  const roots = sql.join(held.map((id) => sql`${id}::uuid`), sql`, `);
  // The organisations below each role's organisation, as descendantIds walks them (depth capped alike).
  return sql`${orgId} IN (
    WITH RECURSIVE down(id, depth) AS (
      SELECT id, 0 FROM organisations WHERE id IN (${roots})
      UNION ALL
      SELECT o.id, down.depth + 1 FROM organisations o JOIN down ON o.parent_id = down.id WHERE down.depth < 50
    )
    SELECT id FROM down)`;
}

/** SQL condition: the organisation in `orgId` governs an area in `country` (filters by country stay in SQL). */
export function organisationInCountrySql(orgId: AnyColumn | SQL, country: string): SQL {
  return sql`EXISTS (SELECT 1 FROM organisations o JOIN areas a ON a.id = o.area_id WHERE o.id = ${orgId} AND a.country = ${country})`;
}

/** Whether the actor is an admin (not merely editor) of the organisation or one above it. */
export async function isAdminOf(db: Executor, actor: Actor, orgId: string): Promise<boolean> {
  if (actor.isPlatformAdmin) return true;
  if (!actor.userId) return false;
  if (actor.orgRoles.get(orgId) === 'admin') return true;
  for (const id of await ancestorIds(db, orgId)) if (actor.orgRoles.get(id) === 'admin') return true;
  return false;
}

export async function assertCanManageOrganisation(db: Executor, actor: Actor, orgId: string) {
  requireSignedIn(actor);
  if (!(await canManageOrganisation(db, actor, orgId))) throw new ForbiddenError('Only the organisation’s admins and editors can change it.');
}

export function canCreateTopLevel(actor: Actor): boolean {
  return actor.isPlatformAdmin || (!!actor.userId && managesSomething(actor));
}

export async function assertCanCreateOrganisation(db: Executor, actor: Actor, parentId: string | null) {
  requireSignedIn(actor);
  if (parentId) return assertCanManageOrganisation(db, actor, parentId);
  if (!canCreateTopLevel(actor)) throw new ForbiddenError('You need an editor role in an organisation to add organisations.');
}

export function assertCanCreatePerson(actor: Actor) {
  requireSignedIn(actor);
  if (!canCreateTopLevel(actor)) throw new ForbiddenError('You need an editor role in an organisation to add people.');
}
export const assertCanCreateCommitment = assertCanCreatePerson;

/**
 * A person record is edited by the person's own account, by those who manage the
 * organisation that owns the record (the one that created it, or first gave the
 * person a role), or by a platform admin. A role elsewhere grants nothing over the
 * person: otherwise any organisation could list someone as its member and rewrite them.
 */
export async function canEditPerson(db: Executor, actor: Actor, personId: string): Promise<boolean> {
  if (actor.isPlatformAdmin) return true;
  if (!actor.userId) return false;
  const [p] = await db.select({ owner: people.ownerOrganisationId, userId: people.userId }).from(people).where(eq(people.id, personId)).limit(1);
  if (!p) return false;
  if (p.userId && p.userId === actor.userId) return true;
  return !!p.owner && (await canManageOrganisation(db, actor, p.owner));
}

export async function assertCanEditPerson(db: Executor, actor: Actor, personId: string) {
  requireSignedIn(actor);
  if (!(await canEditPerson(db, actor, personId))) throw new ForbiddenError('Only the person, or the admins and editors of the organisation that maintains this record, can change it.');
}

/**
 * A commitment's text belongs to the organisation that owns it (the one that wrote it, or
 * its first signatory). Signing adds a signature and nothing else.
 */
export async function canEditCommitment(db: Executor, actor: Actor, commitmentId: string): Promise<boolean> {
  if (actor.isPlatformAdmin) return true;
  if (!actor.userId) return false;
  const [c] = await db.select({ owner: commitments.ownerOrganisationId }).from(commitments).where(eq(commitments.id, commitmentId)).limit(1);
  return !!c?.owner && (await canManageOrganisation(db, actor, c.owner));
}

export async function assertCanEditCommitment(db: Executor, actor: Actor, commitmentId: string) {
  requireSignedIn(actor);
  if (!(await canEditCommitment(db, actor, commitmentId))) throw new ForbiddenError('Only the organisation that owns this commitment can change its text or end it; signatories end their own signatures.');
}

/**
 * The organisation a new person or commitment belongs to: the one named, which the actor
 * must manage, or else the one organisation the actor manages. Null (unclaimed) when the
 * actor manages several or none: the first organisation to use the record then claims it.
 */
export async function ownerForNewRecord(db: Executor, actor: Actor, requested: string | null | undefined): Promise<string | null> {
  if (requested) {
    if (!(await canManageOrganisation(db, actor, requested))) throw new ForbiddenError('You can only create records for an organisation you manage.');
    return requested;
  }
  const managed = [...actor.orgRoles.entries()].filter(([, r]) => MANAGING.has(r)).map(([id]) => id);
  return managed.length === 1 ? managed[0]! : null;
}

/**
 * Who writes the figures of the area an organisation governs: those who manage the organisation,
 * and the admins and editors of a network it has delegated that right to, for as long as it is
 * still a current member of that network. Platform admins always.
 */
export async function mayWriteAreaFigures(db: Executor, actor: Actor, orgId: string): Promise<boolean> {
  if (await canManageOrganisation(db, actor, orgId)) return true;
  if (!actor.userId || actor.orgRoles.size === 0) return false;
  const rows = await db
    .select({ networkId: areaDelegations.networkId, endDate: memberships.endDate })
    .from(areaDelegations)
    .innerJoin(memberships, and(eq(memberships.organisationId, areaDelegations.networkId), eq(memberships.memberOrganisationId, areaDelegations.organisationId)))
    .where(eq(areaDelegations.organisationId, orgId));
  const on = new Date().toISOString().slice(0, 10);
  for (const r of rows) if ((!r.endDate || periodEnd(r.endDate) >= on) && (await canManageOrganisation(db, actor, r.networkId))) return true;
  return false;
}
