/**
 * Choosing indicators from any framework, narrowed by the SDG goal or target and by the KS/SSB
 * taxonomy's dimensions (see importers/taxonomy-dimensions.ts). Other modules (plans: a priority's
 * indicators) show these as a filter form and a list of check boxes.
 */
import type { Locale } from '../../web/i18n/index.js';
import type { Executor } from '../../platform/db/index.js';
import { TAXONOMY_DIMENSIONS } from '../indicator-model/index.js';
import { pickName } from './queries.js';
import { rawQuery } from './service.js';

export type IndicatorFacets = {
  frameworks: { key: string; name: string; count: number }[];
  dimensions: { code: string; name: string; values: { code: string; name: string; count: number }[] }[];
};

/** What the filters can offer: the frameworks that have indicators, and each dimension's values with their counts. */
export async function indicatorFacets(db: Executor, locale: Locale): Promise<IndicatorFacets> {
  const fws = await rawQuery<{ key: string; names: Record<string, string>; count: number }>(
    db,
    `SELECT f.key, f.names, count(i.id)::int AS count FROM ind_frameworks f JOIN ind_indicators i ON i.framework_id = f.id GROUP BY f.key, f.names ORDER BY f.key`,
  );
  // Dimension values are category nodes under a dimension node; the same code in several frameworks is one value.
  const vals = await rawQuery<{ dim: string; dim_names: Record<string, string>; code: string; names: Record<string, string>; count: number }>(
    db,
    `SELECT p.code AS dim, min(p.names::text)::jsonb AS dim_names, n.code, min(n.names::text)::jsonb AS names, count(DISTINCT l.indicator_id)::int AS count
       FROM ind_framework_nodes n JOIN ind_framework_nodes p ON p.id = n.parent_id JOIN ind_indicator_links l ON l.node_id = n.id
      WHERE n.level = 'category' AND p.code = ANY($1::text[])
      GROUP BY p.code, n.code ORDER BY p.code, n.code`,
    [[...TAXONOMY_DIMENSIONS]],
  );
  const dims = new Map<string, IndicatorFacets['dimensions'][number]>();
  for (const v of vals) {
    if (!dims.has(v.dim)) dims.set(v.dim, { code: v.dim, name: pickName(v.dim_names, locale), values: [] });
    dims.get(v.dim)!.values.push({ code: v.code, name: pickName(v.names, locale), count: v.count });
  }
  for (const d of dims.values()) d.values.sort((a, b) => a.name.localeCompare(b.name, locale));
  return {
    frameworks: fws.map((f) => ({ key: f.key, name: pickName(f.names, locale), count: f.count })),
    dimensions: TAXONOMY_DIMENSIONS.flatMap((c) => (dims.has(c) ? [dims.get(c)!] : [])),
  };
}

export type IndicatorFilter = { framework?: string; goal?: string; target?: string; dimensions?: string[]; q?: string };
export type ChoosableIndicator = { code: string; name: string; framework: string | null; hasData: boolean };

/**
 * Indicators matching every filter given (dimension values: all must hold), at most `limit`, with
 * the total that matched. With no filter at all, only indicators that have data are listed, as
 * a catalogue of thousands is no list to tick boxes in.
 */
export async function chooseIndicators(db: Executor, filter: IndicatorFilter, limit = 200): Promise<{ items: ChoosableIndicator[]; total: number; filtered: boolean }> {
  const params: unknown[] = [];
  const where: string[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (filter.framework) where.push(`f.key = ${p(filter.framework)}`);
  const sdgLink = (cond: string) =>
    `EXISTS (SELECT 1 FROM ind_indicator_links l JOIN ind_framework_nodes n ON n.id = l.node_id JOIN ind_frameworks sf ON sf.id = n.framework_id AND sf.key = 'sdg'
       LEFT JOIN ind_framework_nodes g ON g.id = n.parent_id WHERE l.indicator_id = i.id AND ${cond})`;
  if (filter.goal) where.push(sdgLink(`COALESCE(g.code, n.code) = ${p(filter.goal)}`));
  if (filter.target) where.push(sdgLink(`n.code = ${p(filter.target)}`));
  for (const d of filter.dimensions ?? []) {
    where.push(`EXISTS (SELECT 1 FROM ind_indicator_links l JOIN ind_framework_nodes n ON n.id = l.node_id WHERE l.indicator_id = i.id AND n.level = 'category' AND n.code = ${p(d)})`);
  }
  if (filter.q) where.push(`(i.name ILIKE ${p(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)} OR i.code ILIKE $${params.length})`);
  const filtered = where.length > 0;
  if (!filtered) where.push('i.area_count > 0');
  const cond = `WHERE ${where.join(' AND ')}`;
  const [{ total } = { total: 0 }] = await rawQuery<{ total: number }>(db, `SELECT count(*)::int AS total FROM ind_indicators i LEFT JOIN ind_frameworks f ON f.id = i.framework_id ${cond}`, params);
  const rows = await rawQuery<{ code: string; name: string; framework: string | null; area_count: number }>(
    db,
    `SELECT i.code, i.name, f.key AS framework, i.area_count FROM ind_indicators i LEFT JOIN ind_frameworks f ON f.id = i.framework_id ${cond} ORDER BY i.name, i.code LIMIT ${p(limit)}`,
    params,
  );
  return { items: rows.map((r) => ({ code: r.code, name: r.name, framework: r.framework, hasData: r.area_count > 0 })), total, filtered };
}

/** Names (and frameworks) of the given indicators, for keeping chosen ones on the list whatever the filter. */
export async function indicatorsByCodes(db: Executor, codes: string[]): Promise<ChoosableIndicator[]> {
  if (!codes.length) return [];
  const rows = await rawQuery<{ code: string; name: string; framework: string | null; area_count: number }>(
    db,
    `SELECT i.code, i.name, f.key AS framework, i.area_count FROM ind_indicators i LEFT JOIN ind_frameworks f ON f.id = i.framework_id WHERE i.code = ANY($1::text[])`,
    [codes],
  );
  const by = new Map(rows.map((r) => [r.code, { code: r.code, name: r.name, framework: r.framework, hasData: r.area_count > 0 }]));
  return codes.flatMap((c) => (by.has(c) ? [by.get(c)!] : []));
}
