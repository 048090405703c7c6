/**
 * What one import file may declare before anything is allocated for it (issue #8). A file's own
 * header can promise a billion cells in a few bytes (an XLSX cell at XFD1048576, a JSON-stat
 * `size` of [1000, 1000, 1000]); the parsers check such promises against these limits first and
 * answer with a report instead of trying. The worker's heap and time limits (parse-pool.ts)
 * catch whatever gets past them.
 */
import { unzipSync } from 'fflate';
import { FileFormatError } from './errors.js';

/** More rows than any statistics office publishes per table, and than 20 MB of CSV can carry. */
export const MAX_ROWS = 2_000_000;
/** Cells of one sheet or one JSON-stat cube. */
export const MAX_CELLS = 20_000_000;
export const MAX_COLUMNS = 1_000;
/** The uncompressed size of everything in one XLSX workbook. */
export const MAX_XLSX_UNZIPPED_BYTES = 300 * 1024 * 1024;

const fmt = (n: number) => n.toLocaleString('en');

/** "XFD1048576" -> { col: 16384, row: 1048576 } */
function cellRef(ref: string): { col: number; row: number } | null {
  const m = /^\$?([A-Z]{1,3})\$?(\d{1,7})$/.exec(ref);
  if (!m) return null;
  let col = 0;
  for (const ch of m[1]!) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { col, row: Number(m[2]) };
}

/**
 * Reads an XLSX workbook's declared sizes without expanding it: the uncompressed sizes in the
 * zip directory, then the first sheet's `<dimension>` and its furthest cell reference. Throws a
 * FileFormatError naming the limit when any is too large.
 */
export function checkXlsxSize(buf: Buffer): void {
  let total = 0;
  let sheet: Uint8Array | undefined;
  try {
    const files = unzipSync(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), {
      // The filter sees each entry's declared size before it is inflated; only the first sheet is inflated.
      filter: (f) => {
        total += f.originalSize;
        if (total > MAX_XLSX_UNZIPPED_BYTES) throw new FileFormatError(`The workbook unpacks to more than ${fmt(MAX_XLSX_UNZIPPED_BYTES / 1024 / 1024)} MB; split it into smaller files.`);
        return f.name === 'xl/worksheets/sheet1.xml';
      },
    });
    sheet = files['xl/worksheets/sheet1.xml'];
  } catch (err) {
    if (err instanceof FileFormatError) throw err;
    throw new FileFormatError(`The file is not a readable XLSX workbook: ${(err as Error).message}`);
  }
  if (!sheet) return; // another sheet layout: left to the reader, within the worker's limits
  const xml = Buffer.from(sheet.buffer, sheet.byteOffset, sheet.byteLength).toString('latin1');
  let maxRow = 0;
  let maxCol = 0;
  const dim = /<dimension\s+ref="([^"]+)"/.exec(xml);
  if (dim) {
    for (const part of dim[1]!.split(':')) {
      const c = cellRef(part);
      if (c) {
        maxRow = Math.max(maxRow, c.row);
        maxCol = Math.max(maxCol, c.col);
      }
    }
  }
  // The reader sizes its grid by the furthest cell, whatever the dimension says.
  for (const m of xml.matchAll(/<c\s[^>]*?r="([A-Z]{1,3}\d{1,7})"/g)) {
    const c = cellRef(m[1]!);
    if (c) {
      if (c.row > maxRow) maxRow = c.row;
      if (c.col > maxCol) maxCol = c.col;
    }
  }
  for (const m of xml.matchAll(/<row\s[^>]*?r="(\d{1,7})"/g)) maxRow = Math.max(maxRow, Number(m[1]));
  checkTableSize(maxRow, maxCol);
}

export function checkTableSize(rows: number, columns: number): void {
  if (rows > MAX_ROWS) throw new FileFormatError(`The sheet reaches row ${fmt(rows)}; an import takes at most ${fmt(MAX_ROWS)} rows.`);
  if (columns > MAX_COLUMNS) throw new FileFormatError(`The sheet reaches column ${fmt(columns)}; an import takes at most ${fmt(MAX_COLUMNS)} columns.`);
  if (rows * columns > MAX_CELLS) throw new FileFormatError(`The sheet spans ${fmt(rows)} × ${fmt(columns)} cells; an import takes at most ${fmt(MAX_CELLS)}.`);
}

/** Line count of a text file, counted without splitting it. */
export function checkLineCount(text: string): void {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (++n > MAX_ROWS) throw new FileFormatError(`The file has more than ${fmt(MAX_ROWS)} lines; split it into smaller files.`);
  }
}

/** A JSON-stat `size`: whole non-negative numbers whose product is within the cell limit. */
export function checkCubeSize(size: unknown[]): number {
  let cells = 1;
  for (const [i, s] of size.entries()) {
    if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) throw new FileFormatError(`"size" entry ${i} is not a whole number of categories.`);
    cells *= s;
    if (cells > MAX_CELLS) throw new FileFormatError(`"size" declares more than ${fmt(MAX_CELLS)} cells (${size.join(' × ')}); an import takes at most ${fmt(MAX_CELLS)}.`);
  }
  return cells;
}
