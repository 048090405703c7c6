/**
 * The use cases that write: targets (create, change, delete, import) and the
 * recompute they trigger. Each write is one transaction with its audit row and the
 * recompute of the indicator it touched, so a page never shows a status computed
 * from a target that no longer exists.
 */
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { isUniqueViolation, type Database, type Executor } from '../../platform/db/index.js';
import { diff, recordAudit, type Actor } from '../../platform/audit.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { isUuid } from '../../platform/text.js';
import { directory } from '../directory/index.js';
import { getIndicator } from '../indicators/index.js';
import { TargetInput, TargetUpdate } from './inputs.js';
import { assertCanSetTarget } from './policy.js';
import { recompute, recomputeAggregates, recomputeEverything, refreshNetworkAreas, staleIndicators } from './recompute.js';
import { parseTargetsCsv, targetFromOpenSdg, type RowProblem } from './transfer.js';
import { targets, type TargetRow } from './schema.js';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ValidationError(r.error.issues.map((i) => ({ field: i.path.join('.') || '_', message: i.message })));
}

const field = (name: string, message: string) => new ValidationError([{ field: name, message }]);

/**
 * One recompute at a time: taken in the transaction just before it recomputes, held to its end.
 * A recompute rewrites derived tables by DELETE then INSERT (its indicators' statuses, the network
 * areas, goal scores and index); two at once under READ COMMITTED fail on a duplicate key (the second
 * DELETE does not see the first's new rows) or write scores from statuses the other has not committed.
 * Target changes happened to queue on the content-version row their audit row bumps, but the stale
 * check after an import (a recurring job, on any app server) writes no audit row and met them head on.
 * It is the lock a full recompute takes (recompute.ts), so partial and full recomputes queue in one
 * order and cannot deadlock each other; pages go on reading (this mode lets SELECT through). PGlite
 * has one connection, where it never waits. concurrency.test.ts runs them at once on PostgreSQL.
 */
async function oneRecomputeAtATime(tx: Executor): Promise<void> {
  await tx.execute(sql`LOCK TABLE prog_statuses IN SHARE ROW EXCLUSIVE MODE`);
}

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
    const duplicate = () => new ConflictError('This indicator already has a target at this level for this scope; change that one instead.', 'duplicate_target', 'indicator');
    if (dup.rows.length) throw duplicate();
    // Two identical creates at the same moment both pass the check above; the unique index stops
    // the second, which is the same conflict, not a server error.
    const [row] = await tx
      .insert(targets)
      .values(values)
      .returning()
      .catch((err: unknown) => {
        throw isUniqueViolation(err) ? duplicate() : err;
      });
    await recordAudit(tx, actor, {
      action: 'progress.target.create',
      entityType: TARGET_ENTITY,
      entityId: row!.id,
      organisationId,
      summary: `${indicator.code} ${input.level}: ${input.value} by ${values.targetYear}`,
    });
    await oneRecomputeAtATime(tx);
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
    // null clears the manual status, so only an undefined one falls back to the stored status:
    // clearing it needs no reason.
    const manualStatus = set.manualStatus !== undefined ? set.manualStatus : before.manualStatus;
    if (manualStatus && !(set.manualReason ?? before.manualReason)) throw field('manualReason', 'a manual status needs a reason');
    const [row] = await tx.update(targets).set({ ...set, updatedAt: new Date() }).where(eq(targets.id, id)).returning();
    await recordAudit(tx, actor, {
      action: 'progress.target.update',
      entityType: TARGET_ENTITY,
      entityId: id,
      organisationId: before.organisationId,
      changes: diff(before as unknown as Record<string, unknown>, set as Record<string, unknown>),
    });
    await oneRecomputeAtATime(tx);
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
    await oneRecomputeAtATime(tx);
    await recompute(tx, { indicatorIds: [before.indicatorId] });
  });
}

/** Recomputes every indicator whose data changed since its statuses were computed. */
export async function recomputeStale(db: Database): Promise<{ indicators: number; ms?: Record<string, number> }> {
  const stale = await staleIndicators(db.orm);
  if (!stale.length) return { indicators: 0 };
  return db.orm.transaction(async (tx) => {
    await oneRecomputeAtATime(tx);
    return recompute(tx, { indicatorIds: stale });
  });
}

/** Recomputes everything (CLI, benchmark, after the demo load). */
export async function recomputeAll(db: Database): Promise<{ indicators: number; ms: Record<string, number> }> {
  return recomputeEverything(db);
}


/** Finds the target with the same indicator, scope and breakdown, if any. */
async function sameScope(tx: Executor, indicatorId: string, level: string, country: string | null, organisationId: string | null, areaId: string | null, breakdown: string): Promise<string | null> {
  const r = await tx.execute(sql`SELECT id FROM prog_targets WHERE indicator_id = ${indicatorId} AND level = ${level}
    AND country IS NOT DISTINCT FROM ${country} AND organisation_id IS NOT DISTINCT FROM ${organisationId}::uuid
    AND area_id IS NOT DISTINCT FROM ${areaId}::uuid AND breakdown = ${breakdown}`);
  return (r.rows[0] as { id: string } | undefined)?.id ?? null;
}

export type ImportTargetsInput = {
  format: 'csv' | 'opensdg';
  content: string;
  dryRun?: boolean | undefined;
  /** For Open SDG metadata, which carries no scope: the indicator and the scope it applies to. */
  scope?: Record<string, unknown> | undefined;
};
export type ImportTargetsReport = { created: number; updated: number; rows: number; dryRun: boolean };

