/**
 * The only code in the module that writes. Every write runs in one transaction
 * with its audit row. Imports are validated in full before anything is written,
 * then staged and merged set-wise so a file goes in whole or not at all.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../platform/db/index.js';
import { recordAudit, type Actor } from '../../platform/audit.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { z } from 'zod';
import { findTextProblem, isUuid, textProblem } from '../../platform/text.js';
import { assertCanChangeMapping } from './policy.js';
import { chooseHeadlines, inferIndicatorMeta, type CategoryLabel, summariseFile, type FileSummary, type IndicatorMeta, type ObsRow, type ParseResult, type RowError } from './model.js';
import { areaGroupMembers, areaGroups, frameworkNodes, frameworks, indicatorLinks, indicators } from './schema.js';
import { indexIndicatorDocs } from './search.js';
import { SDG_GOALS, sdgSortKey, sdgTargets } from './sdg.js';
import type { AreaInput } from './importers/kolada.js';
import { copyPieces, dictFlags, distinctOf, eachRow, packedOf, type PackedResult } from './load-stream.js';
import { BLOB_PIECE_BYTES, copyFromPieces, STREAM_PIECE_BYTES } from '../../platform/db/copy-stream.js';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

type CopyStreamQuery = ReturnType<typeof copyFrom>;
// The engine client lives in platform/db, the only place that knows the engines; re-exported for this module's files.
export { rawClient, rawQuery } from '../../platform/db/index.js';
import { rawClient, rawQuery } from '../../platform/db/index.js';

// Frameworks -----------------------------------------------------------------

/** Loads (or refreshes) the SDG framework: 17 goals, 169 targets. Idempotent. */
export async function loadSdgFramework(db: Database, actor: Actor): Promise<{ goals: number; targets: number; changed: boolean }> {
  const [have] = await db.query<{ goals: number; targets: number }>(
    `SELECT count(*) FILTER (WHERE n.level = 'goal')::int AS goals, count(*) FILTER (WHERE n.level = 'target')::int AS targets
     FROM ind_framework_nodes n JOIN ind_frameworks f ON f.id = n.framework_id WHERE f.key = 'sdg'`,
  );
  // Already complete: loading again must change nothing (no rewrite, no audit row).
  if (have && have.goals === SDG_GOALS.length && have.targets === sdgTargets().length) return { goals: have.goals, targets: have.targets, changed: false };
  return db.orm.transaction(async (tx) => {
    const [fw] = await tx
      .insert(frameworks)
      .values({ key: 'sdg', names: { en: 'Sustainable Development Goals', sv: 'Globala målen', nb: 'Bærekraftsmålene', da: 'Verdensmålene' }, source: 'United Nations' })
      .onConflictDoUpdate({ target: frameworks.key, set: { names: sql`excluded.names` } })
      .returning({ id: frameworks.id });
    const goalIds = new Map<string, string>();
    for (const g of SDG_GOALS) {
      const [row] = await tx
        .insert(frameworkNodes)
        .values({ frameworkId: fw!.id, code: g.code, level: 'goal', names: g.short, shortNames: g.short, sortKey: sdgSortKey(g.code) })
        .onConflictDoUpdate({ target: [frameworkNodes.frameworkId, frameworkNodes.code], set: { shortNames: sql`excluded.short_names`, names: sql`excluded.names` } })
        .returning({ id: frameworkNodes.id });
      goalIds.set(g.code, row!.id);
    }
    const targets = sdgTargets();
    for (let i = 0; i < targets.length; i += 100) {
      const chunk = targets.slice(i, i + 100);
      await tx
        .insert(frameworkNodes)
        .values(chunk.map((t) => ({ frameworkId: fw!.id, code: t.code, level: 'target' as const, parentId: goalIds.get(t.goal) ?? null, names: { en: t.title }, shortNames: {}, sortKey: sdgSortKey(t.code) })))
        .onConflictDoUpdate({ target: [frameworkNodes.frameworkId, frameworkNodes.code], set: { names: sql`ind_framework_nodes.names || excluded.names`, parentId: sql`excluded.parent_id` } });
    }
    await recordAudit(tx, actor, { action: 'indicators.framework.load', entityType: 'framework', entityId: fw!.id, summary: 'sdg' });
    return { goals: SDG_GOALS.length, targets: targets.length, changed: true };
  });
}

type FrameworkInput = { key: string; names: Record<string, string>; source: string; nodes: { code: string; level: 'goal' | 'target' | 'category'; parentCode?: string; names: Record<string, string> }[] };

/**
 * Imports a framework from a taxonomy file (KS, U4SSC, UN SDG indicators): its
 * nodes, its indicators, and their links to its own nodes and to SDG targets.
 * All in one transaction; repeating it changes nothing.
 */
export async function importTaxonomy(
  db: Database,
  actor: Actor,
  input: { framework: FrameworkInput; indicators: (IndicatorMeta & { nodeCodes: string[] })[] },
): Promise<{ nodes: number; indicators: number; changed: number }> {
  return db.orm.transaction(async (tx) => {
    const fwId = await upsertFrameworkTx(tx, input.framework);
    const { ids, changed } = await upsertIndicators(tx, input.indicators, input.framework.key);
    const nodeRows = await rawQuery<{ id: string; code: string }>(tx, 'SELECT id, code FROM ind_framework_nodes WHERE framework_id = $1', [fwId]);
    const nodeId = new Map(nodeRows.map((n) => [n.code, n.id]));
    const links = input.indicators.flatMap((m) => m.nodeCodes.flatMap((c) => (nodeId.has(c) && ids.has(m.code) ? [{ indicatorId: ids.get(m.code)!, nodeId: nodeId.get(c)! }] : [])));
    let linked = 0;
    for (let i = 0; i < links.length; i += 500) linked += (await tx.insert(indicatorLinks).values(links.slice(i, i + 500)).onConflictDoNothing().returning({ id: indicatorLinks.indicatorId })).length;
    if (changed + linked > 0) {
      await recordAudit(tx, actor, { action: 'indicators.framework.import', entityType: 'framework', entityId: fwId, summary: `${input.framework.key}: ${input.indicators.length} indicators, ${changed + linked} changes` });
    }
    return { nodes: input.framework.nodes.length, indicators: input.indicators.length, changed: changed + linked };
  });
}

async function upsertFrameworkTx(tx: Executor, input: FrameworkInput): Promise<string> {
  const [fw] = await tx
    .insert(frameworks)
    .values({ key: input.key, names: input.names, source: input.source })
    .onConflictDoUpdate({ target: frameworks.key, set: { names: sql`excluded.names`, source: sql`excluded.source` }, setWhere: sql`ind_frameworks.names IS DISTINCT FROM excluded.names OR ind_frameworks.source IS DISTINCT FROM excluded.source` })
    .returning({ id: frameworks.id });
  const id = fw?.id ?? (await tx.select({ id: frameworks.id }).from(frameworks).where(eq(frameworks.key, input.key)))[0]!.id;
  const ids = new Map<string, string>();
  for (const n of input.nodes) {
    const parentId = n.parentCode ? (ids.get(n.parentCode) ?? null) : null;
    await rawQuery(
      tx,
      `INSERT INTO ind_framework_nodes (framework_id, code, level, parent_id, names, short_names, sort_key) VALUES ($1, $2, $3, $4, $5::jsonb, '{}'::jsonb, $2)
       ON CONFLICT (framework_id, code) DO UPDATE SET names = excluded.names, parent_id = excluded.parent_id, level = excluded.level
       WHERE ind_framework_nodes.names IS DISTINCT FROM excluded.names OR ind_framework_nodes.parent_id IS DISTINCT FROM excluded.parent_id`,
      [id, n.code, n.level, parentId, JSON.stringify(n.names)],
    );
    const [row] = await rawQuery<{ id: string }>(tx, 'SELECT id FROM ind_framework_nodes WHERE framework_id = $1 AND code = $2', [id, n.code]);
    ids.set(n.code, row!.id);
  }
  return id;
}

