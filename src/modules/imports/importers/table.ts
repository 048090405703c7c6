/**
 * Tables in, observations out: CSV and XLSX read as a table, the columns' roles guessed and
 * overridden by the user's mapping, and every row checked (parseTable). Plain CSV also has a
 * fast path straight into columns (parseCsvColumns, or csvColumns step by step) that the parsing
 * process takes when a file needs no report.
 *
 * Why this file is long: both paths must agree, so they stay side by side in one file
 * (importers.test.ts compares them on generated files).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import YAML from 'yaml';
import {
  areaKeyFromCode,
  breakdownKey,
  checkDuplicates,
  INDICATOR_CODE_RE,
  normalisePeriod,
  parseStatus,
  parseValue,
  summariseColumns,
  type Country,
  type IndicatorMeta,
  type PackedResult,
  type ObsRow,
  type ParseResult,
  type RowError,
} from '../../indicator-model/index.js';
import { checkLineCount, checkXlsxSize } from './limits.js';
import { unSpreadsheetText } from '../../../platform/text.js';

/**
 * Tabular imports: Open SDG CSV and the long CSV/XLSX template are both a table
 * whose columns are mapped to roles. The mapping is guessed from the headers and
 * the user can change it on the mapping step.
 */
export const COLUMN_ROLES = ['period', 'area', 'indicator', 'value', 'unit', 'status', 'note', 'breakdown', 'ignore'] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

export type TableMapping = {
  columns: Record<string, ColumnRole>;
  /** Used when no column has the indicator role (Open SDG: one file per indicator). */
  indicator?: string;
  /** Used when no column has the area role (an Open SDG file for one city). */
  area?: string;
  /** Lets raw official codes (0780, 1506) stand for area keys. */
  country?: Country;
  /** Open SDG files leave Value empty where there is no data: such rows become "missing". */
  emptyIsMissing?: boolean;
  /** Area codes the importer cannot read by itself: an area key, 'file' (the area above) or 'skip'. */
  codes?: Record<string, string>;
};

export type Table = { headers: string[]; rows: unknown[][]; firstLine: number };

/**
 * What the mapping's code lines say of one code, or undefined. Only the mapping's own entries
 * count: a file's code such as "constructor" or "toString" must not find what every object inherits.
 */
export function mappedCode(codes: Record<string, string> | undefined, code: string): string | undefined {
  return codes && Object.hasOwn(codes, code) && typeof codes[code] === 'string' ? codes[code] : undefined;
}

export { FileFormatError } from './errors.js';
import { FileFormatError } from './errors.js';

/** A workbook (XLSX), by its name or by the zip signature its bytes start with; anything else is read as text. */
export function isXlsx(filename: string, buf: Uint8Array): boolean {
  return /\.xlsx$/i.test(filename) || (buf[0] === 0x50 && buf[1] === 0x4b);
}