/**
 * Imports targets from a CSV (one per row) or from one Open SDG metadata file. Every row is
 * checked first; any problem is a 422 naming its line and field, and nothing is written.
 * A row whose scope already has a target changes that target.
 */
export async function importTargets(db: Database, actor: Actor, input: ImportTargetsInput): Promise<ImportTargetsReport> {
  let raws: { line: number; input: Record<string, unknown> }[];
  const problems: RowProblem[] = [];
  if (input.format === 'csv') {
    const parsed = parseTargetsCsv(input.content);
    problems.push(...parsed.errors);
    raws = parsed.rows;
  } else {
    try {
      raws = [{ line: 1, input: { ...(input.scope ?? {}), ...targetFromOpenSdg(input.content) } }];
    } catch (err) {
      throw new ValidationError([{ field: 'content', message: (err as Error).message }]);
    }
  }
  if (!raws.length && !problems.length) problems.push({ line: 1, field: '_', message: 'no targets in the file' });
  return db.orm.transaction(async (tx) => {
    const ready: { input: TargetInput; refs: Awaited<ReturnType<typeof resolveRefs>> }[] = [];
    for (const r of raws) {
      const parsed = TargetInput.safeParse(r.input);
      if (!parsed.success) {
        for (const i of parsed.error.issues) problems.push({ line: r.line, field: i.path.join('.') || '_', message: i.message });
        continue;
      }
      try {
        ready.push({ input: parsed.data, refs: await resolveRefs(tx, parsed.data) });
      } catch (err) {
        if (err instanceof ValidationError) for (const f of err.fields) problems.push({ line: r.line, field: f.field, message: f.message });
        else throw err;
      }
    }
    if (problems.length) {
      throw new ValidationError(problems.slice(0, 200).map((p) => ({ field: input.format === 'csv' ? `line ${p.line}: ${p.field}` : p.field, message: p.message })));
    }
    let created = 0;
    let updated = 0;
    const touched = new Set<string>();
    for (const { input: i, refs } of ready) {
      await assertCanSetTarget(tx, actor, { level: i.level, organisationId: refs.organisationId, areaId: refs.areaId });
      const country = i.level === 'national' ? i.country! : null;
      const values = {
        value: i.value,
        targetYear: i.targetYear ?? 2030,
        baselineYear: i.baselineYear ?? 2015,
        limitValue: i.limit ?? null,
        bound: i.bound ?? null,
        green: i.green ?? null,
        red: i.red ?? null,
        manualStatus: i.manualStatus ?? null,
        manualReason: i.manualReason ?? '',
        source: i.source ?? '',
      };
      const existing = await sameScope(tx, refs.indicator.id, i.level, country, refs.organisationId, refs.areaId, i.breakdown);
      if (existing) {
        await tx.update(targets).set({ ...values, updatedAt: new Date() }).where(eq(targets.id, existing));
        updated++;
      } else {
        await tx.insert(targets).values({ ...values, indicatorId: refs.indicator.id, level: i.level, country, organisationId: refs.organisationId, areaId: refs.areaId, breakdown: i.breakdown, createdBy: actor.userId });
        created++;
      }
      touched.add(refs.indicator.id);
    }
    const report = { created, updated, rows: ready.length, dryRun: !!input.dryRun };
    if (input.dryRun) {
      // Everything was checked and tried; roll it back so a dry run leaves no trace.
      throw new DryRun(report);
    }
    await recordAudit(tx, actor, { action: 'progress.target.import', entityType: TARGET_ENTITY, entityId: input.format, summary: `${input.format}: ${created} new, ${updated} changed` });
    await oneRecomputeAtATime(tx);
    await recompute(tx, { indicatorIds: [...touched] });
    return report;
  }).catch((err) => {
    if (err instanceof DryRun) return err.report;
    throw err;
  });
}

class DryRun extends Error {
  constructor(readonly report: ImportTargetsReport) {
    super('dry run');
  }
}

export const SettingsInput = z.object({
  maxMissingShare: z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.replace(',', '.')) : v), z.number({ message: 'must be a number' }).min(0).max(1)),
});

/** A network's coverage rule: above this share of selected indicators without data, members get no index. */
export async function setNetworkSettings(db: Database, actor: Actor, orgRef: string, raw: unknown): Promise<{ maxMissingShare: number }> {
  return db.orm.transaction(async (tx) => {
    const org = await directory.getOrganisation(tx, orgRef);
    await assertCanSetTarget(tx, actor, { level: 'network', organisationId: org.id, areaId: null });
    if (org.kind !== 'network') throw field('organisation', 'must be a network');
    const input = parseInput(SettingsInput, raw);
    await tx.execute(sql`INSERT INTO prog_settings (organisation_id, max_missing_share) VALUES (${org.id}, ${input.maxMissingShare})
      ON CONFLICT (organisation_id) DO UPDATE SET max_missing_share = excluded.max_missing_share`);
    await recordAudit(tx, actor, { action: 'progress.settings.update', entityType: 'organisation', entityId: org.id, organisationId: org.id, summary: `max missing share ${input.maxMissingShare}` });
    await oneRecomputeAtATime(tx);
    await refreshNetworkAreas(tx);
    await recomputeAggregates(tx);
    return input;
  });
}

export async function getNetworkSettings(ex: Executor, orgId: string): Promise<{ maxMissingShare: number }> {
  const r = await ex.execute(sql`SELECT max_missing_share FROM prog_settings WHERE organisation_id = ${orgId}`);
  return { maxMissingShare: Number((r.rows[0] as { max_missing_share?: number } | undefined)?.max_missing_share ?? 0.2) };
}
