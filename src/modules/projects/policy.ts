import type { Actor } from '../../platform/audit.js';
import type { Executor } from '../../platform/db/index.js';
import { ForbiddenError, UnauthenticatedError } from '../../platform/errors.js';
import { directory } from '../directory/index.js';

/*
 * Who may do what with a project. Deny by default.
 *  - Reading: a public project, anyone. A partners-only project: members (any role) of
 *    its owner or of one of its partners (or of an organisation above them), and platform admins.
 *  - Managing (edit, delete, documents): the owner's admins and editors (and those of an
 *    organisation above it, as the directory decides), plus the admins and editors of a
 *    partner that was given editing on the project. Other partners only read.
 *  - Creating: editors of the organisation that will own it.
 *  - A network's exchange rates: that network's admins and editors.
 */

export type ProjectAccess = { ownerOrgId: string; visibility: 'public' | 'partners'; partners: { organisationId: string; canEdit: boolean }[] };

export function requireSignedIn(actor: Actor) {
  if (!actor.userId && !actor.isPlatformAdmin) throw new UnauthenticatedError();
}

export async function canView(db: Executor, actor: Actor, p: ProjectAccess): Promise<boolean> {
  if (p.visibility === 'public' || actor.isPlatformAdmin) return true;
  if (!actor.userId) return false;
  for (const id of [p.ownerOrgId, ...p.partners.map((x) => x.organisationId)]) if (await directory.isMemberOf(db, actor, id)) return true;
  return false;
}

export async function canManage(db: Executor, actor: Actor, p: ProjectAccess): Promise<boolean> {
  if (actor.isPlatformAdmin) return true;
  if (!actor.userId) return false;
  if (await directory.canManageOrganisation(db, actor, p.ownerOrgId)) return true;
  for (const x of p.partners) if (x.canEdit && (await directory.canManageOrganisation(db, actor, x.organisationId))) return true;
  return false;
}

export async function assertCanManage(db: Executor, actor: Actor, p: ProjectAccess) {
  requireSignedIn(actor);
  if (!(await canManage(db, actor, p))) throw new ForbiddenError('Only editors of the owning organisation, or of a partner given editing, can change this project.');
}

export async function assertCanOwn(db: Executor, actor: Actor, ownerOrgId: string) {
  requireSignedIn(actor);
  if (!(await directory.canManageOrganisation(db, actor, ownerOrgId))) throw new ForbiddenError('Only editors of the owning organisation can create projects for it or give projects to it.');
}

/** Whether the actor may create a project for at least one organisation (to show the button). */
export function mayCreateSome(actor: Actor): boolean {
  return actor.isPlatformAdmin || (!!actor.userId && [...actor.orgRoles.values()].some((r) => r === 'admin' || r === 'editor'));
}

export async function assertCanSetRates(db: Executor, actor: Actor, networkOrgId: string) {
  requireSignedIn(actor);
  if (!(await directory.canManageOrganisation(db, actor, networkOrgId))) throw new ForbiddenError('Only the network’s editors can set its exchange rates.');
}