// Indicators -------------------------------------------------------------------

/**
 * Inserts or updates indicators by code and links them to SDG targets.
 * Returns code → id, and how many rows actually changed.
 */
export async function upsertIndicators(tx: Executor, allMetas: IndicatorMeta[], frameworkKey?: string, actor?: Actor): Promise<{ ids: Map<string, string>; changed: number; skipped: string[] }> {
  const ids = new Map<string, string>();
  let changed = 0;
  if (allMetas.length === 0) return { ids, changed, skipped: [] };
  // Metadata (name, unit, direction, SDG links...) is changed only by the indicator's owner or a
  // platform admin; anyone else's import adds observations and leaves the metadata as it is.
  const foreign = new Set<string>();
  if (actor && !actor.isPlatformAdmin) {
    const existing = await rawQuery<{ code: string; owner_user_id: string | null }>(tx, 'SELECT code, owner_user_id FROM ind_indicators WHERE code = ANY($1::text[])', [allMetas.map((m) => m.code)]);
    for (const e of existing) if (!e.owner_user_id || e.owner_user_id !== actor.userId) foreign.add(e.code);
  }
  const metas = allMetas.filter((m) => !foreign.has(m.code));
  const skipped = [...foreign].sort();
  let frameworkId: string | null = null;
  if (frameworkKey) {
    const [fw] = await tx.select({ id: frameworks.id }).from(frameworks).where(eq(frameworks.key, frameworkKey)).limit(1);
    frameworkId = fw?.id ?? null;
  }
  const sdgNodes = new Map<string, string>();
  const wanted = [...new Set(metas.flatMap((m) => m.sdgTargets ?? []))];
  if (wanted.length) {
    const rows = await rawQuery<{ id: string; code: string }>(
      tx,
      `SELECT n.id, n.code FROM ind_framework_nodes n JOIN ind_frameworks f ON f.id = n.framework_id WHERE f.key = 'sdg' AND n.code = ANY($1::text[])`,
      [wanted],
    );
    for (const r of rows) sdgNodes.set(r.code, r.id);
  }
  for (let i = 0; i < metas.length; i += 200) {
    const chunk = metas.slice(i, i + 200);
    const values = chunk.map((m) => ({
      code: m.code,
      frameworkId,
      name: m.name.slice(0, 500) || m.code,
      description: m.description ?? '',
      lang: m.lang ?? 'en',
      unit: m.unit ?? '',
      decimals: m.decimals ?? 1,
      direction: m.direction ?? 'neutral',
      source: m.source ?? '',
      attribution: m.attribution ?? '',
      periodicity: m.periodicity ?? 'annual',
      dimensions: m.dimensions ?? [],
      ownerUserId: actor?.userId ?? null,
    }));
    // Only rows whose metadata differs are touched, so re-importing the same catalogue changes nothing.
    const res = await tx
      .insert(indicators)
      .values(values)
      .onConflictDoUpdate({
        target: indicators.code,
        set: {
          name: sql`excluded.name`,
          description: sql`CASE WHEN excluded.description <> '' THEN excluded.description ELSE ind_indicators.description END`,
          lang: sql`excluded.lang`,
          unit: sql`CASE WHEN excluded.unit <> '' THEN excluded.unit ELSE ind_indicators.unit END`,
          source: sql`CASE WHEN excluded.source <> '' THEN excluded.source ELSE ind_indicators.source END`,
          attribution: sql`CASE WHEN excluded.attribution <> '' THEN excluded.attribution ELSE ind_indicators.attribution END`,
          frameworkId: sql`COALESCE(excluded.framework_id, ind_indicators.framework_id)`,
          updatedAt: sql`now()`,
        },
        setWhere: sql`ind_indicators.name IS DISTINCT FROM excluded.name
          OR (excluded.description <> '' AND ind_indicators.description IS DISTINCT FROM excluded.description)
          OR ind_indicators.lang IS DISTINCT FROM excluded.lang
          OR (excluded.unit <> '' AND ind_indicators.unit IS DISTINCT FROM excluded.unit)
          OR (excluded.source <> '' AND ind_indicators.source IS DISTINCT FROM excluded.source)
          OR (excluded.attribution <> '' AND ind_indicators.attribution IS DISTINCT FROM excluded.attribution)
          OR (excluded.framework_id IS NOT NULL AND ind_indicators.framework_id IS DISTINCT FROM excluded.framework_id)`,
      })
      .returning({ id: indicators.id, code: indicators.code });
    changed += res.length;
  }
  const all = await tx.select({ id: indicators.id, code: indicators.code }).from(indicators).where(inArray(indicators.code, allMetas.map((m) => m.code)));
  for (const r of all) ids.set(r.code, r.id);
  const links = metas.flatMap((m) => (m.sdgTargets ?? []).flatMap((t) => (sdgNodes.has(t) && ids.has(m.code) ? [{ indicatorId: ids.get(m.code)!, nodeId: sdgNodes.get(t)! }] : [])));
  if (links.length) {
    const res = await tx.insert(indicatorLinks).values(links).onConflictDoNothing().returning({ id: indicatorLinks.indicatorId });
    changed += res.length;
  }
  if (changed) await indexIndicatorDocs(tx, [...ids.values()]);
  return { ids, changed, skipped };
}

/**
 * Sets, by hand, which SDG goals and targets an indicator serves: the crosswalk an import could not
 * know or got wrong. Links to the indicator's own framework's categories are left alone. A later
 * import that names a target adds it again (imports add links, they never remove them).
 */
export async function setIndicatorSdgLinks(db: Database, actor: Actor, code: string, wanted: string[]): Promise<{ code: string; targets: string[]; changed: boolean }> {
  const codes = [...new Set(wanted.map((c) => c.trim()).filter(Boolean))];
  return db.orm.transaction(async (tx) => {
    const [ind] = await tx.select({ id: indicators.id, code: indicators.code }).from(indicators).where(eq(indicators.code, code)).limit(1);
    if (!ind) throw new NotFoundError('indicator', code);
    const nodes = await rawQuery<{ id: string; code: string }>(
      tx,
      `SELECT n.id, n.code FROM ind_framework_nodes n JOIN ind_frameworks f ON f.id = n.framework_id WHERE f.key = 'sdg' AND n.code = ANY($1::text[])`,
      [codes],
    );
    const unknown = codes.filter((c) => !nodes.some((n) => n.code === c));
    if (unknown.length) throw new ValidationError([{ field: 'targets', message: `Not an SDG goal or target: ${unknown.join(', ')}` }]);
    const current = await rawQuery<{ node_id: string; code: string }>(
      tx,
      `SELECT l.node_id, n.code FROM ind_indicator_links l JOIN ind_framework_nodes n ON n.id = l.node_id JOIN ind_frameworks f ON f.id = n.framework_id
       WHERE f.key = 'sdg' AND l.indicator_id = $1`,
      [ind.id],
    );
    const want = new Set(nodes.map((n) => n.id));
    const gone = current.filter((c) => !want.has(c.node_id)).map((c) => c.node_id);
    const added = nodes.filter((n) => !current.some((c) => c.node_id === n.id));
    const sorted = (xs: string[]) => [...xs].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const targets = sorted(nodes.map((n) => n.code));
    if (!gone.length && !added.length) return { code: ind.code, targets, changed: false };
    if (gone.length) await tx.delete(indicatorLinks).where(and(eq(indicatorLinks.indicatorId, ind.id), inArray(indicatorLinks.nodeId, gone)));
    if (added.length) await tx.insert(indicatorLinks).values(added.map((n) => ({ indicatorId: ind.id, nodeId: n.id })));
    await recordAudit(tx, actor, {
      action: 'indicators.indicator.sdg_links',
      entityType: 'indicator',
      entityId: ind.id,
      changes: { sdgTargets: { from: sorted(current.map((c) => c.code)), to: targets } },
    });
    await indexIndicatorDocs(tx, [ind.id]);
    return { code: ind.code, targets, changed: true };
  });
}

