import { breakdownKey, checkDuplicates, areaKeyFromCode, type CategoryLabel, type IndicatorMeta, type ObsRow, type ParseResult, type RowError, type AreaInput } from '../../indicator-model/index.js';
import { parse as parseCsv } from 'csv-parse/sync';
import { FileFormatError, parseJson } from './table.js';
import { checkLineCount } from './limits.js';

/**
 * Kolada API v3: every response is `{count, values: [...], next_page?, previous_page?}`.
 * Data rows are `{kpi, municipality, period, values: [{gender, count, status, value}]}`;
 * gender T is the total, K and M are women and men.
 */
export type KoladaPage<T> = { count?: number; values: T[]; next_page?: string | null; previous_page?: string | null };
export type KoladaDataRow = {
  kpi: string;
  municipality: string;
  period: number | string;
  values: { gender?: string; count?: number; status?: string | null; value: number | null; isdeleted?: boolean }[];
};
export type KoladaKpi = { id: string; title: string; description?: string; is_divided_by_gender?: boolean | number; municipality_type?: string; operating_area?: string; publ_period?: string | number };
export type KoladaMunicipality = { id: string; title: string; type: string };
export type KoladaGroup = { id: string; title: string; members?: ({ id: string; title?: string } | string)[] };

function page<T>(input: unknown, what: string): T[] {
  const o = input as KoladaPage<T>;
  if (!o || typeof o !== 'object' || !Array.isArray(o.values)) throw new FileFormatError(`The file is not a Kolada API v3 ${what} response (it needs a "values" list).`);
  return o.values;
}

/**
 * A Kolada file as the API's page shape. The API answers JSON; rKolada (the R client, and the
 * snapshots people keep of Kolada's catalogues) writes the same lists as flat CSV, one row per
 * value or group member, which is regrouped here so one importer reads both.
 */
