/**
 * Writes of frameworks, indicators, areas, groups and boundaries. Every write runs in one
 * transaction with its audit row. Observations are written by observations.ts.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../platform/db/index.js';
import { recordAudit, type Actor } from '../../platform/audit.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import type { AreaInput, IndicatorMeta } from '../indicator-model/index.js';
import { areaGroupMembers, areaGroups, frameworkNodes, frameworks, indicatorLinks, indicators } from './schema.js';
import { indexIndicatorDocs } from './search.js';
import { SDG_GOALS, sdgSortKey, sdgTargets } from './sdg.js';
// The engine client lives in platform/db, the only place that knows the engines; re-exported for this module's files.
export { rawClient, rawQuery } from '../../platform/db/index.js';
import { rawQuery } from '../../platform/db/index.js';

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