// Areas, groups and geometries -------------------------------------------------------

/** Area lists (e.g. the Kolada municipality catalogue) go through the directory, which owns areas. */
export async function importAreas(db: Database, actor: Actor, rows: AreaInput[]) {
  // Parents first, so a municipality can name the region imported in the same file.
  const order = { country: 0, region: 1, municipality: 2, district: 3 } as const;
  const sorted = [...rows].sort((a, b) => order[a.level] - order[b.level]);
  // Loaded lazily: the directory module pulls in its pages and routes, which a CLI import does not need.
  const { directory } = await import('../directory/index.js');
  return db.orm.transaction((tx) =>
    directory.upsertAreas(
      tx,
      actor,
      sorted.map((r) => ({
        country: r.country,
        level: r.level,
        code: r.code,
        name: r.name,
        parentKey: r.parentKey ?? null,
        ...(r.validFrom !== undefined ? { validFrom: r.validFrom } : {}),
        ...(r.validTo !== undefined ? { validTo: r.validTo } : {}),
      })),
    ),
  );
}

export type AreaGroupInput = { key: string; name: string; lang: 'sv' | 'nb' | 'da' | 'en'; kind: 'network' | 'similar' | 'custom' | 'kolada'; source?: string; memberKeys: string[] };

export async function upsertAreaGroup(db: Database, actor: Actor, input: AreaGroupInput): Promise<{ id: string; members: number; unknown: string[]; changed: boolean; created: boolean }> {
  return db.orm.transaction((tx) => upsertAreaGroupTx(tx, actor, input));
}

/**
 * A whole group catalogue (Kolada has over 3,000 groups) in the caller's transaction: all of them
 * or none. Set-based, a handful of statements whatever the number of groups, and one audit row
 * for the import, as for boundaries.
 */
export async function upsertAreaGroupsTx(tx: Executor, actor: Actor, inputs: AreaGroupInput[]): Promise<{ created: number; changed: number; unknown: string[] }> {
  const byKey = new Map(inputs.map((g) => [g.key, g])); // a later entry with the same key wins
  const groupsIn = [...byKey.values()];
  const allKeys = [...new Set(groupsIn.flatMap((g) => g.memberKeys))];
  const areaRows = await rawQuery<{ id: string; key: string }>(tx, 'SELECT id, key FROM areas WHERE key = ANY($1::text[])', [allKeys]);
  const areaId = new Map(areaRows.map((a) => [a.key, a.id]));
  const unknown = allKeys.filter((k) => !areaId.has(k));
  const current = await rawQuery<{ id: string; key: string; name: string; kind: string; source: string; members: string[] }>(
    tx,
    `SELECT g.id, g.key, g.name, g.kind, g.source, COALESCE(array_agg(m.area_id::text ORDER BY m.area_id) FILTER (WHERE m.area_id IS NOT NULL), '{}') AS members
     FROM ind_area_groups g LEFT JOIN ind_area_group_members m ON m.group_id = g.id WHERE g.key = ANY($1::text[]) GROUP BY g.id`,
    [groupsIn.map((g) => g.key)],
  );
  const cur = new Map(current.map((c) => [c.key, c]));
  const wanted = (g: AreaGroupInput) => [...new Set(g.memberKeys.flatMap((k) => (areaId.has(k) ? [areaId.get(k)!] : [])))].sort();
  const touched = groupsIn.filter((g) => {
    const c = cur.get(g.key);
    return !c || c.name !== g.name || c.kind !== g.kind || c.source !== (g.source ?? '') || JSON.stringify([...c.members].sort()) !== JSON.stringify(wanted(g));
  });
  if (!touched.length) return { created: 0, changed: 0, unknown };
  const ids = new Map<string, string>();
  for (let i = 0; i < touched.length; i += 500) {
    const chunk = touched.slice(i, i + 500);
    const rows = await tx
      .insert(areaGroups)
      .values(chunk.map((g) => ({ key: g.key, name: g.name, lang: g.lang, kind: g.kind, source: g.source ?? '' })))
      .onConflictDoUpdate({ target: areaGroups.key, set: { name: sql`excluded.name`, kind: sql`excluded.kind`, source: sql`excluded.source` } })
      .returning({ id: areaGroups.id, key: areaGroups.key });
    for (const r of rows) ids.set(r.key, r.id);
  }
  // Members are replaced wholesale for the groups that changed: simpler than a diff, same result.
  await rawQuery(tx, 'DELETE FROM ind_area_group_members WHERE group_id = ANY($1::uuid[])', [[...ids.values()]]);
  const members = touched.flatMap((g) => wanted(g).map((a) => ({ groupId: ids.get(g.key)!, areaId: a })));
  for (let i = 0; i < members.length; i += 2000) await tx.insert(areaGroupMembers).values(members.slice(i, i + 2000)).onConflictDoNothing();
  const created = touched.filter((g) => !cur.has(g.key)).length;
  await recordAudit(tx, actor, { action: 'indicators.groups.import', entityType: 'area_group', entityId: touched[0]!.key, summary: `${touched.length} groups (${created} new), ${members.length} members` });
  return { created, changed: touched.length - created, unknown };
}

async function upsertAreaGroupTx(tx: Executor, actor: Actor, input: AreaGroupInput): Promise<{ id: string; members: number; unknown: string[]; changed: boolean; created: boolean }> {
  const areasFound = await rawQuery<{ id: string; key: string }>(tx, 'SELECT id, key FROM areas WHERE key = ANY($1::text[])', [input.memberKeys]);
  const unknown = input.memberKeys.filter((k) => !areasFound.some((a) => a.key === k));
  const [current] = await rawQuery<{ id: string; name: string; kind: string; source: string; members: string[] }>(
    tx,
    `SELECT g.id, g.name, g.kind, g.source, COALESCE(array_agg(m.area_id ORDER BY m.area_id) FILTER (WHERE m.area_id IS NOT NULL), '{}') AS members
     FROM ind_area_groups g LEFT JOIN ind_area_group_members m ON m.group_id = g.id WHERE g.key = $1 GROUP BY g.id`,
    [input.key],
  );
  const wantIds = [...new Set(areasFound.map((a) => a.id))].sort();
  if (current && current.name === input.name && current.kind === input.kind && current.source === (input.source ?? '') && JSON.stringify([...current.members].sort()) === JSON.stringify(wantIds)) {
    return { id: current.id, members: wantIds.length, unknown, changed: false, created: false };
  }
  const [g] = await tx
    .insert(areaGroups)
    .values({ key: input.key, name: input.name, lang: input.lang, kind: input.kind, source: input.source ?? '' })
    .onConflictDoUpdate({ target: areaGroups.key, set: { name: sql`excluded.name`, kind: sql`excluded.kind`, source: sql`excluded.source` } })
    .returning({ id: areaGroups.id });
  const before = await tx.select({ areaId: areaGroupMembers.areaId }).from(areaGroupMembers).where(eq(areaGroupMembers.groupId, g!.id));
  const want = new Set(areasFound.map((a) => a.id));
  const gone = before.filter((b) => !want.has(b.areaId)).map((b) => b.areaId);
  if (gone.length) await tx.delete(areaGroupMembers).where(and(eq(areaGroupMembers.groupId, g!.id), inArray(areaGroupMembers.areaId, gone)));
  if (want.size) await tx.insert(areaGroupMembers).values([...want].map((areaId) => ({ groupId: g!.id, areaId }))).onConflictDoNothing();
  await recordAudit(tx, actor, { action: 'indicators.group.upsert', entityType: 'area_group', entityId: g!.id, summary: `${input.key}: ${want.size} members` });
  return { id: g!.id, members: want.size, unknown, changed: true, created: !current };
}

