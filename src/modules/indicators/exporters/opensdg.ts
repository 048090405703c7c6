import { parseBreakdown } from '../../indicator-model/index.js';
import { spreadsheetText } from '../../../platform/text.js';

export type ExportRow = { indicator: string; area_key: string; period: string; breakdown: string; value: number | null; status: string; note: string };

const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
/** Text cells are neutralised against formula injection; the value column is a number and stays one. */
const cell = (s: string) => quote(spreadsheetText(s));

/**
 * Open SDG CSV: Year, the disaggregation columns, GeoCode, Units, then Value.
 * Status and note columns appear only when some row has one, so plain data
 * stays in the exact Open SDG layout.
 */
export function toOpenSdgCsv(rows: ExportRow[], unit: string): string {
  const parsed = rows.map((r) => ({ r, b: parseBreakdown(r.breakdown) }));
  const dimSet = new Set<string>();
  for (const p of parsed) for (const k of Object.keys(p.b)) dimSet.add(k);
  const unitIsDim = dimSet.has('Units');
  dimSet.delete('Units');
  const dims = [...dimSet].sort();
  const withStatus = rows.some((r) => r.status !== '');
  const withNote = rows.some((r) => r.note !== '');
  const header = ['Year', ...dims, 'GeoCode', ...(unit || unitIsDim ? ['Units'] : []), ...(withStatus ? ['Status'] : []), ...(withNote ? ['Note'] : []), 'Value'];
  const lines = [header.map(cell).join(',')];
  for (const { r, b } of parsed) {
    lines.push(
      [
        r.period,
        ...dims.map((d) => b[d] ?? ''),
        r.area_key,
        ...(unit || unitIsDim ? [b.Units ?? unit] : []),
        ...(withStatus ? [r.status] : []),
        ...(withNote ? [r.note] : []),
      ]
        .map(cell)
        .concat(r.value === null ? '' : String(r.value))
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}
