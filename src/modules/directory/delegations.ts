/** Delegating an area's figures to a network (docs/permissions.md): the list, the options and the two writes. */
import { and, asc, count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { type Database, type Executor } from '../../platform/db/index.js';
import { recordAudit, type Actor } from '../../platform/audit.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';
import { isUuid } from '../../platform/text.js';
import { pageWindow, type Page } from '../../platform/paging.js';
import {
  areaDelegations,
  memberships,
  organisations,
  type OrganisationRow,
} from './schema.js';
import * as policy from './policy.js';
import { getOrganisation } from './reads.js';
import { isCurrent, parseInput } from './inputs.js';
import { orgCols } from './profiles.js';

export type Delegation = { network: Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'>; createdAt: Date };

export async function listDelegations(db: Executor, ref: string, q?: { page?: number | undefined; pageSize?: number | undefined }): Promise<Page<Delegation>> {
  const org = await getOrganisation(db, ref);
  const where = eq(areaDelegations.organisationId, org.id);
  const query = db
    .select({ network: orgCols, createdAt: areaDelegations.createdAt })
    .from(areaDelegations)
    .innerJoin(organisations, eq(organisations.id, areaDelegations.networkId))
    .where(where)
    .orderBy(asc(organisations.searchName), asc(organisations.id));
  const w = q ? pageWindow(q) : null;
  const items = w ? await query.limit(w.pageSize).offset(w.offset) : await query;
  const [{ total }] = (await db.select({ total: count() }).from(areaDelegations).where(where)) as [{ total: number }];
  return { items, page: w?.page ?? 1, pageSize: w?.pageSize ?? Math.max(1, total), total };
}

/** Networks the organisation is a current member of: those it may delegate its figures to. */
export async function delegationOptions(db: Executor, ref: string) {
  const org = await getOrganisation(db, ref);
  const rows = await db
    .select({ ...orgCols, endDate: memberships.endDate })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(and(eq(memberships.memberOrganisationId, org.id), eq(organisations.kind, 'network')))
    .orderBy(asc(organisations.searchName));
  const seen = new Set<string>();
  return rows.filter((r) => isCurrent(r.endDate) && !seen.has(r.id) && seen.add(r.id)).map(({ endDate: _e, ...o }) => o);
}

async function assertAdminOfOrganisation(tx: Executor, actor: Actor, orgId: string) {
  if (!actor.userId && !actor.isPlatformAdmin) throw new UnauthenticatedError();
  if (!(await policy.isAdminOf(tx, actor, orgId))) throw new ForbiddenError('Only the organisation’s admins can delegate or revoke the writing of its figures.');
}

export async function delegateAreaFigures(db: Database, actor: Actor, ref: string, raw: unknown): Promise<Delegation> {
  const input = parseInput(z.object({ networkId: z.string().uuid() }), raw);
  return db.orm.transaction(async (tx) => {
    const org = await getOrganisation(tx, ref);
    await assertAdminOfOrganisation(tx, actor, org.id);
    if (!org.areaId) throw new ValidationError([{ field: 'networkId', message: 'This organisation governs no area, so it has no figures to delegate' }]);
    const options = await delegationOptions(tx, org.id);
    const network = options.find((o) => o.id === input.networkId);
    if (!network) throw new ValidationError([{ field: 'networkId', message: 'Not a network this organisation is a current member of' }]);
    const inserted = await tx.insert(areaDelegations).values({ organisationId: org.id, networkId: network.id, createdBy: actor.userId }).onConflictDoNothing().returning();
    if (!inserted.length) throw new ConflictError(`${network.name} already writes these figures.`, 'already_delegated', 'networkId');
    await recordAudit(tx, actor, {
      action: 'area.delegate',
      entityType: 'organisation',
      entityId: org.id,
      organisationId: org.id,
      summary: `Let ${network.name} write the figures of ${org.name}'s area`,
      changes: { networkId: { from: null, to: network.id } },
    });
    return { network, createdAt: inserted[0]!.createdAt };
  });
}

export async function revokeAreaDelegation(db: Database, actor: Actor, ref: string, networkId: string): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const org = await getOrganisation(tx, ref);
    await assertAdminOfOrganisation(tx, actor, org.id);
    if (!isUuid(networkId)) throw new NotFoundError('delegation', networkId);
    const gone = await tx.delete(areaDelegations).where(and(eq(areaDelegations.organisationId, org.id), eq(areaDelegations.networkId, networkId))).returning();
    if (!gone.length) throw new NotFoundError('delegation', networkId);
    const [network] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, networkId));
    await recordAudit(tx, actor, {
      action: 'area.delegation.revoke',
      entityType: 'organisation',
      entityId: org.id,
      organisationId: org.id,
      summary: `Stopped ${network?.name ?? 'a network'} writing the figures of ${org.name}'s area`,
      changes: { networkId: { from: networkId, to: null } },
    });
  });
}