/**
 * GeoJSON boundaries: a FeatureCollection whose features carry the official code
 * in a property (Kartverket-based files use `kommunenummer`).
 */
export async function importGeometries(
  db: Database,
  actor: Actor,
  fc: unknown,
  opts: { country: 'SE' | 'NO' | 'DK'; codeProperty: string; source?: string; onProgress?: (done: number, total: number) => void },
): Promise<{ stored: number; unknown: string[] }> {
  const features = (fc as { type?: string; features?: { properties?: Record<string, unknown>; geometry?: unknown }[] })?.features;
  if (!Array.isArray(features)) throw new ValidationError([{ field: 'file', message: 'The file is not a GeoJSON FeatureCollection.' }]);
  const byKey = new Map<string, unknown>();
  const bad: string[] = [];
  features.forEach((f, i) => {
    const code = f.properties?.[opts.codeProperty];
    const g = f.geometry as { type?: string } | undefined;
    if (typeof code !== 'string' && typeof code !== 'number') bad.push(`feature ${i + 1}: no "${opts.codeProperty}"`);
    else if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) bad.push(`feature ${i + 1}: geometry is not a polygon`);
    else byKey.set(`${opts.country.toLowerCase()}-${String(code)}`, g);
  });
  if (bad.length) throw new ValidationError(bad.slice(0, 50).map((m) => ({ field: 'file', message: m })));
  return db.orm.transaction(async (tx) => {
    const found = await rawQuery<{ id: string; key: string }>(tx, 'SELECT id, key FROM areas WHERE key = ANY($1::text[])', [[...byKey.keys()]]);
    const unknown = [...byKey.keys()].filter((k) => !found.some((a) => a.key === k));
    for (const [i, a] of found.entries()) {
      if (i % 25 === 0) opts.onProgress?.(i, found.length);
      await rawQuery(
        tx,
        `INSERT INTO ind_area_geometries (area_id, geojson, source) VALUES ($1, $2::jsonb, $3)
         ON CONFLICT (area_id) DO UPDATE SET geojson = excluded.geojson, source = excluded.source, updated_at = now()
         WHERE ind_area_geometries.geojson IS DISTINCT FROM excluded.geojson`,
        [a.id, JSON.stringify(byKey.get(a.key)), opts.source ?? ''],
      );
    }
    await recordAudit(tx, actor, { action: 'indicators.geometries.import', entityType: 'area_geometry', entityId: opts.country, summary: `${found.length} boundaries` });
    return { stored: found.length, unknown };
  });
}

// Observations -----------------------------------------------------------------------

export type ImportOptions = {
  format: 'opensdg' | 'long' | 'jsonstat' | 'kolada' | 'demo';
  source?: string;
  filename?: string;
  dryRun?: boolean;
  frameworkKey?: string;
  onProgress?: (phase: 'validate' | 'stage' | 'merge' | 'done', done: number, total: number) => void;
};

export type ImportReport = {
  ok: boolean;
  dryRun: boolean;
  errors: RowError[];
  errorCount: number;
  rowsTotal: number;
  inserted: number;
  updated: number;
  unchanged: number;
  indicatorsChanged: number;
  batchId: number | null;
  indicators: string[];
  /** Indicators whose metadata the file carried but the importer may not change: left as they were. */
  metadataSkipped?: string[];
  /** What other modules did with metadata that came with the file (progress: targets), one line each. */
  notes?: string[];
  /** Every error is a refusal: the rows are valid, but for areas the importer may not write. */
  forbidden?: boolean;
};

/** What the parsers produce (normalisePeriod): years from 1000, quarters, months, year ranges. */
const PERIOD_RE = /^[1-9]\d{3}(-Q[1-4]|-(0[1-9]|1[0-2])|-[1-9]\d{3})?$/;

class Rollback extends Error {
  constructor(readonly report: ImportReport) {
    super('rollback');
  }
}

const MAX_REPORTED_ERRORS = 1000;

function failed(errors: RowError[], rowsTotal: number, dryRun: boolean): ImportReport {
  const sorted = [...errors].sort((a, b) => a.line - b.line);
  return { ok: false, dryRun, errors: sorted.slice(0, MAX_REPORTED_ERRORS), errorCount: errors.length, rowsTotal, inserted: 0, updated: 0, unchanged: 0, indicatorsChanged: 0, batchId: null, indicators: [] };
}

/**
 * Validates every row against the database (areas, indicators), then stages and
 * merges in one transaction. Nothing is written when any row is bad, on a dry
 * run, or when the file holds nothing new (running the same file again is a no-op).
 */
