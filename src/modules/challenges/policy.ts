import type { Actor } from '../../platform/audit.js';
import type { Executor } from '../../platform/db/index.js';
import { ForbiddenError, UnauthenticatedError } from '../../platform/errors.js';
import { directory } from '../directory/index.js';
import type { ChallengeRow, ResponseRow } from './schema.js';

/*
 * Who may do what with challenges. Deny by default.
 *  - The owner organisation's admins and editors write its challenges and decide on responses.
 *  - A draft challenge exists only for the owner's members and platform admins.
 *  - Any signed-in user may respond to a challenge that is open or in dialogue: for an
 *    organisation they belong to (any role), or by naming a new one.
 *  - A response is seen by the owner's members, platform admins and its author until the owner
 *    accepts it; then it is public, except the contact details, which stay with the owner.
 */
export function requireSignedIn(actor: Actor) {
  if (!actor.userId && !actor.isPlatformAdmin) throw new UnauthenticatedError();
}

export async function canManage(db: Executor, actor: Actor, orgId: string) {
  if (!actor.userId && !actor.isPlatformAdmin) return false;
  return directory.canManageOrganisation(db, actor, orgId);
}

export async function assertCanManage(db: Executor, actor: Actor, orgId: string) {
  requireSignedIn(actor);
  if (!(await canManage(db, actor, orgId))) throw new ForbiddenError('Only the organisation’s admins and editors can change its challenges.');
}

export async function isOwnerSide(db: Executor, actor: Actor, c: ChallengeRow) {
  if (!actor.userId && !actor.isPlatformAdmin) return false;
  return directory.isMemberOf(db, actor, c.organisationId);
}

export async function canSeeChallenge(db: Executor, actor: Actor, c: ChallengeRow) {
  return c.state !== 'draft' || isOwnerSide(db, actor, c);
}

export function canSeeResponse(ownerSide: boolean, actor: Actor, r: ResponseRow) {
  return r.state === 'accepted' || ownerSide || (!!actor.userId && r.authorUserId === actor.userId);
}

/** Contact details of a response: the owner side and the author only. */
export function canSeeResponseContact(ownerSide: boolean, actor: Actor, r: ResponseRow) {
  return ownerSide || (!!actor.userId && r.authorUserId === actor.userId);
}
