/** CSV of stored statuses. Cells that a spreadsheet would read as a formula are prefixed with '. */
import type { StatusView } from './queries.js';

const cell = (v: unknown): string => {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
  return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const STATUS_COLUMNS = ['indicator', 'area', 'breakdown', 'status', 'method', 'base_year', 'base_value', 'current_year', 'current_value', 'target', 'target_year', 'observed_rate', 'required_rate', 'measure', 'score', 'colour', 'trend', 'u4ssc_points', 'quartile', 'manual_reason'] as const;

export function statusesCsv(rows: (StatusView & { area_id: string })[], keyOf: Map<string, string>): string {
  const lines = [STATUS_COLUMNS.join(',')];
  for (const s of rows) {
    const d = s.details;
    lines.push(
      [s.indicator_code, keyOf.get(s.area_id) ?? s.area_id, s.breakdown, s.status, s.method, d.baseYear, d.baseValue, d.currentYear, d.currentValue, d.target, d.targetYear, d.observedRate, d.requiredRate, d.measure, s.score, s.colour, s.trend, s.u4ssc_points, s.quartile, d.manualReason]
        .map(cell)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}
