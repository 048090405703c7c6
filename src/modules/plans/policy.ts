import type { Actor } from '../../platform/audit.js';
import type { Executor } from '../../platform/db/index.js';
import { ForbiddenError, UnauthenticatedError } from '../../platform/errors.js';
import { directory } from '../directory/index.js';

/*
 * Who may do what with priorities, plans and actions. Deny by default.
 *  - An organisation's admins and editors (or those of a body above it, as the directory decides)
 *    manage its priorities, plans and actions; platform admins manage everything.
 *  - Drafts (priorities in draft, plans in draft and their actions) are seen only by the owner
 *    organisation's members (any role) and platform admins; to everyone else they do not exist.
 *  - Everything else is public.
 */

export function requireSignedIn(actor: Actor) {
  if (!actor.userId && !actor.isPlatformAdmin) throw new UnauthenticatedError();
}

export async function canManage(db: Executor, actor: Actor, orgId: string): Promise<boolean> {
  if (!actor.userId && !actor.isPlatformAdmin) return false;
  return directory.canManageOrganisation(db, actor, orgId);
}

export async function assertCanManage(db: Executor, actor: Actor, orgId: string) {
  requireSignedIn(actor);
  if (!(await canManage(db, actor, orgId))) throw new ForbiddenError('Only the organisation’s admins and editors can change its priorities, plans and actions.');
}

/** Whether the actor may see the owner's drafts. */
export async function canSeeDrafts(db: Executor, actor: Actor, orgId: string): Promise<boolean> {
  if (!actor.userId && !actor.isPlatformAdmin) return false;
  return directory.isMemberOf(db, actor, orgId);
}
