import type { Actor } from '../../platform/audit.js';
import { ForbiddenError, UnauthenticatedError } from '../../platform/errors.js';

/**
 * Who may import indicator data: a platform admin, or anyone who is admin or
 * editor of at least one organisation (the people who maintain a network's or a
 * municipality's figures). Everyone else, including plain members, is denied.
 * Reading is public.
 */
export function canImport(actor: Actor): boolean {
  if (actor.isPlatformAdmin && actor.userId !== null) return true;
  for (const role of actor.orgRoles.values()) if (role === 'admin' || role === 'editor') return true;
  return false;
}

/** Frameworks, area lists, groups and boundaries shape everyone's data: platform admins only. */
export function canManageReferenceData(actor: Actor): boolean {
  return actor.isPlatformAdmin && actor.userId !== null;
}

export function assertCanImport(actor: Actor): void {
  if (actor.userId === null) throw new UnauthenticatedError();
  if (!canImport(actor)) throw new ForbiddenError('Importing indicator data needs the editor or admin role in an organisation.');
}

export function assertCanManageReferenceData(actor: Actor): void {
  if (actor.userId === null) throw new UnauthenticatedError();
  if (!canManageReferenceData(actor)) throw new ForbiddenError('Only platform administrators can change frameworks, area lists, groups and boundaries.');
}

/**
 * Writing observations (importObservations): a person who may import, or the system (the command
 * line, the demo loader), which acts as a platform administrator without a user. Which areas'
 * figures a person may write is checked row by row in the import itself.
 */
export function assertCanWriteObservations(actor: Actor): void {
  if (actor.userId === null && actor.isPlatformAdmin) return;
  assertCanImport(actor);
}

/**
 * An indicator's metadata (name, unit, headline series, …) is changed by the account that first
 * imported it, or by a platform admin (docs/permissions.md).
 */
export function canEditIndicator(actor: Actor, indicator: { owner_user_id: string | null }): boolean {
  if (actor.userId === null) return false;
  return actor.isPlatformAdmin || (indicator.owner_user_id !== null && indicator.owner_user_id === actor.userId);
}

export function assertCanEditIndicator(actor: Actor, indicator: { owner_user_id: string | null }): void {
  if (actor.userId === null) throw new UnauthenticatedError();
  if (!canEditIndicator(actor, indicator)) throw new ForbiddenError("Only the account that brought the indicator in, or a platform administrator, can change its metadata.");
}
