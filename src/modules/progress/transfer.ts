/**
 * Targets in and out: a CSV with one target per row, and Open SDG indicator
 * metadata (`progress_calculation_options`, `graph_target_lines`, `progress_status`).
 * Pure parsing and formatting; the use cases that write are in service.ts.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { PROGRESS_STATUSES } from './methods/opensdg.js';
import type { TargetView } from './queries.js';

export const TARGET_COLUMNS = ['indicator', 'level', 'area', 'organisation', 'country', 'breakdown', 'value', 'targetYear', 'baselineYear', 'limit', 'bound', 'green', 'red', 'manualStatus', 'manualReason', 'source'] as const;

export type RowProblem = { line: number; field: string; message: string };

/** Rows of a targets CSV (header names as in TARGET_COLUMNS; comma or semicolon separated) as raw inputs. */
export function parseTargetsCsv(text: string): { rows: { line: number; input: Record<string, string> }[]; errors: RowProblem[] } {
  const clean = text.replace(/^\uFEFF/, '');
  const first = clean.split('\n', 1)[0] ?? '';
  const delimiter = (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: Record<string, string>[];
  try {
    records = parseCsv(clean, { columns: true, skip_empty_lines: true, delimiter, trim: true }) as Record<string, string>[];
  } catch (err) {
    return { rows: [], errors: [{ line: 1, field: '_', message: `not valid CSV: ${(err as Error).message}` }] };
  }
  const errors: RowProblem[] = [];
  const unknown = Object.keys(records[0] ?? {}).filter((k) => !(TARGET_COLUMNS as readonly string[]).includes(k));
  if (unknown.length) errors.push({ line: 1, field: unknown[0]!, message: `unknown column(s): ${unknown.join(', ')}` });
  return { rows: records.map((input, i) => ({ line: i + 2, input })), errors };
}

const cell = (v: unknown): string => {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
  return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function targetsCsv(ts: TargetView[]): string {
  const lines = [TARGET_COLUMNS.join(',')];
  for (const x of ts) {
    lines.push(
      [x.indicatorCode, x.level, x.areaKey, x.organisationSlug, x.country, x.breakdown, x.value, x.targetYear, x.baselineYear, x.limitValue, x.bound, x.green, x.red, x.manualStatus, x.manualReason, x.source].map(cell).join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** The YAML of an Open SDG metadata file: front matter between --- lines, or the whole text (JSON is YAML too). */
function metadataObject(text: string): Record<string, unknown> {
  const m = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  const doc = parseYaml(m ? m[1]! : text) as unknown;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('the metadata is not a YAML or JSON object');
  return doc as Record<string, unknown>;
}

/** Open SDG's older name for limited progress. */
const STATUS_ALIASES: Record<string, string> = { negligible_progress: 'limited_progress' };

/**
 * The target fields an Open SDG metadata file carries. `progress_calculation_options`
 * (its first entry) wins over `graph_target_lines`; a `progress_status` becomes a manual status.
 */
export function targetFromOpenSdg(text: string): Record<string, unknown> {
  const meta = metadataObject(text);
  const out: Record<string, unknown> = {};
  const opts = Array.isArray(meta.progress_calculation_options) ? (meta.progress_calculation_options[0] as Record<string, unknown> | undefined) : undefined;
  const line = Array.isArray(meta.graph_target_lines) ? (meta.graph_target_lines[0] as Record<string, unknown> | undefined) : undefined;
  if (opts?.target !== undefined && opts.target !== null) out.value = opts.target;
  else if (line?.value !== undefined) out.value = line.value;
  if (opts?.target_year !== undefined) out.targetYear = opts.target_year;
  if (opts?.base_year !== undefined) out.baselineYear = opts.base_year;
  if (opts?.limit !== undefined && opts.limit !== null) out.limit = opts.limit;
  if (typeof line?.label === 'string') out.source = line.label;
  const status = typeof meta.progress_status === 'string' ? (STATUS_ALIASES[meta.progress_status] ?? meta.progress_status) : undefined;
  if (status && status !== 'not_available' && (PROGRESS_STATUSES as readonly string[]).includes(status)) {
    out.manualStatus = status;
    out.manualReason = 'Set in the Open SDG metadata (progress_status).';
  } else if (status && !(PROGRESS_STATUSES as readonly string[]).includes(status)) {
    out.manualStatus = meta.progress_status; // rejected by the input schema, naming the field
  }
  return out;
}

/** Open SDG metadata for one indicator: its target as calculation options and a target line, and the status. */
export function openSdgMetadata(t: TargetView | null, direction: string, status: string | null): string {
  const meta: Record<string, unknown> = {};
  if (t) {
    meta.auto_progress_calculation = true;
    meta.graph_target_lines = [{ value: t.value, label: t.source || 'Target' }];
    meta.progress_calculation_options = [
      { direction: direction === 'lower' ? 'negative' : 'positive', target: t.value, target_year: t.targetYear, base_year: t.baselineYear, ...(t.limitValue !== null ? { limit: t.limitValue } : {}) },
    ];
  }
  if (status) meta.progress_status = status;
  return `---\n${toYaml(meta)}---\n`;
}
