import type { Actor } from '../../platform/audit.js';
import type { Executor } from '../../platform/db/index.js';
import { ForbiddenError, UnauthenticatedError } from '../../platform/errors.js';
import { directory } from '../directory/index.js';

/*
 * Who may do what with meetings. Deny by default.
 *  - Admins and editors of an organising body (or of a body above it, as the
 *    directory decides) create and edit the meeting, its items and files.
 *  - Members of an organising body also see closed items.
 *  - Everyone else sees the public parts, and only once they are published.
 */

/** What one viewer may see and do with one meeting. */
export type Access = {
  /** May edit the meeting; sees everything, also unpublished drafts. */
  edit: boolean;
  /** May see the content and files of closed items. */
  closed: boolean;
};

export const PUBLIC_ACCESS: Access = Object.freeze({ edit: false, closed: false });

export async function canManageAny(db: Executor, actor: Actor, orgIds: readonly string[]): Promise<boolean> {
  if (!actor.userId && !actor.isPlatformAdmin) return false;
  for (const id of orgIds) if (await directory.canManageOrganisation(db, actor, id)) return true;
  return false;
}

export async function accessFor(db: Executor, actor: Actor, organiserIds: readonly string[]): Promise<Access> {
  if (!actor.userId && !actor.isPlatformAdmin) return PUBLIC_ACCESS;
  if (await canManageAny(db, actor, organiserIds)) return { edit: true, closed: true };
  for (const id of organiserIds) if (await directory.isMemberOf(db, actor, id)) return { edit: false, closed: true };
  return PUBLIC_ACCESS;
}

export function requireSignedIn(actor: Actor) {
  if (!actor.userId && !actor.isPlatformAdmin) throw new UnauthenticatedError();
}

export async function assertCanManage(db: Executor, actor: Actor, orgIds: readonly string[]) {
  requireSignedIn(actor);
  if (!(await canManageAny(db, actor, orgIds))) {
    throw new ForbiddenError('Only admins and editors of the organising body can change this meeting.');
  }
}

/** Naming organisers: the actor must be able to act for every one of them. */
export async function assertCanManageEach(db: Executor, actor: Actor, orgIds: readonly string[]) {
  requireSignedIn(actor);
  for (const id of orgIds) {
    if (!(await directory.canManageOrganisation(db, actor, id))) {
      throw new ForbiddenError('You can only name organisers you may act for: ask their admins or editors to add the meeting.');
    }
  }
}