export function readKoladaFile(buf: Buffer, what: 'data' | 'kpi' | 'municipality' | 'group'): KoladaPage<unknown> {
  const text = buf.toString('utf8').replace(/^\uFEFF/, '');
  if (/^\s*[[{]/.test(text)) return parseJson(buf) as KoladaPage<unknown>;
  checkLineCount(text);
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  } catch (err) {
    throw new FileFormatError(`The file is neither Kolada API JSON nor valid CSV: ${(err as Error).message}`);
  }
  const need = { data: ['kpi', 'municipality_id', 'year', 'value'], kpi: ['id', 'title'], municipality: ['id', 'title', 'type'], group: ['group_id', 'group_title', 'member_id'] }[what];
  const missing = need.filter((c) => !rows[0] || !(c in rows[0]));
  if (missing.length) throw new FileFormatError(`A Kolada CSV snapshot of this kind needs the columns ${need.join(', ')} (missing: ${missing.join(', ')}).`);
  if (what === 'kpi') {
    return { values: rows.map((r) => ({ id: r.id!, title: r.title!, description: r.description ?? '', is_divided_by_gender: r.is_divided_by_gender === 'True' || r.is_divided_by_gender === '1', operating_area: r.operating_area ?? '' })) };
  }
  if (what === 'municipality') return { values: rows.map((r) => ({ id: r.id!, title: r.title!, type: r.type! })) };
  if (what === 'group') {
    const byId = new Map<string, KoladaGroup & { members: { id: string }[] }>();
    for (const r of rows) {
      if (!byId.has(r.group_id!)) byId.set(r.group_id!, { id: r.group_id!, title: r.group_title!, members: [] });
      if (r.member_id) byId.get(r.group_id!)!.members.push({ id: r.member_id });
    }
    return { values: [...byId.values()] };
  }
  const byKey = new Map<string, KoladaDataRow>();
  for (const r of rows) {
    const k = `${r.kpi}|${r.municipality_id}|${r.year}`;
    if (!byKey.has(k)) byKey.set(k, { kpi: r.kpi!, municipality: r.municipality_id!, period: r.year!, values: [] });
    // An unparseable value stays a string, so the validator names its row instead of it turning into NaN here.
    const v = r.value === '' || r.value === undefined ? null : Number.isFinite(Number(r.value)) ? Number(r.value) : (r.value as unknown as number);
    byKey.get(k)!.values.push({ gender: r.gender || 'T', status: r.status ?? '', value: v });
  }
  return { values: [...byKey.values()] };
}

export const koladaAreaKey = (id: string) => areaKeyFromCode(id, 'SE');

export function parseKoladaData(input: unknown): ParseResult {
  const entries = page<KoladaDataRow>(input, 'data');
  const rows: ObsRow[] = [];
  const errors: RowError[] = [];
  entries.forEach((e, i) => {
    const line = i + 1;
    if (!e || typeof e !== 'object') {
      errors.push({ line, field: 'entry', message: 'the entry is not an object' });
      return;
    }
    const area = typeof e.municipality === 'string' ? koladaAreaKey(e.municipality) : null;
    // Only strings and numbers become text: an object here (even one whose toString is broken) is reported, never thrown on.
    const period = typeof e.period === 'number' || typeof e.period === 'string' ? String(e.period) : '';
    const errs: RowError[] = [];
    if (typeof e.kpi !== 'string' || !/^[A-Z]\d{5}$/.test(e.kpi)) errs.push({ line, field: 'kpi', message: `${JSON.stringify(e.kpi)} is not a Kolada KPI id` });
    if (!area) errs.push({ line, field: 'municipality', message: `${JSON.stringify(e.municipality)} is not a Kolada municipality or region id` });
    if (!/^\d{4}$/.test(period) || period < '1000') errs.push({ line, field: 'period', message: `${JSON.stringify(e.period)} is not a year` });
    if (!Array.isArray(e.values)) errs.push({ line, field: 'values', message: 'the entry has no "values" list' });
    if (errs.length) {
      errors.push(...errs);
      return;
    }
    for (const v of e.values) {
      if (!v || typeof v !== 'object') {
        errors.push({ line, field: 'values', message: 'a value entry is not an object' });
        continue;
      }
      if (v.isdeleted) continue;
      const g = typeof v.gender === 'string' ? v.gender.toUpperCase() : v.gender == null ? 'T' : typeof v.gender === 'number' ? String(v.gender) : '';
      if (!['T', 'K', 'M'].includes(g)) {
        errors.push({ line, field: 'gender', message: `${JSON.stringify(v.gender)} is not T, K or M` });
        continue;
      }
      if (v.value !== null && (typeof v.value !== 'number' || !Number.isFinite(v.value))) {
        errors.push({ line, field: 'value', message: `${JSON.stringify(v.value)} is not a number` });
        continue;
      }
      const status = v.value === null ? 'missing' : '';
      rows.push({ line, indicator: e.kpi, area: area!, period, breakdown: g === 'T' ? '' : breakdownKey({ gender: g }), value: v.value, status, note: typeof v.status === 'string' || typeof v.status === 'number' ? String(v.status) : '' });
    }
  });
  const checked = checkDuplicates(rows, errors);
  // Kolada's gender codes are Swedish initials; their labels, in Swedish, go with every KPI that has them.
  const labels: CategoryLabel[] = [];
  const divided = new Set(checked.filter((r) => r.breakdown !== '').map((r) => r.indicator));
  for (const kpi of [...divided].sort()) {
    for (const [code, label] of [['', 'Kön'], ['K', 'Kvinnor'], ['M', 'Män']] as const) labels.push({ indicator: kpi, dimension: 'gender', code, label, lang: 'sv' });
  }
  return { rows: checked, errors, indicators: [], ...(labels.length ? { labels } : {}) };
}

export function koladaKpisToMeta(input: unknown): IndicatorMeta[] {
  return page<KoladaKpi>(input, 'KPI catalogue').map((k) => {
    if (typeof k.id !== 'string' || typeof k.title !== 'string') throw new FileFormatError(`KPI entry ${JSON.stringify(k).slice(0, 80)} has no id or title.`);
    return {
      code: k.id,
      name: k.title,
      description: k.description ?? '',
      lang: 'sv',
      source: 'Kolada',
      attribution: 'Källa: Kolada',
      periodicity: 'annual',
      dimensions: k.is_divided_by_gender === true || k.is_divided_by_gender === 1 ? ['gender'] : [],
    };
  });
}

/** An area as lists give it: any ISO country, districts below municipalities, optional validity. */
export type { AreaInput } from '../../indicator-model/index.js';

export function koladaMunicipalitiesToAreas(input: unknown): AreaInput[] {
  return page<KoladaMunicipality>(input, 'municipality catalogue').flatMap((m) => {
    const key = koladaAreaKey(m.id);
    if (!key) return [];
    const level = key === 'se' ? 'country' : key.length === 5 ? 'region' : 'municipality';
    const code = key === 'se' ? '' : key.slice(3);
    // Kolada calls the country "Riket" (the realm); the area list and the directory call it Sverige.
    return [{ key, country: 'SE' as const, level, code, name: level === 'country' ? 'Sverige' : m.title, ...(level === 'municipality' ? { parentKey: `se-${code.slice(0, 2)}` } : level === 'region' ? { parentKey: 'se' } : {}) }];
  });
}

export function koladaGroups(input: unknown): { id: string; title: string; memberKeys: string[] }[] {
  return page<KoladaGroup>(input, 'municipality group catalogue').map((g) => ({
    id: g.id,
    title: g.title,
    memberKeys: (g.members ?? []).map((m) => koladaAreaKey(typeof m === 'string' ? m : m.id)).filter((k): k is string => !!k),
  }));
}

/**
 * Kolada's KPI catalogue as a framework: its operating areas ("Miljö och energi") become
 * categories, each KPI an indicator in the category it belongs to.
 */
export function koladaCatalogueToTaxonomy(input: unknown) {
  const kpis = page<KoladaKpi>(input, 'KPI catalogue');
  const metas = koladaKpisToMeta(input);
  const slug = (s: string) => s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'other';
  const nodes = new Map<string, { code: string; level: 'category'; names: Record<string, string> }>();
  const indicators = metas.map((m, i) => {
    const areas = String(kpis[i]?.operating_area ?? '').split(',').map((a) => a.trim()).filter(Boolean);
    const codes = areas.map((a) => {
      const code = slug(a);
      nodes.set(code, { code, level: 'category', names: { sv: a } });
      return code;
    });
    return { ...m, nodeCodes: codes };
  });
  return { framework: { key: 'kolada', names: { sv: 'Kolada', en: 'Kolada (Swedish municipal KPIs)' }, source: 'Kolada', nodes: [...nodes.values()] }, indicators, errors: [] };
}
