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
 * Running a reference import: a platform administrator (through a job that acts as them), or the
 * command line, which acts as the system. canManageReferenceData stays for people only: a web
 * request always has a signed-in user behind it.
 */
export function assertCanImportReference(actor: Actor): void {
  if (actor.userId === null && !actor.isPlatformAdmin) throw new UnauthenticatedError();
  if (!actor.isPlatformAdmin) throw new ForbiddenError('Only platform administrators can change frameworks, area lists, groups and boundaries.');
}

/** An upload is visible and usable only to the user who made it (or a platform admin). */
export function canUseUpload(actor: Actor, upload: { user_id: string | null }): boolean {
  return actor.userId !== null && (upload.user_id === actor.userId || (actor.isPlatformAdmin && canImport(actor)));
}

/**
 * Saved mappings are shared by everyone who imports (they describe a file's shape, not data);
 * the one who saved a mapping, or a platform admin, may rename or delete it.
 */
export function canChangeMapping(actor: Actor, mapping: { created_by: string | null }): boolean {
  return canImport(actor) && (canManageReferenceData(actor) || (mapping.created_by !== null && mapping.created_by === actor.userId));
}

export function assertCanChangeMapping(actor: Actor, mapping: { created_by: string | null }): void {
  assertCanImport(actor);
  if (!canChangeMapping(actor, mapping)) throw new ForbiddenError('Only the person who saved a mapping, or a platform administrator, can rename or delete it.');
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