export async function importObservations(db: Database, actor: Actor, input: ParseResult | PackedResult, opts: ImportOptions): Promise<ImportReport> {
  const dryRun = !!opts.dryRun;
  // The rows stay in columns throughout (load-stream.ts): no object per row on this thread.
  const cols = packedOf(input);
  const parsed = cols.rest;
  const rows = { length: cols.n };
  const progress = opts.onProgress ?? (() => {});
  const total = rows.length + parsed.errors.length;
  if (parsed.errors.length) return failed(parsed.errors, total, dryRun);
  progress('validate', 0, rows.length);

  const areaKeys = distinctOf(cols, cols.area);
  const areaRows = await db.query<{ id: string; key: string }>('SELECT id, key FROM areas WHERE key = ANY($1::text[])', [areaKeys]);
  const areaId = new Map(areaRows.map((a) => [a.key, a.id]));
  const codes = distinctOf(cols, cols.indicator);
  const indRows = await db.query<{ id: string; code: string }>('SELECT id, code FROM ind_indicators WHERE code = ANY($1::text[])', [codes]);
  const known = new Set([...indRows.map((i) => i.code), ...parsed.indicators.map((m) => m.code)]);
  const errors: RowError[] = [];
  // Areas that reforms created or ended: a code is valid only for data of its own years. An
  // outdated code is named with its successor (or a new one with its predecessor), row by row.
  const dated = await db.query<{ key: string; name: string; from_year: number | null; to_year: number | null; successors: string[] | null; predecessors: string[] | null }>(
    `SELECT a.key, a.name, extract(year FROM a.valid_from)::int AS from_year, extract(year FROM a.valid_to)::int AS to_year,
       (SELECT array_agg(s.key ORDER BY s.key) FROM area_changes c JOIN areas s ON s.id = c.successor_id WHERE c.predecessor_id = a.id) AS successors,
       (SELECT array_agg(p.key ORDER BY p.key) FROM area_changes c JOIN areas p ON p.id = c.predecessor_id WHERE c.successor_id = a.id) AS predecessors
     FROM areas a WHERE a.key = ANY($1::text[]) AND (a.valid_from IS NOT NULL OR a.valid_to IS NOT NULL)`,
    [areaKeys],
  );
  const validity = new Map(dated.map((d) => [d.key, d]));
  // Successors of successors (0702 Holmestrand -> 0715 in 2018 -> 3802 in 2020 -> 3903 in 2024): an
  // outdated code is offered the one of its line that is valid in the row's year. The depth is
  // capped, so that a cycle in a hand-written change file ends instead of recursing for ever.
  const chains = new Map<string, { key: string; from_year: number | null; to_year: number | null; depth: number }[]>();
  const outdated = dated.filter((d) => d.to_year !== null).map((d) => d.key);
  if (outdated.length) {
    const rowsOfChain = await db.query<{ root: string; key: string; from_year: number | null; to_year: number | null; depth: number }>(
      `WITH RECURSIVE chain(root, id, depth) AS (
         SELECT a.id, a.id, 0 FROM areas a WHERE a.key = ANY($1::text[])
         UNION SELECT c.root, ch.successor_id, c.depth + 1 FROM chain c JOIN area_changes ch ON ch.predecessor_id = c.id WHERE c.depth < 20)
       SELECT r.key AS root, s.key, extract(year FROM s.valid_from)::int AS from_year, extract(year FROM s.valid_to)::int AS to_year, min(c.depth)::int AS depth
       FROM chain c JOIN areas r ON r.id = c.root JOIN areas s ON s.id = c.id WHERE c.depth > 0
       GROUP BY r.key, s.key, s.valid_from, s.valid_to ORDER BY depth, s.key`,
      [outdated],
    );
    for (const c of rowsOfChain) {
      let list = chains.get(c.root);
      if (!list) chains.set(c.root, (list = []));
      list.push(c);
    }
  }
  const successorFor = (key: string, year: number, direct: string[]) => {
    const valid = (chains.get(key) ?? []).filter((c) => (c.from_year === null || c.from_year <= year) && (c.to_year === null || year <= c.to_year));
    if (!valid.length) return direct.join(' or ');
    const via = (chains.get(key) ?? []).filter((c) => c.depth < valid[0]!.depth).map((c) => c.key);
    return `${valid.map((v) => v.key).join(' or ')}${via.length ? ` (via ${via.join(', ')})` : ''}`;
  };
  // Only rows that one of the checks below can fault are visited: the checks are made once per
  // distinct string first, so the other rows cost a few integer reads.
  const areaSuspect = dictFlags(cols, (k) => validity.has(k) || !areaId.has(k));
  const codeSuspect = dictFlags(cols, (c) => !known.has(c));
  const periodSuspect = dictFlags(cols, (p) => !PERIOD_RE.test(p));
  const textSuspect = dictFlags(cols, (t) => t !== '' && (textProblem(t, { multiline: true }) !== null || textProblem(t, { multiline: false }) !== null));
  const suspect = (i: number) =>
    !!(areaSuspect[cols.area[i]!] || codeSuspect[cols.indicator[i]!] || periodSuspect[cols.period[i]!] || textSuspect[cols.note[i]!] || textSuspect[cols.breakdown[i]!] || textSuspect[cols.status[i]!]) ||
    (!cols.isNull[i] && !Number.isFinite(cols.value[i]!));
  for (const r of eachRow(cols, suspect)) {
    const v = validity.get(r.area);
    if (v) {
      const first = Number(r.period.slice(0, 4));
      const last = /^\d{4}-\d{4}$/.test(r.period) ? Number(r.period.slice(5)) : first;
      if (v.to_year !== null && first > v.to_year) {
        const to = v.successors?.length ? `; map it to ${successorFor(r.area, first, v.successors)}` : '';
        errors.push({ line: r.line, field: 'area', message: `"${r.area}" (${v.name}) was replaced after ${v.to_year}, so it has no data for ${r.period}${to}` });
      } else if (v.from_year !== null && last < v.from_year) {
        const from = v.predecessors?.length ? `; for earlier years use ${v.predecessors.join(' or ')}` : '';
        errors.push({ line: r.line, field: 'area', message: `"${r.area}" (${v.name}) exists from ${v.from_year}, so it has no data for ${r.period}${from}` });
      }
    }
    if (!areaId.has(r.area)) errors.push({ line: r.line, field: 'area', message: `unknown area "${r.area}"` });
    if (!known.has(r.indicator)) errors.push({ line: r.line, field: 'indicator', message: `unknown indicator "${r.indicator}"` });
    // Whatever importer made the row: no Infinity, no impossible period, no control characters.
    if (r.value !== null && !Number.isFinite(r.value)) errors.push({ line: r.line, field: 'value', message: `${r.value} is not a finite number` });
    if (!PERIOD_RE.test(r.period)) errors.push({ line: r.line, field: 'period', message: `"${r.period}" is not a period` });
    for (const [field, text, multiline] of [['note', r.note, true], ['breakdown', r.breakdown, false], ['status', r.status, false]] as const) {
      const problem = text ? textProblem(text, { multiline }) : null;
      if (problem) errors.push({ line: r.line, field, message: `the ${field} ${problem}` });
    }
  }
  for (const m of parsed.indicators) {
    const problem = findTextProblem({ code: m.code, name: m.name, description: m.description, unit: m.unit, source: m.source, attribution: m.attribution }, { multiline: true, prefix: `indicator ${m.code}` });
    if (problem) errors.push({ line: 0, field: problem.field, message: problem.message });
  }
  for (const lb of parsed.labels ?? []) {
    const problem = findTextProblem({ dimension: lb.dimension, code: lb.code, label: lb.label }, { multiline: false, prefix: `label of ${lb.indicator}` });
    if (problem) errors.push({ line: 0, field: problem.field, message: problem.message });
  }
  const validityErrors = errors.length;
  if (!actor.isPlatformAdmin) {
    const denied = await areasNotWritable(db, actor, areaRows);
    const deniedArea = dictFlags(cols, (k) => denied.has(k));
    for (const r of eachRow(cols, (i) => deniedArea[cols.area[i]!] === 1)) {
      const who = denied.get(r.area);
      if (who !== undefined) errors.push({ line: r.line, field: 'area', message: `you may not write figures for "${r.area}": only editors of ${who || 'the organisation governing it'}, of a network it has delegated its figures to, or a platform admin may` });
    }
  }
  // A file that is valid but writes someone else's figures is refused as such (403 in the API).
  if (errors.length) return { ...failed(errors, total, dryRun), ...(validityErrors === 0 ? { forbidden: true } : {}) };
  if (rows.length === 0 && parsed.indicators.length === 0) {
    return failed([{ line: 0, field: 'file', message: 'the file holds no observations' }], 0, dryRun);
  }

  try {
    return await db.orm.transaction(async (tx) => {
      // One import at a time: the fast path's "nothing there yet" check must not race another import.
      await rawQuery(tx, 'SELECT pg_advisory_xact_lock(7283514)');
      const { ids: metaIds, changed: indicatorsChanged, skipped } = await upsertIndicators(tx, inferIndicatorMeta(parsed.indicators, eachRow(cols)), opts.frameworkKey, actor);
      const mayChangeMeta = async (id: string) => actor.isPlatformAdmin || (await rawQuery(tx, 'SELECT 1 FROM ind_indicators WHERE id = $1 AND owner_user_id = $2', [id, actor.userId])).length > 0;
      const indId = new Map(indRows.map((i) => [i.code, i.id]));
      for (const [c, id] of metaIds) indId.set(c, id);

      let unitsSet = 0;
      for (const [code, unit] of Object.entries(parsed.units ?? {})) {
        const id = indId.get(code);
        if (!id) continue;
        if (!(await mayChangeMeta(id))) {
          if (!skipped.includes(code)) skipped.push(code);
          continue;
        }
        unitsSet += (await rawQuery(tx, `UPDATE ind_indicators SET unit = $2, updated_at = now() WHERE id = $1 AND unit = '' RETURNING id`, [id, unit])).length;
      }
      // Changed labels are metadata changes: they count with the indicators' (and keep a repeat a no-op).
      const labelsSet = await storeLabels(tx, actor, parsed.labels ?? [], indId);
      const touched = [...new Set(codes.map((c) => indId.get(c)!))];
      // Fast path: indicators with no observations yet (a first import) need no staging or
      // comparison; every row is new, so the rows are bulk-loaded straight into place.
      const [{ existing } = { existing: true }] = await rawQuery<{ existing: boolean }>(tx, 'SELECT EXISTS (SELECT 1 FROM ind_observations WHERE indicator_id = ANY($1::uuid[])) AS existing', [touched]);
      if (!existing) {
        const report: ImportReport = { ok: true, dryRun, errors: [], errorCount: 0, rowsTotal: rows.length, inserted: rows.length, updated: 0, unchanged: 0, indicatorsChanged: indicatorsChanged + unitsSet + labelsSet, batchId: null, indicators: codes, metadataSkipped: skipped };
        if (dryRun) throw new Rollback(report);
        const batchId = await createBatch(tx, actor, opts, report, touched);
        report.batchId = batchId;
        await loadRows(db, tx, 'ind_observations', cols, indId, areaId, batchId, (n) => progress('stage', n, rows.length));
        progress('merge', 0, rows.length);
        // The file holds every observation these indicators have, so their summaries come from it directly.
        const headlines = chooseHeadlines(eachRow(cols));
        const stored = await applyHeadlines(tx, indId, headlines);
        if (!parsed.summaries) throw new Error('the load needs the file summaries (packedOf makes them)');
        await writeSummaries(db, tx, summariseRows([], indId, areaId, parsed.summaries));
        // The file's summaries follow the file's own headline choice; an indicator whose headline
        // was set otherwise before its first data gets its summaries from the database instead.
        const differing = [...headlines].filter(([code, bd]) => stored.get(indId.get(code)!) !== bd).map(([code]) => indId.get(code)!);
        if (differing.length) await refreshSummaries(tx, { indicatorIds: differing });
        await finishBatch(tx, actor, opts, report, touched);
        progress('done', rows.length, rows.length);
        return report;
      }
      await rawQuery(
        tx,
        `CREATE TEMP TABLE ind_stage (indicator_id uuid NOT NULL, area_id uuid NOT NULL, period text NOT NULL, breakdown text NOT NULL,
          value double precision, status text NOT NULL, note text NOT NULL) ON COMMIT DROP`,
      );
      await loadRows(db, tx, 'ind_stage', cols, indId, areaId, null, (n) => progress('stage', n, rows.length));
      progress('merge', 0, rows.length);
      const [counts] = await rawQuery<{ inserted: number; updated: number; unchanged: number }>(
        tx,
        `SELECT count(*) FILTER (WHERE o.indicator_id IS NULL)::int AS inserted,
                count(*) FILTER (WHERE o.indicator_id IS NOT NULL AND (s.value IS DISTINCT FROM o.value OR s.status <> o.status OR s.note <> o.note))::int AS updated,
                count(*) FILTER (WHERE o.indicator_id IS NOT NULL AND NOT (s.value IS DISTINCT FROM o.value OR s.status <> o.status OR s.note <> o.note))::int AS unchanged
         FROM ind_stage s LEFT JOIN ind_observations o
           ON o.indicator_id = s.indicator_id AND o.area_id = s.area_id AND o.period = s.period AND o.breakdown = s.breakdown`,
      );
      const report: ImportReport = {
        ok: true,
        dryRun,
        errors: [],
        errorCount: 0,
        rowsTotal: rows.length,
        inserted: counts!.inserted,
        updated: counts!.updated,
        unchanged: counts!.unchanged,
        indicatorsChanged: indicatorsChanged + unitsSet + labelsSet,
        batchId: null,
        indicators: codes,
        metadataSkipped: skipped,
      };
      if (dryRun) throw new Rollback(report);
      if (report.inserted + report.updated === 0) {
        // Metadata-only changes still count; pure repeats roll back and leave no trace.
        if (report.indicatorsChanged === 0) throw new Rollback(report);
        await recordAudit(tx, actor, { action: 'indicators.metadata.import', entityType: 'indicator', entityId: codes[0] ?? '', summary: `${report.indicatorsChanged} indicators updated from ${opts.filename ?? opts.format}` });
        progress('done', rows.length, rows.length);
        return report;
      }
      const batchId = await createBatch(tx, actor, opts, report, touched);
      report.batchId = batchId;
      if (report.updated > 0) {
        await rawQuery(
          tx,
          `INSERT INTO ind_observation_history (indicator_id, area_id, period, breakdown, value, status, note, batch_id, replaced_by)
           SELECT o.indicator_id, o.area_id, o.period, o.breakdown, o.value, o.status, o.note, o.batch_id, $1
           FROM ind_stage s JOIN ind_observations o
             ON o.indicator_id = s.indicator_id AND o.area_id = s.area_id AND o.period = s.period AND o.breakdown = s.breakdown
           WHERE s.value IS DISTINCT FROM o.value OR s.status <> o.status OR s.note <> o.note`,
          [batchId],
        );
      }
      // Rows in key order fill the primary-key B-tree page by page instead of at random.
      if (report.updated + report.unchanged === 0) {
        await rawQuery(
          tx,
          `INSERT INTO ind_observations (indicator_id, area_id, period, breakdown, value, status, note, batch_id)
           SELECT indicator_id, area_id, period, breakdown, value, status, note, $1 FROM ind_stage ORDER BY indicator_id, area_id, period, breakdown`,
          [batchId],
        );
      } else {
        await rawQuery(
          tx,
          `INSERT INTO ind_observations (indicator_id, area_id, period, breakdown, value, status, note, batch_id)
           SELECT indicator_id, area_id, period, breakdown, value, status, note, $1 FROM ind_stage ORDER BY indicator_id, area_id, period, breakdown
           ON CONFLICT (indicator_id, area_id, period, breakdown) DO UPDATE
             SET value = excluded.value, status = excluded.status, note = excluded.note, batch_id = excluded.batch_id
             WHERE ind_observations.value IS DISTINCT FROM excluded.value OR ind_observations.status <> excluded.status OR ind_observations.note <> excluded.note`,
          [batchId],
        );
      }
      await applyHeadlines(tx, indId, chooseHeadlines(eachRow(cols)));
      await refreshSummaries(tx, 'stage');
      await finishBatch(tx, actor, opts, report, touched);
      progress('done', rows.length, rows.length);
      return report;
    });
  } catch (err) {
    if (err instanceof Rollback) return err.report;
    throw err;
  }
}

