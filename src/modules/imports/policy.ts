/**
 * Who may use the import flow's own things: uploads, saved mappings, reference imports. Whether
 * someone may import at all, and write which areas' figures, is the indicators module's rule
 * (canImport, and importObservations checks each area); these build on it.
 */
import type { Actor } from '../../platform/audit.js';
import { ForbiddenError, UnauthenticatedError } from '../../platform/errors.js';
import { assertCanImport, canImport, canManageReferenceData } from '../indicators/index.js';

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
