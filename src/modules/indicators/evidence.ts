import type { Executor } from '../../platform/db/index.js';
import { rawQuery } from './service.js';

/*
 * A small read for other modules (knowledge's good practices): how an indicator moved in
 * one area from a start year to its latest value, next to the median change of a
 * comparison group over the same years. Annual periods (YYYY), the indicator's headline series only.
 */

export type Evidence = {
  indicator: { code: string; name: string; unit: string; decimals: number; direction: 'higher' | 'lower' | 'neutral'; lang: string };
  /** Null when the area has no value at or after the start year. */
  area: { fromPeriod: string; fromValue: number; toPeriod: string; toValue: number; change: number } | null;
  comparison: { label: string; areas: number; medianChange: number | null };
};

const median = (xs: number[]): number | null => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * `group`: an area group's key (ind_area_groups), or null for every municipality of the
 * area's country. The area itself is left out of its comparison group.
 */
export async function indicatorEvidence(db: Executor, q: { indicatorCode: string; areaId: string; fromYear: number; group: string | null }): Promise<Evidence | null> {
  const [ind] = await rawQuery<{ id: string; code: string; name: string; unit: string; decimals: number; direction: Evidence['indicator']['direction']; lang: string }>(
    db,
    'SELECT id, code, name, unit, decimals, direction, lang FROM ind_indicators WHERE code = $1',
    [q.indicatorCode],
  );
  if (!ind) return null;
  const indicator = { code: ind.code, name: ind.name, unit: ind.unit, decimals: ind.decimals, direction: ind.direction, lang: ind.lang };
  const own = await rawQuery<{ period: string; value: number }>(
    db,
    `SELECT period, value FROM ind_observations WHERE indicator_id = $1 AND area_id = $2 AND breakdown = (SELECT headline_breakdown FROM ind_indicators WHERE id = $1) AND value IS NOT NULL AND period ~ '^[0-9]{4}$' AND period::int >= $3 ORDER BY period`,
    [ind.id, q.areaId, q.fromYear],
  );
  let label = '';
  let members: string[] = [];
  if (q.group) {
    const [g] = await rawQuery<{ name: string; ids: string[] }>(
      db,
      `SELECT g.name, COALESCE(array_agg(m.area_id) FILTER (WHERE m.area_id IS NOT NULL), '{}') AS ids FROM ind_area_groups g LEFT JOIN ind_area_group_members m ON m.group_id = g.id WHERE g.key = $1 GROUP BY g.id`,
      [q.group],
    );
    label = g?.name ?? q.group;
    members = g?.ids ?? [];
  } else {
    const [a] = await rawQuery<{ country: string }>(db, 'SELECT country FROM areas WHERE id = $1', [q.areaId]);
    members = (await rawQuery<{ id: string }>(db, `SELECT id FROM areas WHERE country = $1 AND level = 'municipality'`, [a?.country ?? ''])).map((r) => r.id);
    label = a?.country ?? '';
  }
  members = members.filter((m) => m !== q.areaId);
  if (own.length < 2) return { indicator, area: null, comparison: { label, areas: 0, medianChange: null } };
  const from = own[0]!;
  const to = own[own.length - 1]!;
  const rows = members.length
    ? await rawQuery<{ area_id: string; period: string; value: number }>(
        db,
        `SELECT area_id, period, value FROM ind_observations WHERE indicator_id = $1 AND breakdown = (SELECT headline_breakdown FROM ind_indicators WHERE id = $1) AND value IS NOT NULL AND period = ANY($2::text[]) AND area_id = ANY($3::uuid[])`,
        [ind.id, [from.period, to.period], members],
      )
    : [];
  const byArea = new Map<string, { a?: number; b?: number }>();
  for (const r of rows) {
    const e = byArea.get(r.area_id) ?? {};
    if (r.period === from.period) e.a = Number(r.value);
    else e.b = Number(r.value);
    byArea.set(r.area_id, e);
  }
  const changes = [...byArea.values()].filter((e) => e.a !== undefined && e.b !== undefined).map((e) => e.b! - e.a!);
  return {
    indicator,
    area: { fromPeriod: from.period, fromValue: Number(from.value), toPeriod: to.period, toValue: Number(to.value), change: Number(to.value) - Number(from.value) },
    comparison: { label, areas: changes.length, medianChange: median(changes) },
  };
}
