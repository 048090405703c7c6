import type { Actor } from '../../platform/audit.js';
import type { Executor } from '../../platform/db/index.js';
import { ForbiddenError, UnauthenticatedError } from '../../platform/errors.js';
import { directory } from '../directory/index.js';

/*
 * Who may do what with news and events. Deny by default.
 *  - An organisation's admins and editors (or those of a body above it, as the
 *    directory decides) write its news and its events, see drafts and the
 *    participant lists of events it organises. Platform admins may do everything.
 *  - Everyone reads what is published and may sign up for an open event.
 */

export function requireSignedIn(actor: Actor) {
  if (!actor.userId && !actor.isPlatformAdmin) throw new UnauthenticatedError();
}

export async function canManageAny(db: Executor, actor: Actor, orgIds: readonly string[]): Promise<boolean> {
  if (actor.isPlatformAdmin) return true;
  if (!actor.userId || actor.orgRoles.size === 0) return false;
  for (const id of orgIds) if (await directory.canManageOrganisation(db, actor, id)) return true;
  return false;
}

export async function assertCanManage(db: Executor, actor: Actor, orgIds: readonly string[], what = 'this') {
  requireSignedIn(actor);
  if (!(await canManageAny(db, actor, orgIds))) throw new ForbiddenError(`Only the organisation’s admins and editors can change ${what}.`);
}

/** Whether the actor may write for at least one organisation (to offer "new" buttons). */
export const managesSomething = (actor: Actor) => actor.isPlatformAdmin || (!!actor.userId && [...actor.orgRoles.values()].some((r) => r === 'admin' || r === 'editor'));
