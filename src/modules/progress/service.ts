/**
 * The use cases that write: targets (create, change, delete, import) and the
 * recompute they trigger. Each write is one transaction with its audit row and the
 * recompute of the indicator it touched, so a page never shows a status computed
 * from a target that no longer exists.
 */
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Executor } from '../../platform/db/index.js';
import { diff, recordAudit, type Actor } from '../../platform/audit.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { isUuid } from '../../platform/text.js';
import { directory } from '../directory/index.js';
import { getIndicator } from '../indicators/index.js';
import { TargetInput, TargetUpdate } from './inputs.js';
import { assertCanSetTarget } from './policy.js';
import { recompute, staleIndicators } from './recompute.js';
import { targets, type TargetRow } from './schema.js';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ValidationError(r.error.issues.map((i) => ({ field: i.path.join('.') || '_', message: i.message })));
}

const field = (name: string, message: string) => new ValidationError([{ field: name, message }]);

/** Resolves the references of a target input (indicator code, area key, network slug) to ids; unknown ones are 422s. */
async function resolveRefs(ex: Executor, input: TargetInput) {
  const indicator = await getIndicator(ex, input.indicator).catch(() => {
    throw field('indicator', `unknown indicator "${input.indicator}"`);
  });
  let areaId: string | null = null;
  let organisationId: string | null = null;
  if (input.level === 'area') {
    const area = await directory.getAreaByKey(ex, input.area!).catch(() => {
      throw field('area', `unknown area "${input.area}"`);
    });
    areaId = area.id;
  }
  if (input.level === 'network') {
    const org = await directory.getOrganisation(ex, input.organisation!).catch(() => {
      throw field('organisation', `unknown organisation "${input.organisation}"`);
    });
    if (org.kind !== 'network') throw field('organisation', 'must be a network');
    organisationId = org.id;
  }
  return { indicator, areaId, organisationId };
}

const TARGET_ENTITY = 'progress_target';

export async function createTarget(db: Database, actor: Actor, raw: unknown): Promise<TargetRow> {
  const input = parseInput(TargetInput, raw);
  return db.orm.transaction(async (tx) => {
    const { indicator, areaId, organisationId } = await resolveRefs(tx, input);
    await assertCanSetTarget(tx, actor, { level: input.level, organisationId, areaId });
    const values = {
      indicatorId: indicator.id,
      level: input.level,
      country: input.level === 'national' ? input.country! : null,
      organisationId,
      areaId,
      breakdown: input.breakdown,
      value: input.value,
      targetYear: input.targetYear ?? 2030,
      baselineYear: input.baselineYear ?? 2015,
      limitValue: input.limit ?? null,
      bound: input.bound ?? null,
      green: input.green ?? null,
      red: input.red ?? null,
      manualStatus: input.manualStatus ?? null,
      manualReason: input.manualReason ?? '',
      source: input.source ?? '',
      createdBy: actor.userId,
    };
    const dup = await tx.execute(sql`SELECT 1 FROM prog_targets WHERE indicator_id = ${indicator.id} AND level = ${input.level}
      AND country IS NOT DISTINCT FROM ${values.country} AND organisation_id IS NOT DISTINCT FROM ${organisationId}::uuid
      AND area_id IS NOT DISTINCT FROM ${areaId}::uuid AND breakdown = ${input.breakdown}`);
    if (dup.rows.length) throw new ConflictError('This indicator already has a target at this level for this scope; change that one instead.', 'duplicate_target', 'indicator');
    const [row] = await tx.insert(targets).values(values).returning();
    await recordAudit(tx, actor, {
      action: 'progress.target.create',
      entityType: TARGET_ENTITY,
      entityId: row!.id,
      organisationId,
      summary: `${indicator.code} ${input.level}: ${input.value} by ${values.targetYear}`,
    });
    await recompute(tx, { indicatorIds: [indicator.id] });
    return row!;
  });
}

export async function getTarget(ex: Executor, id: string): Promise<TargetRow> {
  if (!isUuid(id)) throw new NotFoundError('target', id);
  const [row] = await ex.select().from(targets).where(eq(targets.id, id)).limit(1);
  if (!row) throw new NotFoundError('target', id);
  return row;
}

export async function updateTarget(db: Database, actor: Actor, id: string, raw: unknown): Promise<TargetRow> {
  return db.orm.transaction(async (tx) => {
    const before = await getTarget(tx, id);
    await assertCanSetTarget(tx, actor, before);
    const input = parseInput(TargetUpdate, raw);
    const set: Partial<TargetRow> = {};
    if (input.value !== undefined) set.value = input.value;
    if (input.targetYear !== undefined) set.targetYear = input.targetYear;
    if (input.baselineYear !== undefined) set.baselineYear = input.baselineYear;
    if (input.limit !== undefined) set.limitValue = input.limit;
    if (input.bound !== undefined) set.bound = input.bound;
    if (input.green !== undefined) set.green = input.green;
    if (input.red !== undefined) set.red = input.red;
    if (input.manualStatus !== undefined) set.manualStatus = input.manualStatus;
    if (input.manualReason !== undefined) set.manualReason = input.manualReason;
    if (input.source !== undefined) set.source = input.source;
    if ((set.targetYear ?? before.targetYear) <= (set.baselineYear ?? before.baselineYear)) throw field('targetYear', 'the target year must come after the baseline year');
    if ((set.manualStatus ?? before.manualStatus) && !(set.manualReason ?? before.manualReason)) throw field('manualReason', 'a manual status needs a reason');
    const [row] = await tx.update(targets).set({ ...set, updatedAt: new Date() }).where(eq(targets.id, id)).returning();
    await recordAudit(tx, actor, {
      action: 'progress.target.update',
      entityType: TARGET_ENTITY,
      entityId: id,
      organisationId: before.organisationId,
      changes: diff(before as unknown as Record<string, unknown>, set as Record<string, unknown>),
    });
    await recompute(tx, { indicatorIds: [before.indicatorId] });
    return row!;
  });
}

export async function deleteTarget(db: Database, actor: Actor, id: string): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const before = await getTarget(tx, id);
    await assertCanSetTarget(tx, actor, before);
    await tx.delete(targets).where(eq(targets.id, id));
    await recordAudit(tx, actor, { action: 'progress.target.delete', entityType: TARGET_ENTITY, entityId: id, organisationId: before.organisationId, summary: `value ${before.value}` });
    await recompute(tx, { indicatorIds: [before.indicatorId] });
  });
}

/** Recomputes every indicator whose data changed since its statuses were computed. */
export async function recomputeStale(db: Database): Promise<{ indicators: number }> {
  const stale = await staleIndicators(db.orm);
  if (!stale.length) return { indicators: 0 };
  return db.orm.transaction((tx) => recompute(tx, { indicatorIds: stale }));
}

/** Recomputes everything (CLI, benchmark, after the demo load). */
export async function recomputeAll(db: Database): Promise<{ indicators: number }> {
  return db.orm.transaction((tx) => recompute(tx, 'all'));
}

