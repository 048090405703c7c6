import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import type { Executor } from '../../platform/db/index.js';
import { ForbiddenError, UnauthenticatedError } from '../../platform/errors.js';
import { commitmentSignatures, memberships } from './schema.js';
import { ancestorIds } from './service.js';

/*
 * Who may change the directory. Deny by default: every function answers "no"
 * unless a rule below says yes.
 *  - Platform admins may do anything.
 *  - An organisation's admins and editors maintain it and everything nested
 *    under it (a network's editors maintain its working groups, members and roles).
 *  - Anyone holding an admin or editor role somewhere may add new top-level
 *    organisations, people and commitments, since adding a member often means
 *    first adding the municipality or person.
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

/** A person is edited by those who manage an organisation the person has (or had) a role in. */
export async function canEditPerson(db: Executor, actor: Actor, personId: string): Promise<boolean> {
  if (actor.isPlatformAdmin) return true;
  if (!actor.userId || !managesSomething(actor)) return false;
  const orgs = await db.select({ id: memberships.organisationId }).from(memberships).where(eq(memberships.personId, personId));
  if (orgs.length === 0) return true; // nobody else looks after a person with no roles yet
  for (const o of orgs) if (await canManageOrganisation(db, actor, o.id)) return true;
  return false;
}

export async function assertCanEditPerson(db: Executor, actor: Actor, personId: string) {
  requireSignedIn(actor);
  if (!(await canEditPerson(db, actor, personId))) throw new ForbiddenError('Only editors of an organisation this person belongs to can change it.');
}

/** A shared commitment's text is edited by platform admins or editors of a signatory. */
export async function canEditCommitment(db: Executor, actor: Actor, commitmentId: string): Promise<boolean> {
  if (actor.isPlatformAdmin) return true;
  if (!actor.userId || !managesSomething(actor)) return false;
  const sigs = await db
    .select({ id: commitmentSignatures.organisationId })
    .from(commitmentSignatures)
    .where(and(eq(commitmentSignatures.commitmentId, commitmentId)));
  if (sigs.length === 0) return true;
  for (const s of sigs) if (await canManageOrganisation(db, actor, s.id)) return true;
  return false;
}

export async function assertCanEditCommitment(db: Executor, actor: Actor, commitmentId: string) {
  requireSignedIn(actor);
  if (!(await canEditCommitment(db, actor, commitmentId))) throw new ForbiddenError('Only editors of a signatory can change this commitment.');
}
