/**
 * Runs web imports in the background so a long file does not hold the request
 * open: the upload row carries the status, and progress lives in memory while
 * the import runs (the page refreshes itself until it is done).
 */
import type { Database } from '../../platform/db/index.js';
import type { Actor } from '../../platform/audit.js';
import { parseFile, parseOpenSdgMeta, type AnyMapping } from './importers/index.js';
import { FileFormatError } from './importers/table.js';
import { importObservations, updateUpload, type ImportReport } from './service.js';
import { getUpload } from './queries.js';
import { ParsePool } from './parse-pool.js';
import type { ImportFormat } from './model.js';

// Parsing a large file is seconds of CPU; in a worker thread the server keeps answering everyone
// else meanwhile. Below this size starting a worker costs more than the parse it would take over.
export const WORKER_PARSE_BYTES = 1024 * 1024;

async function parseUpload(u: { format: ImportFormat; filename: string; content: Buffer; mapping: Record<string, unknown> }) {
  const mapping = u.mapping as AnyMapping;
  // Workbooks always go to the worker: a small XLSX can unpack to a very large sheet.
  const xlsx = /\.xlsx$/i.test(u.filename) || (u.content[0] === 0x50 && u.content[1] === 0x4b);
  if (u.content.length < WORKER_PARSE_BYTES && !xlsx) return parseFile(u.format, u.filename, u.content, mapping);
  const pool = new ParsePool();
  try {
    return await pool.parse({ format: u.format, filename: u.filename, buf: u.content, mapping });
  } finally {
    await pool.close();
  }
}

const progress = new Map<string, number>();
const running = new Map<string, Promise<void>>();

export const importProgress = (uploadId: string) => progress.get(uploadId) ?? 0;

/** Parses the stored upload with its mapping and runs the import (or a dry run). */
export async function runUpload(db: Database, actor: Actor, uploadId: string, dryRun: boolean, onProgress?: (pct: number) => void): Promise<ImportReport> {
  const u = await getUpload(db.orm, uploadId);
  let report: ImportReport;
  try {
    const parsed = await parseUpload(u);
    if (typeof u.mapping.meta === 'string') {
      const code = typeof u.mapping.indicator === 'string' && u.mapping.indicator ? u.mapping.indicator : parsed.rows[0]?.indicator;
      parsed.indicators.push(parseOpenSdgMeta(u.mapping.meta, code));
    }
    report = await importObservations(db, actor, parsed, {
      format: u.format,
      filename: u.filename,
      source: 'web upload',
      dryRun,
      onProgress: (phase, done, total) => onProgress?.(phase === 'done' ? 100 : phase === 'merge' ? 90 : Math.round((done / Math.max(total, 1)) * 80)),
    });
  } catch (err) {
    if (!(err instanceof FileFormatError)) throw err;
    report = { ok: false, dryRun, errors: [{ line: 0, field: 'file', message: err.message }], errorCount: 1, rowsTotal: 0, inserted: 0, updated: 0, unchanged: 0, indicatorsChanged: 0, batchId: null, indicators: [] };
  }
  return report;
}

export function startImport(db: Database, actor: Actor, uploadId: string): Promise<void> {
  const existing = running.get(uploadId);
  if (existing) return existing;
  progress.set(uploadId, 0);
  const job = (async () => {
    await updateUpload(db, uploadId, { status: 'running' });
    try {
      const report = await runUpload(db, actor, uploadId, false, (p) => progress.set(uploadId, p));
      await updateUpload(db, uploadId, { status: report.ok ? 'done' : 'failed', report, batchId: report.batchId });
    } catch (err) {
      await updateUpload(db, uploadId, {
        status: 'failed',
        report: { ok: false, dryRun: false, errors: [{ line: 0, field: 'file', message: (err as Error).message }], errorCount: 1 },
      });
    } finally {
      progress.delete(uploadId);
      running.delete(uploadId);
    }
  })();
  running.set(uploadId, job);
  return job;
}

/** Waits for a running web import (tests and graceful shutdown). */
export const waitForImport = (uploadId: string) => running.get(uploadId) ?? Promise.resolve();
