import { breakdownText, labelKey, parseBreakdown, type LabelBook } from '../../indicator-model/index.js';
import { bookToJson } from '../labels.js';
import type { ExportRow } from './opensdg.js';

export type IndicatorLabel = { code: string; name: string; unit: string; decimals: number; source?: string; attribution?: string; lang?: string };

/**
 * A JSON-stat 2.0 dataset with dimensions indicator × area × period × breakdown.
 * The breakdown dimension's category ids are Samverka's canonical breakdown keys
 * ("_T" for the total), so the file imports back unchanged.
 */
export function toJsonStat(
  rows: ExportRow[],
  inds: IndicatorLabel[],
  areaNames: Map<string, string>,
  opts: { label: string; source: string; updated?: string; labels?: Map<string, LabelBook> },
) {
  const indIds = inds.map((i) => i.code).filter((c) => rows.some((r) => r.indicator === c));
  const areaIds = [...new Set(rows.map((r) => r.area_key))].sort();
  const periods = [...new Set(rows.map((r) => r.period))].sort();
  const bds = [...new Set(rows.map((r) => r.breakdown))].sort();
  const bdId = (b: string) => (b === '' ? '_T' : b);
  const pos = (arr: string[]) => new Map(arr.map((v, i) => [v, i]));
  const [pi, pa, pp, pb] = [pos(indIds), pos(areaIds), pos(periods), pos(bds)];
  const size = [indIds.length, areaIds.length, periods.length, bds.length];
  const n = size.reduce((a, b) => a * b, 1);
  const value: (number | null)[] = new Array(n).fill(null);
  const status: Record<string, string> = {};
  const notes: Record<string, string> = {};
  for (const r of rows) {
    const i = ((pi.get(r.indicator)! * size[1]! + pa.get(r.area_key)!) * size[2]! + pp.get(r.period)!) * size[3]! + pb.get(r.breakdown)!;
    value[i] = r.value;
    if (r.status) status[String(i)] = r.status;
    if (r.note) notes[String(i)] = r.note;
  }
  const index = (arr: string[]) => Object.fromEntries(arr.map((v, i) => [v, i]));
  // A breakdown is shared by the indicators of a dataset; its label comes from the first that has it.
  const books = indIds.flatMap((c) => (opts.labels?.get(c)?.size ? [opts.labels.get(c)!] : []));
  const bookFor = (b: string) => books.find((book) => Object.keys(parseBreakdown(b)).some((d) => book.has(labelKey(d, '')) || [...book.keys()].some((k) => k.startsWith(`${d}\u0000`))));
  const savedLabels = Object.fromEntries(indIds.flatMap((c) => (opts.labels?.get(c)?.size ? [[c, bookToJson(opts.labels.get(c)!)]] : [])));
  const byCode = new Map(inds.map((i) => [i.code, i]));
  return {
    version: '2.0',
    class: 'dataset',
    label: opts.label,
    source: opts.source,
    ...(opts.updated ? { updated: opts.updated } : {}),
    id: ['indicator', 'area', 'period', 'breakdown'],
    size,
    role: { metric: ['indicator'], geo: ['area'], time: ['period'] },
    dimension: {
      indicator: {
        label: 'indicator',
        category: {
          index: index(indIds),
          label: Object.fromEntries(indIds.map((c) => [c, byCode.get(c)?.name ?? c])),
          unit: Object.fromEntries(indIds.map((c) => [c, { label: byCode.get(c)?.unit ?? '', decimals: byCode.get(c)?.decimals ?? 1 }])),
        },
      },
      area: { label: 'area', category: { index: index(areaIds), label: Object.fromEntries(areaIds.map((a) => [a, areaNames.get(a) ?? a])) } },
      period: { label: 'period', category: { index: index(periods), label: Object.fromEntries(periods.map((p) => [p, p])) } },
      breakdown: {
        label: 'breakdown',
        category: {
          index: index(bds.map(bdId)),
          // Read with the source's labels where it gave any ("Kön: Kvinnor (K)"); the ids stay the codes.
          label: Object.fromEntries(bds.map((b) => [bdId(b), breakdownText(b, bookFor(b), 'Total')])),
        },
      },
    },
    value,
    ...(Object.keys(status).length ? { status } : {}),
    // JSON-stat has no per-cell notes nor per-indicator sources; Samverka keeps them in an extension
    // its importer reads back, so importing this file changes no indicator's source.
    extension: {
      samverka: {
        ...(Object.keys(notes).length ? { note: notes } : {}),
        indicators: Object.fromEntries(indIds.map((c) => [c, { source: byCode.get(c)?.source ?? '', attribution: byCode.get(c)?.attribution ?? '', ...(byCode.get(c)?.lang ? { lang: byCode.get(c)!.lang } : {}) }])),
        // The labels of the parts folded into "breakdown", with their language, so importing this file keeps them.
        ...(Object.keys(savedLabels).length ? { labels: savedLabels } : {}),
      },
    },
  };
}
