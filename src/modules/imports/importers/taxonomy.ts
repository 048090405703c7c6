import { parse as parseCsv } from 'csv-parse/sync';
import type { IndicatorMeta, RowError } from '../../indicator-model/index.js';
import { FileFormatError } from './table.js';
import { taxonomyDimensionCodes } from '../../indicator-model/index.js';

/**
 * The KS/Digdir indicator taxonomy for Norwegian municipalities (CSV converted
 * from its RDF): U4SSC KPIs, "De norske målepunktene" and the UN SDG indicators.
 * Each row names its SDG goals and target (`isIndicatorOf`).
 */
export type TaxonomyKind = 'u4ssc' | 'ks' | 'un-sdg';
export type FrameworkNode = { code: string; level: 'goal' | 'target' | 'category'; parentCode?: string; names: Record<string, string> };
export type Taxonomy = {
  framework: { key: string; names: Record<string, string>; source: string; nodes: FrameworkNode[] };
  indicators: (IndicatorMeta & { nodeCodes: string[] })[];
  errors: RowError[];
};

const U4SSC_DIMS: Record<string, string> = { EC: 'Economy', EN: 'Environment', SC: 'Society and Culture' };

export function parseTaxonomy(text: string, kind: TaxonomyKind): Taxonomy {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, relax_column_count: true }) as Record<string, string>[];
  } catch (err) {
    throw new FileFormatError(`The taxonomy file is not valid CSV: ${(err as Error).message}`);
  }
  const need = ['id', 'title', 'isIndicatorOf'];
  const missing = need.filter((c) => rows[0] && !(c in rows[0]));
  if (!rows.length || missing.length) throw new FileFormatError(`The taxonomy file needs the columns ${need.join(', ')}${missing.length ? ` (missing: ${missing.join(', ')})` : ''}.`);
  const errors: RowError[] = [];
  const byCode = new Map<string, IndicatorMeta & { nodeCodes: string[] }>();
  const nodes = new Map<string, FrameworkNode>();
  rows.forEach((r, i) => {
    const line = i + 2;
    const title = (r.title ?? '').trim();
    const targets = (r.isIndicatorOf ?? '').split('|').map((s) => s.trim()).filter((s) => /^\d{1,2}\.[0-9a-z]{1,2}$/.test(s));
    let code: string;
    const nodeCodes: string[] = [];
    if (kind === 'u4ssc') {
      const notation = (r.notation ?? '').trim();
      const m = notation.match(/^(EC|EN|SC)\s*:/);
      if (!m) {
        errors.push({ line, field: 'notation', message: `"${notation}" is not a U4SSC code` });
        return;
      }
      code = `u4ssc-${notation.replace(/\s*:\s*/g, '-').replace(/[^A-Za-z0-9-]/g, '')}`;
      const dim = m[1]!;
      nodes.set(dim, { code: dim, level: 'category', names: { en: U4SSC_DIMS[dim]! } });
      // The sub-dimension is the second part of the code ("EC: ICT" → ICT under Economy).
      const sub = notation.split(':').map((s) => s.trim())[1];
      if (sub) {
        nodes.set(`${dim}-${sub}`, { code: `${dim}-${sub}`, level: 'category', parentCode: dim, names: { en: sub } });
        nodeCodes.push(`${dim}-${sub}`);
      } else nodeCodes.push(dim);
    } else {
      const id = (r.id ?? '').trim();
      if (!/^\d+$/.test(id)) {
        errors.push({ line, field: 'id', message: `"${id}" is not a taxonomy id` });
        return;
      }
      code = `${kind === 'ks' ? 'ks' : 'un'}-${id}`;
    }
    if (!title) {
      errors.push({ line, field: 'title', message: 'the title is empty' });
      return;
    }
    nodeCodes.push(...taxonomyDimensionCodes(r, nodes));
    const prev = byCode.get(code);
    if (prev) {
      // U4SSC lists a KPI once per target it serves: merge them.
      prev.sdgTargets = [...new Set([...(prev.sdgTargets ?? []), ...targets])];
      prev.nodeCodes = [...new Set([...prev.nodeCodes, ...nodeCodes])];
      return;
    }
    byCode.set(code, {
      code,
      name: title.slice(0, 500),
      lang: kind === 'ks' ? 'nb' : 'en',
      source: (r.source ?? '').startsWith('http') ? r.source!.trim() : '',
      attribution: kind === 'ks' ? 'Kilde: KS/Digdir, De norske målepunktene' : kind === 'u4ssc' ? 'Source: U4SSC KPIs, via the KS/Digdir taxonomy' : 'Source: UN SDG indicators, via the KS/Digdir taxonomy',
      periodicity: /yearly/i.test(r.periodicity ?? '') ? 'annual' : 'irregular',
      sdgTargets: targets,
      nodeCodes,
    });
  });
  const names: Record<TaxonomyKind, Record<string, string>> = {
    u4ssc: { en: 'U4SSC key performance indicators for smart sustainable cities' },
    ks: { nb: 'De norske målepunktene', en: 'The Norwegian measuring points (KS)' },
    'un-sdg': { en: 'UN global SDG indicators (KS/Digdir catalogue)' },
  };
  return { framework: { key: kind, names: names[kind], source: 'KS/Digdir indicator taxonomy', nodes: [...nodes.values()] }, indicators: [...byCode.values()], errors };
}