/** A JSON file, or a FileFormatError that says what was wrong with it. */
export function parseJson(buf: Buffer, what = 'file'): unknown {
  try {
    return JSON.parse(buf.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new FileFormatError(`The ${what} is not valid JSON: ${(err as Error).message}`);
  }
}

export function readCsv(text: string): Table {
  checkLineCount(text);
  let records: string[][];
  const delimiter = sniffDelimiter(text);
  // Files without quotes (most machine-written data) split directly: several times faster than the full parser.
  if (!text.includes('"')) {
    records = text
      .replace(/^\uFEFF/, '')
      .split('\n')
      .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
      .map((l) => l.split(delimiter));
    // Blank lines stay as empty rows (skipped later) so reported row numbers match the file.
    while (records.length > 1 && records[records.length - 1]!.every((c) => c.trim() === '')) records.pop();
    const [head, ...rows] = records;
    if (!head || head.length === 0) throw new FileFormatError('The file is empty.');
    return { headers: head.map((h) => h.trim()), rows, firstLine: 2 };
  }
  try {
    records = parseCsv(text.replace(/^\uFEFF/, ''), {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
      delimiter,
    }) as string[][];
  } catch (err) {
    throw new FileFormatError(`The file is not valid CSV: ${(err as Error).message}`);
  }
  const [head, ...rows] = records;
  if (!head || head.length === 0) throw new FileFormatError('The file is empty.');
  return { headers: head.map((h) => h.trim()), rows, firstLine: 2 };
}

/** Swedish and Danish spreadsheets often export with semicolons. */
export function sniffDelimiter(text: string): string {
  const first = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  return (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ';' : ',';
}

export async function readXlsx(buf: Buffer): Promise<Table> {
  // The reader builds a dense grid up to the furthest cell: check what the sheet declares first.
  checkXlsxSize(buf);
  const { default: readXlsxFile } = await import('read-excel-file/node');
  let rows: unknown[][];
  try {
    const sheets = (await readXlsxFile(buf)) as unknown;
    // v9 returns [{sheet, data}]; earlier versions returned the first sheet's rows.
    rows = Array.isArray(sheets) && sheets[0] && typeof sheets[0] === 'object' && 'data' in (sheets[0] as object)
      ? ((sheets[0] as { data: unknown[][] }).data)
      : (sheets as unknown[][]);
  } catch (err) {
    throw new FileFormatError(`The file is not a readable XLSX workbook: ${(err as Error).message}`);
  }
  const [head, ...rest] = rows;
  if (!head) throw new FileFormatError('The workbook is empty.');
  return { headers: head.map((h) => String(h ?? '').trim()), rows: rest, firstLine: 2 };
}

const norm = (h: string) => h.toLowerCase().replace(/[\s_-]+/g, '');

export function guessMapping(headers: string[], format: 'opensdg' | 'long', rows: unknown[][] = []): TableMapping {
  const columns: Record<string, ColumnRole> = {};
  for (const h of headers) {
    const n = norm(h);
    let role: ColumnRole = 'breakdown';
    if (n === 'year' || n === 'period' || n === 'år' || n === 'ar' || n === 'time') role = 'period';
    // In Open SDG only GeoCode names the place; a column called "Area" is a disaggregation (urban/rural).
    else if (n === 'geocode' || (format === 'long' && (n === 'area' || n === 'areakey' || n === 'areacode'))) role = 'area';
    else if (n === 'value' || n === 'verdi' || n === 'värde' || n === 'værdi') role = 'value';
    else if (format === 'long' && (n === 'indicator' || n === 'indicatorcode')) role = 'indicator';
    else if (n === 'units' || n === 'unit') role = 'unit';
    else if (n === 'status' || n === 'observationstatus') role = 'status';
    else if (n === 'note' || n === 'comment' || n === 'footnote') role = 'note';
    else if (h === '') role = 'ignore';
    // Open SDG has no status column of its own: a "Status" column there is usually a
    // disaggregation, unless every value in it is a status (as in Samverka's export).
    if (role === 'status' && format === 'opensdg') {
      const i = headers.indexOf(h);
      if (rows.some((r) => parseStatus(r[i] ?? '') === null)) role = 'breakdown';
    }
    columns[h] = role;
  }
  return format === 'opensdg' ? { columns, emptyIsMissing: true } : { columns };
}

/** `indicator_11-6-2.csv` → `11-6-2`: Open SDG names files after the indicator. */
export function indicatorFromFilename(filename: string): string | undefined {
  const m = filename.match(/(?:^|[\\/])indicator_([0-9a-z]+(?:-[0-9a-z]+)*)\.(csv|xlsx)$/i);
  return m?.[1];
}

export function parseTable(table: Table, mapping: TableMapping): ParseResult {
  const errors: RowError[] = [];
  const rows: ObsRow[] = [];
  const roleCols = (role: ColumnRole) => table.headers.flatMap((h, i) => (mapping.columns[h] === role ? [i] : []));
  const one = (role: ColumnRole) => {
    const c = roleCols(role);
    if (c.length > 1) errors.push({ line: 1, field: role, message: `more than one column is mapped to ${role}` });
    return c[0];
  };
  for (const h of Object.keys(mapping.columns)) {
    if (!table.headers.includes(h)) errors.push({ line: 1, field: h, message: `the mapping names column "${h}", which the file does not have` });
  }
  const periodCol = one('period');
  const valueCol = one('value');
  const areaCol = one('area');
  const indCol = one('indicator');
  const statusCol = one('status');
  const noteCol = one('note');
  const unitCol = one('unit');
  // Open SDG's Units column is a breakdown only when a file mixes units; otherwise it is the indicator's unit.
  const unitValues = new Set<string>();
  if (unitCol !== undefined) for (const r of table.rows) if (r[unitCol] !== null && r[unitCol] !== undefined && String(r[unitCol]).trim() !== '') unitValues.add(String(r[unitCol]).trim());
  const dims = roleCols('breakdown');
  if (unitCol !== undefined && unitValues.size > 1) dims.push(unitCol);
  if (periodCol === undefined) errors.push({ line: 1, field: 'period', message: 'no column holds the period (e.g. "Year")' });
  if (valueCol === undefined) errors.push({ line: 1, field: 'value', message: 'no column holds the value (e.g. "Value")' });
  if (areaCol === undefined && !mapping.area) errors.push({ line: 1, field: 'area', message: 'no column holds the area and no area was chosen for the whole file' });
  if (indCol === undefined && !mapping.indicator) errors.push({ line: 1, field: 'indicator', message: 'no column holds the indicator and no indicator was chosen for the whole file' });
  if (mapping.indicator && !INDICATOR_CODE_RE.test(mapping.indicator)) errors.push({ line: 1, field: 'indicator', message: `"${mapping.indicator}" is not a valid indicator code` });
  if (errors.length) return { rows, errors, indicators: [] };

  const fixedArea = mapping.area ? areaKeyFromCode(mapping.area, mapping.country) : null;
  if (mapping.area && !fixedArea) return { rows, errors: [{ line: 1, field: 'area', message: `"${mapping.area}" is not an area key` }], indicators: [] };

  // Files repeat the same few periods, areas and indicators on every row: check each once.
  const periodMemo = new Map<string, string | null>();
  const areaMemo = new Map<string, string | null>();
  const codeOk = new Map<string, boolean>();
  const periodOf = (raw: unknown) => {
    const k = typeof raw === 'number' ? String(raw) : String(raw ?? '');
    let v = periodMemo.get(k);
    if (v === undefined) periodMemo.set(k, (v = normalisePeriod(typeof raw === 'number' ? raw : k)));
    return v;
  };
  const SKIP = '\u0000skip';
  const areaOf = (raw: string) => {
    let v = areaMemo.get(raw);
    if (v === undefined) {
      const m = mappedCode(mapping.codes, raw);
      v = m === 'skip' ? SKIP : m === 'file' ? fixedArea : areaKeyFromCode(m ?? raw, mapping.country);
      areaMemo.set(raw, v);
    }
    return v;
  };
  const validCode = (c: string) => {
    let v = codeOk.get(c);
    if (v === undefined) codeOk.set(c, (v = INDICATOR_CODE_RE.test(c)));
    return v;
  };
  table.rows.forEach((cells, i) => {
    const line = table.firstLine + i;
    const cell = (c: number | undefined) => (c === undefined ? undefined : cells[c]);
    const text = (c: number | undefined) => {
      const v = cell(c);
      // A text cell this software exported as '=… (formula-safe) reads back as it was.
      return v === null || v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : unSpreadsheetText(String(v)).trim();
    };
    if (cells.every((c) => c === null || c === undefined || String(c).trim() === '')) return;
    const rowErrs: RowError[] = [];
    const period = periodOf(typeof cell(periodCol) === 'number' ? cell(periodCol) : text(periodCol));
    if (!period) rowErrs.push({ line, field: table.headers[periodCol!] ?? 'period', message: `"${text(periodCol)}" is not a period (use 2020, 2015-2016, 2020-Q1 or 2020-03)` });
    let area = fixedArea;
    if (areaCol !== undefined) {
      const raw = text(areaCol);
      if (raw === '' && fixedArea) area = fixedArea;
      else {
        area = raw === '' ? null : areaOf(raw);
        if (area === SKIP) return;
        if (!area) rowErrs.push({ line, field: table.headers[areaCol] ?? 'area', message: raw === '' ? 'the area is empty' : `"${raw}" is not an area code` });
      }
    }
    const indicator = indCol !== undefined ? text(indCol) : (mapping.indicator ?? '');
    if (!validCode(indicator)) rowErrs.push({ line, field: indCol !== undefined ? (table.headers[indCol] ?? 'indicator') : 'indicator', message: indicator ? `"${indicator}" is not a valid indicator code` : 'the indicator is empty' });
    let status = statusCol !== undefined ? parseStatus(text(statusCol)) : '';
    if (status === null) rowErrs.push({ line, field: table.headers[statusCol!] ?? 'status', message: `"${text(statusCol)}" is not a status (provisional, estimated, missing, confidential or not applicable)` });
    const value = parseValue(cell(valueCol));
    const vField = table.headers[valueCol!] ?? 'value';
    if (value === 'invalid') rowErrs.push({ line, field: vField, message: `"${text(valueCol)}" is not a number` });
    else if (value === null && status === '' && mapping.emptyIsMissing) status = 'missing';
    else if (value === null && status !== 'missing' && status !== 'confidential' && status !== 'not_applicable') rowErrs.push({ line, field: vField, message: 'the value is empty (mark the row missing or confidential if that is intended)' });
    // Most machine-written files have no breakdown columns: their key is '' without building one.
    let breakdown = '';
    if (dims.length) {
      const parts: Record<string, string> = {};
      for (const d of dims) parts[table.headers[d]!] = text(d);
      breakdown = breakdownKey(parts);
    }
    if (rowErrs.length) {
      errors.push(...rowErrs);
      return;
    }
    rows.push({
      line,
      indicator,
      area: area!,
      period: period!,
      breakdown,
      value: value as number | null,
      status: status!,
      note: noteCol !== undefined ? text(noteCol) : '',
    });
  });
  const units: Record<string, string> = {};
  if (unitValues.size === 1) {
    const u = [...unitValues][0]!;
    for (const r of rows) units[r.indicator] = u;
  }
  return { rows: checkDuplicates(rows, errors), errors, indicators: [], units };
}

/**
 * Open SDG metadata: a `meta/*.md` file with YAML front matter, or plain YAML.
 * Gives the indicator's name, definition, unit and the SDG target it serves.
 */
export function parseOpenSdgMeta(raw: string, code?: string): IndicatorMeta {
  // Published repositories mix Windows and Unix line endings, and some editors write a BOM:
  // a `\r` left at the end of a YAML line is a syntax error, so normalise first.
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const m = text.match(/^---[ \t]*\n([\s\S]*?)\n---/);
  let data: Record<string, unknown>;
  try {
    data = (YAML.parse(m ? m[1]! : text) ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new FileFormatError(`The metadata is not valid YAML: ${(err as Error).message}`);
  }
  const str = (k: string) => (typeof data[k] === 'string' || typeof data[k] === 'number' ? String(data[k]).trim() : '');
  const id = str('indicator') || str('indicator_number');
  const c = code ?? id.replace(/\./g, '-');
  if (!c || !INDICATOR_CODE_RE.test(c)) throw new FileFormatError('The metadata does not name its indicator (field "indicator").');
  const target = str('target_id') || id.split('.').slice(0, 2).join('.');
  return {
    code: c,
    name: str('indicator_name') || str('graph_title') || c,
    description: str('indicator_definition'),
    unit: str('computation_units') || str('unit'),
    source: str('source_organisation_1') || str('source_organization_1') || str('un_custodian_agency'),
    attribution: str('source_organisation_1') ? `Source: ${str('source_organisation_1')}` : '',
    sdgTargets: target && /^\d+\.[0-9a-z]+$/.test(target) ? [target] : [],
  };
}

/**
 * parseTable's common case straight into columns (load-stream.ts), for the parsing process: a CSV
 * text without quotes (as readCsv splits it) whose every row is valid. No row object, no table of
 * cell arrays: each line is split and dropped, each distinct cell text is normalised once, and the
 * duplicate check runs on dictionary numbers. Returns null whenever the file needs parseTable (a row
 * with an error, a duplicate, a unit column with several units, a mapping problem, a status column
 * in Open SDG that the guess reads from the rows); parseTable then gives its result and reports,
 * so the two paths agree on every file (importers.test.ts compares them).
 */
export function parseCsvColumns(csv: string, format: 'opensdg' | 'long', filename: string, given: MappingOverride = {}): PackedResult | null {
  const steps = csvColumns(csv, format, filename, given);
  for (;;) {
    const s = steps.next();
    if (s.done) return s.value;
  }
}

/** The columns filled so far, in arrays with room for the whole file: rows [0, n) are final. */
export type CsvColumnsSoFar = { n: number; cols: Omit<PackedResult, 'n' | 'rest'> };
/** Rows between two looks at the columns so far (by default): small enough for the parsing process to send a chunk soon. */
const ROWS_PER_STEP = 8192;

/**
 * parseCsvColumns a step at a time: every ROWS_PER_STEP rows it yields the columns so far, so the
 * parsing process can send them in chunks (and let its pipe drain) while it parses the rest. The
 * end is parseCsvColumns' result; rows yielded before a null end were read but are no result.
 */
export function* csvColumns(csv: string, format: 'opensdg' | 'long', filename: string, given: MappingOverride = {}, step = ROWS_PER_STEP): Generator<CsvColumnsSoFar, PackedResult | null> {
  checkLineCount(csv);
  if (csv.includes('"') || csv.includes('\u0000')) return null;
  const body = csv.replace(/^\uFEFF/, '');
  const delimiter = sniffDelimiter(csv);
  const eol = (at: number) => {
    const e = body.indexOf('\n', at);
    return e === -1 ? body.length : e;
  };
  const lineAt = (from: number, to: number) => (to > from && body.charCodeAt(to - 1) === 13 ? body.slice(from, to - 1) : body.slice(from, to));
  const headEnd = eol(0);
  const headers = lineAt(0, headEnd).split(delimiter).map((h) => h.trim());
  const guessed = guessMapping(headers, format, []);
  if (format === 'opensdg' && Object.values(guessed.columns).includes('status')) return null;
  const mapping = tableMappingOf(format, filename, guessed, given);
  const roleCols = (role: ColumnRole) => headers.flatMap((h, i) => (mapping.columns[h] === role ? [i] : []));
  for (const h of Object.keys(mapping.columns)) if (!headers.includes(h)) return null;
  let ambiguous = false;
  const only = (role: ColumnRole) => {
    const c = roleCols(role);
    if (c.length > 1) ambiguous = true;
    return c[0];
  };
  const periodCol = only('period');
  const valueCol = only('value');
  const areaCol = only('area');
  const indCol = only('indicator');
  const statusCol = only('status');
  const noteCol = only('note');
  const unitCol = only('unit');
  if (ambiguous) return null;
  if (periodCol === undefined || valueCol === undefined) return null;
  if (areaCol === undefined && !mapping.area) return null;
  if (indCol === undefined && !mapping.indicator) return null;
  if (mapping.indicator && !INDICATOR_CODE_RE.test(mapping.indicator)) return null;
  const fixedArea = mapping.area ? areaKeyFromCode(mapping.area, mapping.country) : null;
  if (mapping.area && !fixedArea) return null;
  const dims = roleCols('breakdown');
  const dimNames = dims.map((d) => headers[d]!);

  // One dictionary for every column; per role, a memo from the cell as written to its number there.
  const dict: string[] = [];
  const dictIndex = new Map<string, number>();
  const id = (v: string) => {
    let k = dictIndex.get(v);
    if (k === undefined) {
      k = dict.length;
      dict.push(v);
      dictIndex.set(v, k);
    }
    return k;
  };
  const text = (raw: string | undefined) => (raw === undefined ? '' : unSpreadsheetText(raw).trim());
  /** Per role: a cell as written → its normalised value's dictionary number, or -1 for "needs parseTable". */
  const memo = (normalise: (raw: string | undefined) => string | null) => {
    const m = new Map<string | undefined, number>();
    return (raw: string | undefined): number => {
      let v = m.get(raw);
      if (v === undefined) {
        const norm = normalise(raw);
        m.set(raw, (v = norm === null ? -1 : id(norm)));
      }
      return v;
    };
  };
  const periods = memo((raw) => normalisePeriod(text(raw)));
  const SKIP = '\u0000skip';
  const areas = memo((raw) => {
    const t = text(raw);
    if (t === '') return fixedArea;
    const code = mappedCode(mapping.codes, t);
    return code === 'skip' ? SKIP : code === 'file' ? fixedArea : areaKeyFromCode(code ?? t, mapping.country);
  });
  const inds = memo((raw) => {
    const t = indCol !== undefined ? text(raw) : (mapping.indicator ?? '');
    return INDICATOR_CODE_RE.test(t) ? t : null;
  });
  const statuses = memo((raw) => (statusCol === undefined ? '' : parseStatus(text(raw))));
  const notes = memo((raw) => (noteCol === undefined ? '' : text(raw)));
  const single = dims.length === 1;
  const breakdowns = memo((key) => {
    if (!dims.length) return '';
    const cells = single ? [key] : key!.split('\u0000');
    const parts: Record<string, string> = {};
    dims.forEach((_, j) => (parts[dimNames[j]!] = text(cells[j])));
    return breakdownKey(parts);
  });
  const skipArea = id(SKIP);
  const emptyId = id('');
  const missingId = id('missing');

  // Room for every line, so the columns never grow.
  let cap = 1;
  for (let at = body.indexOf('\n'); at !== -1; at = body.indexOf('\n', at + 1)) cap++;
  const lines = new Int32Array(cap), indicator = new Int32Array(cap), area = new Int32Array(cap), period = new Int32Array(cap);
  const breakdown = new Int32Array(cap), status = new Int32Array(cap), note = new Int32Array(cap), value = new Float64Array(cap), isNull = new Uint8Array(cap);
  const unitValues = new Set<string>();
  const soFar: CsvColumnsSoFar = { n: 0, cols: { lines, dict, indicator, area, period, breakdown, status, note, value, isNull } };
  const noCell = () => undefined;
  const cellOf = (c: number | undefined) => (c === undefined ? noCell : (cells: string[]) => cells[c]);
  const areaCell = cellOf(areaCol), indCell = cellOf(indCol), statusCell = cellOf(statusCol), noteCell = cellOf(noteCol);
  let n = 0;
  let lineNo = 1;
  const cells: string[] = [];
  for (let at = headEnd + 1; at < body.length; ) {
    const end = eol(at);
    // The line's cells, cut straight from the body into one reused array (no line string, no array per row).
    const stop = end > at && body.charCodeAt(end - 1) === 13 ? end - 1 : end;
    let k = 0;
    for (let from = at; ; ) {
      const d = body.indexOf(delimiter, from);
      if (d === -1 || d >= stop) {
        cells[k++] = body.slice(from, stop);
        break;
      }
      cells[k++] = body.slice(from, d);
      from = d + delimiter.length;
    }
    cells.length = k;
    at = end + 1;
    lineNo++;
    if (unitCol !== undefined) {
      const u = cells[unitCol]?.trim();
      if (u) unitValues.add(u);
    }
    if (cells.every((c) => c.trim() === '')) continue;
    const aId = areas(areaCell(cells));
    if (aId < 0) return null;
    if (aId === skipArea) continue;
    const pId = periods(cells[periodCol]);
    const iId = inds(indCell(cells));
    let stId = statuses(statusCell(cells));
    if (pId < 0 || iId < 0 || stId < 0) return null;
    const raw = cells[valueCol];
    // Plain decimals (what machines write) are read directly; anything else goes through parseValue.
    const v: number | null | 'invalid' = raw !== undefined && /^-?\d{1,15}(\.\d{1,15})?$/.test(raw) ? Number(raw) : parseValue(raw);
    if (v === 'invalid') return null;
    if (v === null && stId === emptyId && mapping.emptyIsMissing) stId = missingId;
    else if (v === null && dict[stId] !== 'missing' && dict[stId] !== 'confidential' && dict[stId] !== 'not_applicable') return null;
    lines[n] = lineNo;
    indicator[n] = iId;
    area[n] = aId;
    period[n] = pId;
    breakdown[n] = breakdowns(single ? cells[dims[0]!] : dims.length ? dims.map((d) => cells[d] ?? '').join('\u0000') : '');
    status[n] = stId;
    note[n] = notes(noteCell(cells));
    if (v === null) isNull[n] = 1;
    else value[n] = v;
    n++;
    if (n % step === 0) {
      soFar.n = n;
      yield soFar;
    }
  }
  // Several units make the unit column a breakdown, which parseTable handles.
  if (unitValues.size > 1) return null;
  // A duplicate (same indicator, area, period and breakdown) is reported by parseTable. The check
  // runs on the dictionary numbers in an open-addressing table: no key object per row.
  const slots = new Int32Array(1 << Math.ceil(Math.log2(2 * n + 2))).fill(-1);
  const mask = slots.length - 1;
  for (let i = 0; i < n; i++) {
    let h = Math.imul(indicator[i]!, 0x9e3779b1) ^ Math.imul(area[i]!, 0x85ebca77) ^ Math.imul(period[i]!, 0xc2b2ae3d) ^ Math.imul(breakdown[i]!, 0x27d4eb2f);
    h = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const j = slots[h]!;
      if (j < 0) {
        slots[h] = i;
        break;
      }
      if (indicator[j] === indicator[i] && area[j] === area[i] && period[j] === period[i] && breakdown[j] === breakdown[i]) return null;
      h = (h + 1) & mask;
    }
  }
  const units: Record<string, string> = {};
  if (unitValues.size === 1) {
    const u = [...unitValues][0]!;
    const seen = new Uint8Array(dict.length);
    for (let i = 0; i < n; i++) {
      if (seen[indicator[i]!]) continue;
      seen[indicator[i]!] = 1;
      units[dict[indicator[i]!]!] = u;
    }
  }
  const packed: PackedResult = {
    n,
    lines: lines.slice(0, n),
    dict,
    indicator: indicator.slice(0, n),
    area: area.slice(0, n),
    period: period.slice(0, n),
    breakdown: breakdown.slice(0, n),
    status: status.slice(0, n),
    note: note.slice(0, n),
    value: value.slice(0, n),
    isNull: isNull.slice(0, n),
    rest: { errors: [], indicators: [], units },
  };
  packed.rest.summaries = summariseColumns(packed);
  return packed;
}

/** What a caller may set of a table mapping (the rest is guessed from the headers). */
export type MappingOverride = Partial<TableMapping>;

/** The mapping parseFile uses: the guess, overridden column by column by what the user chose. */
export function tableMappingOf(format: 'opensdg' | 'long', filename: string, guessed: TableMapping, mapping: MappingOverride): TableMapping {
  const ind = format === 'opensdg' ? indicatorFromFilename(filename) : undefined;
  return {
    columns: { ...guessed.columns, ...(mapping.columns ?? {}) },
    ...(mapping.indicator || ind ? { indicator: mapping.indicator || ind } : {}),
    ...(mapping.area ? { area: mapping.area } : {}),
    ...(mapping.country ? { country: mapping.country } : {}),
    ...(mapping.codes ? { codes: mapping.codes } : {}),
    ...((mapping.emptyIsMissing ?? guessed.emptyIsMissing) ? { emptyIsMissing: true } : {}),
  };
}