/**
 * Stores the labels a file gives its breakdown dimensions and categories. Like other metadata,
 * the indicator's owner or a platform admin may change a label; anyone else's import only fills
 * labels that are missing. Returns how many labels changed (0 for a repeated import).
 */
async function storeLabels(tx: Executor, actor: Actor, labels: CategoryLabel[], indId: Map<string, string>): Promise<number> {
  if (!labels.length) return 0;
  const byKey = new Map<string, { indicator_id: string; dimension: string; code: string; label: string; lang: string }>();
  for (const l of labels) {
    const id = indId.get(l.indicator);
    if (id) byKey.set(`${id}\u0000${l.dimension}\u0000${l.code}`, { indicator_id: id, dimension: l.dimension, code: l.code, label: l.label, lang: l.lang });
  }
  const all = [...byKey.values()];
  if (!all.length) return 0;
  const ids = [...new Set(all.map((l) => l.indicator_id))];
  const own = new Set(
    actor.isPlatformAdmin ? ids : (await rawQuery<{ id: string }>(tx, 'SELECT id FROM ind_indicators WHERE id = ANY($1::uuid[]) AND owner_user_id = $2', [ids, actor.userId])).map((r) => r.id),
  );
  let changed = 0;
  for (let i = 0; i < all.length; i += 2000) {
    const chunk = all.slice(i, i + 2000);
    for (const [mine, part] of [[true, chunk.filter((l) => own.has(l.indicator_id))], [false, chunk.filter((l) => !own.has(l.indicator_id))]] as const) {
      if (!part.length) continue;
      const res = await rawQuery(
        tx,
        `INSERT INTO ind_labels (indicator_id, dimension, code, label, lang)
         SELECT indicator_id, dimension, code, label, lang FROM jsonb_to_recordset($1::jsonb) AS x(indicator_id uuid, dimension text, code text, label text, lang text)
         ON CONFLICT (indicator_id, dimension, code) DO ${
           mine
             ? `UPDATE SET label = excluded.label, lang = excluded.lang
                WHERE ind_labels.label IS DISTINCT FROM excluded.label OR ind_labels.lang IS DISTINCT FROM excluded.lang`
             : 'NOTHING'
         }
         RETURNING 1`,
        [JSON.stringify(part)],
      );
      changed += res.length;
    }
  }
  return changed;
}

