/*
 * Who may set targets. Deny by default:
 *  - global benchmarks and national targets: platform admins only;
 *  - a network's targets: the network's admins and editors (and those above it);
 *  - an area's targets: admins and editors of an organisation governing that area
 *    (the municipality whose area it is).
 * Reads are public: targets and statuses are published figures.
 */
import type { Actor } from '../../platform/audit.js';
import type { Executor } from '../../platform/db/index.js';
import { ForbiddenError, UnauthenticatedError } from '../../platform/errors.js';
import { directory } from '../directory/index.js';
import type { TargetLevel } from './schema.js';

export type TargetScope = { level: TargetLevel; organisationId: string | null; areaId: string | null };

const MANAGING = new Set(['admin', 'editor']);

export async function canSetTarget(ex: Executor, actor: Actor, scope: TargetScope): Promise<boolean> {
  if (actor.isPlatformAdmin) return true;
  if (!actor.userId) return false;
  switch (scope.level) {
    case 'global':
    case 'national':
      return false;
    case 'network':
      return !!scope.organisationId && (await directory.canManageOrganisation(ex, actor, scope.organisationId));
    case 'area': {
      if (!scope.areaId) return false;
      for (const [orgId, role] of actor.orgRoles) {
        if (!MANAGING.has(role)) continue;
        const org = await directory.getOrganisation(ex, orgId).catch(() => null);
        if (org?.areaId === scope.areaId) return true;
      }
      return false;
    }
  }
}

export async function assertCanSetTarget(ex: Executor, actor: Actor, scope: TargetScope) {
  if (!actor.userId && !actor.isPlatformAdmin) throw new UnauthenticatedError();
  if (!(await canSetTarget(ex, actor, scope))) {
    throw new ForbiddenError(
      scope.level === 'network'
        ? 'Only the network’s editors can set its targets.'
        : scope.level === 'area'
          ? 'Only editors of the organisation governing this area can set its targets.'
          : 'Only platform administrators can set global and national targets.',
    );
  }
}
