import { z } from 'zod';
import { chunkOf, pack, summariseFile, type ColumnChunk, type Country, type StreamEnd, type ImportFormat, type PackedResult, type ParseResult } from '../../indicator-model/index.js';
import { COLUMN_ROLES } from './table.js';
import { DIM_ROLES } from './jsonstat.js';
import { guessJsonStatMapping, parseJsonStat, readJsonStat, type JsonStatMapping, type DimInfo } from './jsonstat.js';
import { parseKoladaData, readKoladaFile } from './kolada.js';
import { csvColumns, FileFormatError, guessMapping, isXlsx, parseCsvColumns, parseJson, indicatorFromFilename, parseTable, readCsv, readXlsx, tableMappingOf, type Table, type TableMapping } from './table.js';

export * from './table.js';
export * from './jsonstat.js';
export * from './kolada.js';

export type AnyMapping = Partial<TableMapping> & Partial<JsonStatMapping> & { country?: Country };

/**
 * The shape a mapping sent with an API import must have: each member is read as a string,
 * a role or a flag, so a wrong type is a 422 naming it (mapping.area) and never a crash.
 */
export const MappingInput = z.looseObject({
  columns: z.record(z.string().max(200), z.enum(COLUMN_ROLES)).optional(),
  dims: z.record(z.string().max(200), z.enum(DIM_ROLES)).optional(),
  indicator: z.string().max(80).optional(),
  area: z.string().max(40).optional(),
  country: z.enum(['SE', 'NO', 'DK']).optional(),
  emptyIsMissing: z.boolean().optional(),
  indicatorPrefix: z.string().max(40).optional(),
  // The code lines: a file's code → an area key, 'file' or 'skip'.
  codes: z.record(z.string().max(200), z.string().max(40)).optional(),
});

export async function readTable(filename: string, buf: Buffer): Promise<Table> {
  return isXlsx(filename, buf) ? readXlsx(buf) : readCsv(buf.toString('utf8'));
}

/** What the mapping step shows: the file's columns or dimensions, a sample, and a guessed mapping. */
export type Preview =
  | { kind: 'table'; headers: string[]; sample: string[][]; rowCount: number; mapping: TableMapping }
  | { kind: 'jsonstat'; label: string; dims: DimInfo[]; cells: number; mapping: JsonStatMapping }
  | { kind: 'kolada'; entries: number };

export async function previewFile(format: ImportFormat, filename: string, buf: Buffer): Promise<Preview> {
  if (format === 'jsonstat') {
    const { ds, dims, cells } = readJsonStat(parseJson(buf));
    return { kind: 'jsonstat', label: ds.label ?? '', dims, cells, mapping: guessJsonStatMapping(ds, dims) };
  }
  if (format === 'kolada') {
    const v = readKoladaFile(buf, 'data') as { values?: unknown[] };
    if (!Array.isArray(v?.values)) throw new FileFormatError('The file is not a Kolada API v3 response (it needs a "values" list).');
    return { kind: 'kolada', entries: v.values.length };
  }
  const t = await readTable(filename, buf);
  const mapping = guessMapping(t.headers, format, t.rows);
  const ind = indicatorFromFilename(filename);
  if (format === 'opensdg' && ind) mapping.indicator = ind;
  return {
    kind: 'table',
    headers: t.headers,
    sample: t.rows.slice(0, 8).map((r) => t.headers.map((_, i) => (r[i] === null || r[i] === undefined ? '' : String(r[i])))),
    rowCount: t.rows.length,
    mapping,
  };
}

/** Parses a whole file with a mapping (guessed when none is given). Never touches the database. */
export async function parseFile(format: ImportFormat, filename: string, buf: Buffer, mapping: AnyMapping = {}): Promise<ParseResult> {
  if (format === 'kolada') return parseKoladaData(readKoladaFile(buf, 'data'));
  if (format === 'jsonstat') {
    const json = parseJson(buf);
    const { ds, dims } = readJsonStat(json);
    const guessed = guessJsonStatMapping(ds, dims);
    return parseJsonStat(json, { ...guessed, ...mapping, dims: { ...guessed.dims, ...(mapping.dims ?? {}) } });
  }
  const t = await readTable(filename, buf);
  return parseTable(t, tableMappingOf(format, filename, guessMapping(t.headers, format, t.rows), mapping));
}

/**
 * parseFile in columns, as the parsing process sends them (with the file's summaries): a plain
 * CSV whose rows are all valid goes straight into columns (parseCsvColumns); every other file is
 * parsed as rows and packed, with the same result.
 */
export async function parseFilePacked(format: ImportFormat, filename: string, buf: Buffer, mapping: AnyMapping = {}): Promise<PackedResult> {
  if ((format === 'long' || format === 'opensdg') && !isXlsx(filename, buf)) {
    const fast = parseCsvColumns(buf.toString('utf8'), format, filename, mapping);
    if (fast) return fast;
  }
  return parseRowsPacked(format, filename, buf, mapping);
}

/**
 * parseFilePacked for a load that starts before the parse ends (issue #12): a plain CSV's columns
 * go to `send` in chunks of at least `chunkRows` rows while the rest is parsed, with a turn of the
 * event loop between steps so the pipe to the server drains meanwhile. The end says whether the
 * chunks sent were the whole file (`rest` completes them) or not (`whole` replaces them): a file
 * smaller than a chunk, any other format, or a CSV whose columnar parse gave up part-way (a row
 * that needs the row parse's report), which is then parsed as rows from the start.
 */
export async function parseFileChunked(format: ImportFormat, filename: string, buf: Buffer, mapping: AnyMapping, chunkRows: number, send: (c: ColumnChunk) => void): Promise<StreamEnd> {
  if ((format === 'long' || format === 'opensdg') && !isXlsx(filename, buf)) {
    const steps = csvColumns(buf.toString('utf8'), format, filename, mapping, Math.min(8192, chunkRows));
    let sent = 0;
    let dictSent = 0;
    for (;;) {
      const s = steps.next();
      if (s.done) {
        const fast = s.value;
        if (!fast) break;
        if (sent === 0) return { whole: fast };
        if (fast.n > sent) send(chunkOf(fast, sent, fast.n, dictSent));
        return { rest: fast.rest };
      }
      if (s.value.n - sent >= chunkRows) {
        send(chunkOf(s.value.cols, sent, s.value.n, dictSent));
        dictSent = s.value.cols.dict.length;
        sent = s.value.n;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return { whole: await parseRowsPacked(format, filename, buf, mapping) };
}

/** The row parse (parseFile) in columns, with the file's summaries when it has no errors. */
async function parseRowsPacked(format: ImportFormat, filename: string, buf: Buffer, mapping: AnyMapping): Promise<PackedResult> {
  const parsed = await parseFile(format, filename, buf, mapping);
  // The summaries come from the rows alone, so the parse makes them too, off the server's thread.
  if (!parsed.errors.length) parsed.summaries = summariseFile(parsed.rows);
  return pack(parsed);
}