/**
 * Areas whose figures the actor may not write, with the name of the organisation that governs
 * each: observations for an area are written by the admins and editors of the organisation bound
 * to it (or of a body above it), or by platform admins. An area no organisation governs is
 * reference territory (countries, unclaimed regions): platform admins only, named by ''.
 */
async function areasNotWritable(db: Database, actor: Actor, areaRows: { id: string; key: string }[]): Promise<Map<string, string>> {
  const denied = new Map<string, string>();
  if (!areaRows.length) return denied;
  const bound = await db.query<{ area_id: string; id: string; name: string }>(
    'SELECT area_id, id, name FROM organisations WHERE area_id = ANY($1::uuid[]) AND ended_on IS NULL',
    [areaRows.map((a) => a.id)],
  );
  // Loaded lazily, as in importAreas: the directory owns organisations and who manages them.
  const { directory } = await import('../directory/index.js');
  const may = new Map<string, boolean>();
  for (const b of bound) if (!may.has(b.id)) may.set(b.id, await directory.mayWriteAreaFigures(db.orm, actor, b.id));
  for (const a of areaRows) {
    const orgs = bound.filter((b) => b.area_id === a.id);
    if (!orgs.some((o) => may.get(o.id))) denied.set(a.key, orgs.map((o) => o.name).join(', '));
  }
  return denied;
}

async function createBatch(tx: Executor, actor: Actor, opts: ImportOptions, report: ImportReport, touched: string[]): Promise<number> {
  const [batch] = await rawQuery<{ id: string }>(
    tx,
    `INSERT INTO ind_import_batches (actor_user_id, actor_label, format, source, filename, rows_total, rows_inserted, rows_updated, rows_unchanged, indicator_ids)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::uuid[]) RETURNING id`,
    [actor.userId, actor.label, opts.format, opts.source ?? '', opts.filename ?? '', report.rowsTotal, report.inserted, report.updated, report.unchanged, touched],
  );
  return Number(batch!.id);
}

async function finishBatch(tx: Executor, actor: Actor, opts: ImportOptions, report: ImportReport, touched: string[]) {
  await rawQuery(
    tx,
    `UPDATE ind_indicators i SET data_version = data_version + 1,
       area_count = (SELECT count(*) FROM ind_area_summary s WHERE s.indicator_id = i.id)
     WHERE i.id = ANY($1::uuid[])`,
    [touched],
  );
  await recordAudit(tx, actor, {
    action: 'indicators.import',
    entityType: 'import_batch',
    entityId: String(report.batchId),
    summary: `${opts.format} ${opts.filename ?? ''}: ${report.inserted} new, ${report.updated} changed, ${report.unchanged} unchanged`.trim(),
  });
}

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * COPY of CSV lines into a table, inside the caller's transaction: from a blob on
 * PGlite, streamed through COPY … FROM STDIN (pg-copy-streams) on node-postgres.
 * `line(i)` renders row i. On PostgreSQL the lines are rendered piece by piece
 * while the server is still ingesting the previous piece, so Node's work and the
 * server's overlap on separate cores.
 */
async function copyCsv(db: Database, tx: Executor, target: string, count: number, line: (i: number) => string): Promise<void> {
  const client = rawClient(tx);
  if (db.kind === 'pglite') {
    const lines: string[] = new Array(count);
    for (let i = 0; i < count; i++) lines[i] = line(i);
    await client.query(`COPY ${target} FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([lines.join('\n') + '\n']) });
    return;
  }
  const stream = (client as unknown as { query(s: CopyStreamQuery): CopyStreamQuery }).query(copyFrom(`COPY ${target} FROM STDIN WITH (FORMAT csv)`));
  // Pieces of about 64 kB: small enough to keep both sides busy, large enough to keep the framing cheap.
  function* pieces() {
    let text = '';
    for (let j = 0; j < count; j++) {
      text += line(j) + '\n';
      if (text.length >= 65_536) {
        yield text;
        text = '';
      }
    }
    if (text) yield text;
  }
  await pipeline(Readable.from(pieces()), stream);
}

/** Bulk load into the staging table or straight into ind_observations, by COPY on both engines. */
async function loadRows(db: Database, tx: Executor, table: 'ind_stage' | 'ind_observations', rows: PackedResult, indId: Map<string, string>, areaId: Map<string, string>, batchId: number | null, tick: (n: number) => void) {
  const cols = `indicator_id, area_id, period, breakdown, value, status, note${batchId === null ? '' : ', batch_id'}`;
  const tail = batchId === null ? '' : `,${batchId}`;
  // PGlite takes one blob per COPY; on PostgreSQL the stream makes the size of a COPY free, and
  // a few of them give the progress bar something to show.
  const CHUNK = db.kind === 'pglite' ? 1_000_000 : 100_000;
  const pieceBytes = db.kind === 'pglite' ? BLOB_PIECE_BYTES : STREAM_PIECE_BYTES;
  for (let i = 0; i < rows.n; i += CHUNK) {
    const n = Math.min(CHUNK, rows.n - i);
    await copyFromPieces(db, tx, `${table} (${cols})`, 'FORMAT csv', copyPieces(rows, { indicator: indId, area: areaId }, tail, i, i + n, pieceBytes));
    tick(i + n);
  }
}

type SummaryRow = FileSummary & { indicatorId: string; areaId: string };

/**
 * Gives indicators without total values a headline series chosen from the file (chooseHeadlines);
 * an indicator whose headline is already set, or that has total values, keeps its headline.
 * Returns the stored headline of each indicator in the file.
 */
async function applyHeadlines(tx: Executor, indId: Map<string, string>, headlines: Map<string, string>): Promise<Map<string, string>> {
  for (const [code, bd] of headlines) {
    if (bd === '') continue;
    await rawQuery(
      tx,
      `UPDATE ind_indicators i SET headline_breakdown = $2, updated_at = now()
       WHERE i.id = $1 AND i.headline_breakdown = ''
         AND NOT EXISTS (SELECT 1 FROM ind_observations o WHERE o.indicator_id = i.id AND o.breakdown = '' AND o.value IS NOT NULL)`,
      [indId.get(code), bd],
    );
  }
  const ids = [...headlines.keys()].map((c) => indId.get(c)!);
  const rows = await rawQuery<{ id: string; headline_breakdown: string }>(tx, 'SELECT id, headline_breakdown FROM ind_indicators WHERE id = ANY($1::uuid[])', [ids]);
  return new Map(rows.map((r) => [r.id, r.headline_breakdown]));
}

/** Summaries of the headline series per indicator × area, from the file's own summaries or its rows. */
export function summariseRows(rows: ObsRow[], indId: Map<string, string>, areaId: Map<string, string>, precomputed?: FileSummary[]): SummaryRow[] {
  return (precomputed ?? summariseFile(rows)).map((s) => ({ ...s, indicatorId: indId.get(s.indicator)!, areaId: areaId.get(s.area)! }));
}

async function writeSummaries(db: Database, tx: Executor, rows: SummaryRow[]) {
  if (!rows.length) return;
  const ids = [...new Set(rows.map((r) => r.indicatorId))];
  await rawQuery(tx, 'DELETE FROM ind_area_summary WHERE indicator_id = ANY($1::uuid[])', [ids]);
  await copyCsv(db, tx, 'ind_area_summary (indicator_id, area_id, first_period, first_value, latest_period, latest_value, latest_status, n_periods, series)', rows.length, (i) => {
    const r = rows[i]!;
    return `${r.indicatorId},${r.areaId},${r.fp},${r.fv},${r.lp},${r.lv},${q(r.ls)},${r.n},${q(r.seriesJson)}`;
  });
}

/**
 * Recomputes the per indicator × area summaries the pages read. With 'stage',
 * only the pairs in the current import; with 'all', everything.
 */
export async function refreshSummaries(tx: Executor, scope: 'stage' | 'all' | { indicatorIds: string[] }) {
  const pairs = '(SELECT DISTINCT indicator_id, area_id FROM ind_stage)';
  const params: unknown[] = [];
  let filter = '';
  if (scope === 'stage') {
    await rawQuery(tx, `DELETE FROM ind_area_summary s USING ${pairs} t WHERE s.indicator_id = t.indicator_id AND s.area_id = t.area_id`);
    filter = `JOIN ${pairs} t ON t.indicator_id = o.indicator_id AND t.area_id = o.area_id`;
  } else if (scope === 'all') {
    await rawQuery(tx, 'DELETE FROM ind_area_summary');
  } else {
    params.push(scope.indicatorIds);
    await rawQuery(tx, 'DELETE FROM ind_area_summary WHERE indicator_id = ANY($1::uuid[])', params);
  }
  // One grouped pass for periods, counts and the series; first and latest values by primary-key lookups.
  await rawQuery(
    tx,
    `WITH agg AS (
       SELECT o.indicator_id, o.area_id,
         min(o.period) FILTER (WHERE o.value IS NOT NULL) AS fp,
         max(o.period) FILTER (WHERE o.value IS NOT NULL) AS lp,
         count(o.value)::int AS n,
         json_agg(json_build_array(o.period, o.value) ORDER BY o.period) AS series
       FROM ind_observations o ${filter}
       JOIN ind_indicators i ON i.id = o.indicator_id AND o.breakdown = i.headline_breakdown
       ${params.length ? 'WHERE o.indicator_id = ANY($1::uuid[])' : ''}
       GROUP BY o.indicator_id, o.area_id
       HAVING count(o.value) > 0)
     INSERT INTO ind_area_summary (indicator_id, area_id, first_period, first_value, latest_period, latest_value, latest_status, n_periods, series)
     SELECT a.indicator_id, a.area_id, a.fp, f.value, a.lp, l.value, l.status, a.n, a.series
     FROM agg a
     JOIN ind_indicators i ON i.id = a.indicator_id
     JOIN ind_observations f ON f.indicator_id = a.indicator_id AND f.area_id = a.area_id AND f.period = a.fp AND f.breakdown = i.headline_breakdown
     JOIN ind_observations l ON l.indicator_id = a.indicator_id AND l.area_id = a.area_id AND l.period = a.lp AND l.breakdown = i.headline_breakdown`,
    params,
  );
}

// Uploads (the web import flow) ----------------------------------------------------------

export async function createUpload(db: Database, actor: Actor, input: { filename: string; format: 'opensdg' | 'long' | 'jsonstat' | 'kolada'; content: Buffer; mapping: Record<string, unknown> }): Promise<string> {
  return db.orm.transaction(async (tx) => {
    const [row] = await rawQuery<{ id: string }>(
      tx,
      `INSERT INTO ind_uploads (user_id, filename, format, content, mapping) VALUES ($1, $2, $3, decode($4, 'base64'), $5::jsonb) RETURNING id`,
      [actor.userId, input.filename.slice(0, 200), input.format, input.content.toString('base64'), JSON.stringify(input.mapping)],
    );
    await recordAudit(tx, actor, { action: 'indicators.upload', entityType: 'upload', entityId: row!.id, summary: input.filename });
    return row!.id;
  });
}

export async function updateUpload(db: Database, id: string, set: { mapping?: Record<string, unknown>; status?: string; report?: unknown; batchId?: number | null }) {
  await db.query(
    `UPDATE ind_uploads SET mapping = COALESCE($2::jsonb, mapping), status = COALESCE($3, status), report = COALESCE($4::jsonb, report),
       batch_id = COALESCE($5, batch_id), updated_at = now() WHERE id = $1`,
    [id, set.mapping ? JSON.stringify(set.mapping) : null, set.status ?? null, set.report === undefined ? null : JSON.stringify(set.report), set.batchId ?? null],
  );
}

export async function saveMapping(db: Database, actor: Actor, input: { name: string; format: string; mapping: Record<string, unknown> }) {
  return db.orm.transaction(async (tx) => {
    const [row] = await rawQuery<{ id: string }>(
      tx,
      `INSERT INTO ind_mappings (name, format, mapping, created_by) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (format, name) DO UPDATE SET mapping = excluded.mapping RETURNING id`,
      [input.name, input.format, JSON.stringify(input.mapping), actor.userId],
    );
    await recordAudit(tx, actor, { action: 'indicators.mapping.save', entityType: 'mapping', entityId: row!.id, summary: input.name });
    return row!.id;
  });
}

const MappingName = z.string().trim().min(1).max(200);

async function mappingForChange(tx: Executor, actor: Actor, id: string) {
  const [m] = isUuid(id) ? await rawQuery<{ id: string; name: string; format: string; created_by: string | null }>(tx, 'SELECT id, name, format, created_by FROM ind_mappings WHERE id = $1', [id]) : [];
  if (!m) throw new NotFoundError('mapping', id);
  assertCanChangeMapping(actor, m);
  return m;
}

/** Renames a saved mapping; another mapping of the same format with that name is a conflict. */
export async function renameMapping(db: Database, actor: Actor, id: string, name: string): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const m = await mappingForChange(tx, actor, id);
    const parsed = MappingName.safeParse(name);
    if (!parsed.success) throw new ValidationError([{ field: 'name', message: parsed.error.issues[0]!.message }]);
    if (m.name === parsed.data) return;
    const [clash] = await rawQuery<{ id: string }>(tx, 'SELECT id FROM ind_mappings WHERE format = $1 AND name = $2 AND id <> $3', [m.format, parsed.data, m.id]);
    if (clash) throw new ConflictError(`Another ${m.format} mapping is called “${parsed.data}”.`, 'mapping_name_taken', 'name');
    await rawQuery(tx, 'UPDATE ind_mappings SET name = $2 WHERE id = $1', [m.id, parsed.data]);
    await recordAudit(tx, actor, { action: 'indicators.mapping.rename', entityType: 'mapping', entityId: m.id, changes: { name: { from: m.name, to: parsed.data } } });
  });
}

export async function deleteMapping(db: Database, actor: Actor, id: string): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const m = await mappingForChange(tx, actor, id);
    await rawQuery(tx, 'DELETE FROM ind_mappings WHERE id = $1', [m.id]);
    await recordAudit(tx, actor, { action: 'indicators.mapping.delete', entityType: 'mapping', entityId: m.id, summary: `${m.format}: ${m.name}` });
  });
}
