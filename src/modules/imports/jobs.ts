/**
 * Runs web imports in the background so a long file does not hold the request
 * open: the upload row carries the status, a job in the shared queue
 * (platform/jobs) runs it and carries its progress (the page refreshes itself
 * until it is done).
 */
import { rawQuery, type Database } from '../../platform/db/index.js';
import { defineJob, enqueue, latestJob } from '../../platform/jobs.js';
import { openSdgMetadataListeners } from '../../platform/import-hooks.js';
import { recordAudit, type Actor } from '../../platform/audit.js';
import { DomainError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { isUuid } from '../../platform/text.js';
import { assertCanManageReferenceData } from '../indicators/index.js';
import { checkReferenceOptions, importReference, type ReferenceInput, type ReferenceKind, type ReferenceResult } from './reference.js';
import type { AnyMapping } from './importers/index.js';
import { FileFormatError } from './importers/table.js';
import type { ImportReport } from '../indicators/index.js';
import { updateUpload } from './uploads.js';
import { getUpload } from './queries.js';
import { importFile } from './parse-pool.js';
import type { Country, ImportFormat } from '../indicator-model/index.js';

// Parsing a large file is seconds of CPU; in the parsing process the server keeps answering everyone
// else meanwhile. Below this size starting that process costs more than the parse it would take over.
export const WORKER_PARSE_BYTES = 1024 * 1024;

/** Parses the stored upload with its mapping and runs the import (or a dry run). */
export async function runUpload(db: Database, actor: Actor, uploadId: string, dryRun: boolean, onProgress?: (pct: number) => void): Promise<ImportReport> {
  const u = await getUpload(db.orm, uploadId);
  let report: ImportReport;
  try {
    // Workbooks always go to the parsing process: a small XLSX can unpack to a very large sheet.
    report = await importFile(
      db,
      actor,
      {
        format: u.format,
        filename: u.filename,
        buf: u.content,
        mapping: u.mapping as AnyMapping,
        ...(typeof u.mapping.meta === 'string' ? { openSdgMeta: u.mapping.meta } : {}),
        options: {
          format: u.format,
          filename: u.filename,
          source: 'web upload',
          dryRun,
          onProgress: (phase, done, total) => onProgress?.(phase === 'done' ? 100 : phase === 'merge' ? 90 : Math.round((done / Math.max(total, 1)) * 80)),
        },
      },
      { inlineBelow: WORKER_PARSE_BYTES },
    );
  } catch (err) {
    if (!(err instanceof FileFormatError)) throw err;
    report = { ok: false, dryRun, errors: [{ line: 0, field: 'file', message: err.message }], errorCount: 1, rowsTotal: 0, inserted: 0, updated: 0, unchanged: 0, indicatorsChanged: 0, batchId: null, indicators: [] };
  }
  if (report.ok && !dryRun && typeof u.mapping.meta === 'string') report.notes = await passOpenSdgMetadata(db, actor, u.mapping, report);
  return report;
}

/**
 * After the data went in: the metadata's targets and manual status go to the modules that listen
 * (progress), for the area the upload was mapped to, as `opensdg-dir --area` does on the command line.
 * Their own checks apply; a refusal is a note in the report, as the observations are already stored.
 */
async function passOpenSdgMetadata(db: Database, actor: Actor, mapping: Record<string, unknown>, report: ImportReport): Promise<string[]> {
  const indicator = typeof mapping.indicator === 'string' && mapping.indicator ? mapping.indicator : report.indicators[0];
  if (!indicator) return [];
  const area = typeof mapping.area === 'string' && mapping.area ? mapping.area : null;
  const metadata = String(mapping.meta).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const notes: string[] = [];
  for (const listen of openSdgMetadataListeners()) {
    try {
      const said = await listen(db, actor, { indicator, area, metadata, dryRun: false });
      if (said) notes.push(said);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      notes.push(err instanceof ValidationError && err.fields.length ? err.fields.map((f) => `${f.field}: ${f.message}`).join('; ') : err.message);
    }
  }
  return notes;
}

// A web import is a durable job: it survives a restart of the server, any app server may run it,
// and its progress is a column every server reads. Permission was checked when it was queued;
// the job acts as the user who queued it, so the audit trail names them.
type StoredActor = { userId: string | null; label: string; isPlatformAdmin: boolean; orgRoles: [string, 'admin' | 'editor' | 'member'][] };
const toStored = (a: Actor): StoredActor => ({ userId: a.userId, label: a.label, isPlatformAdmin: a.isPlatformAdmin, orgRoles: [...a.orgRoles] });
const fromStored = (a: StoredActor): Actor => ({ userId: a.userId, label: a.label, isPlatformAdmin: a.isPlatformAdmin, orgRoles: new Map(a.orgRoles) });

const failedReport = (message: string) => ({ ok: false, dryRun: false, errors: [{ line: 0, field: 'file', message }], errorCount: 1 });

export const IMPORT_JOB = 'indicators.import';
defineJob({
  kind: IMPORT_JOB,
  // The import is one transaction: a run cut short leaves nothing behind, so a second attempt is safe.
  // Two, not more: a file that took the process down once may well do it again.
  maxAttempts: 2,
  async run({ db, payload, progress }) {
    const uploadId = String(payload.uploadId);
    const report = await runUpload(db, fromStored(payload.actor as StoredActor), uploadId, false, progress);
    await updateUpload(db, uploadId, { status: report.ok ? 'done' : 'failed', report, batchId: report.batchId });
    return { ok: report.ok, batchId: report.batchId };
  },
  async onGiveUp(db, job, reason) {
    await updateUpload(db, String(job.payload.uploadId), { status: 'failed', report: failedReport(reason) });
  },
});

/** Queues the import of a checked upload; a second click while it waits or runs changes nothing. */
export async function startImport(db: Database, actor: Actor, uploadId: string): Promise<void> {
  await updateUpload(db, uploadId, { status: 'running' });
  await enqueue(db, IMPORT_JOB, { uploadId, actor: toStored(actor) }, { key: uploadId });
}

/** The running import's progress in percent, as its worker last wrote it (any server). */
export async function importProgress(db: Database, uploadId: string): Promise<number> {
  return (await latestJob(db, IMPORT_JOB, uploadId))?.progress ?? 0;
}

/** Waits until the upload's import job has ended (tests). */
export async function waitForImport(db: Database, uploadId: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await latestJob(db, IMPORT_JOB, uploadId);
    if (!job || job.state === 'done' || job.state === 'failed') return;
    if (Date.now() > until) throw new Error(`Import of upload ${uploadId} still ${job.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Uploaded files are needed until their import ends; after UPLOAD_RETENTION_DAYS their content is removed and
 * the row with its report stays, so the history of what was imported from which file remains readable.
 * Uploads left unimported for as long are closed the same way (failed, with the reason).
 */
export async function removeOldUploadContent(db: Database, days: number): Promise<{ finished: number; abandoned: number }> {
  const finished = await db.query(
    `UPDATE ind_uploads SET content = ''::bytea, report = report || jsonb_build_object('contentRemovedAt', now())
     WHERE status IN ('done', 'failed') AND octet_length(content) > 0 AND updated_at < now() - make_interval(days => $1) RETURNING id`,
    [days],
  );
  const abandoned = await db.query(
    `UPDATE ind_uploads SET content = ''::bytea, status = 'failed', updated_at = now(),
       report = jsonb_build_object('ok', false, 'dryRun', false, 'errorCount', 1, 'contentRemovedAt', now(),
         'errors', jsonb_build_array(jsonb_build_object('line', 0, 'field', 'file', 'message', 'Not imported within ' || $1 || ' days: the file was removed.')))
     WHERE status IN ('uploaded', 'checked') AND updated_at < now() - make_interval(days => $1) RETURNING id`,
    [days],
  );
  return { finished: finished.length, abandoned: abandoned.length };
}

defineJob({
  kind: 'indicators.upload-retention',
  every: 6 * 3600_000,
  run: ({ db, config }) => removeOldUploadContent(db, config?.uploadRetentionDays ?? 30),
});

// Reference imports (frameworks, area lists, groups, boundaries) from the web form and the API -----------

export const REFERENCE_JOB = 'indicators.reference-import';

export type ReferenceImportError = { message: string; fields: { field: string; message: string }[] };
export type ReferenceImportView = {
  id: string;
  kind: ReferenceKind;
  filename: string;
  /** queued: waiting for a worker; running: a worker has it (progress says how far). */
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  result: ReferenceResult | null;
  error: ReferenceImportError | null;
  createdAt: string;
};

/**
 * Queues a reference import and answers at once with its id; a job (any app server) runs
 * importReference as the administrator who queued it. The options that need no file are
 * checked here, so a form or API call missing them is refused before anything is stored.
 */
export async function startReferenceImport(db: Database, actor: Actor, input: ReferenceInput): Promise<string> {
  assertCanManageReferenceData(actor);
  checkReferenceOptions(input);
  const options = { country: input.country, property: input.property, prefix: input.prefix, source: input.source };
  return db.orm.transaction(async (tx) => {
    const [row] = await rawQuery<{ id: string }>(
      tx,
      `INSERT INTO ind_reference_imports (user_id, kind, filename, options, content, regions)
       VALUES ($1, $2, $3, $4::jsonb, decode($5, 'base64'), decode($6, 'base64')) RETURNING id`,
      [actor.userId, input.kind, (input.source ?? '').slice(0, 200), JSON.stringify(options), input.file.toString('base64'), input.regions?.length ? input.regions.toString('base64') : null],
    );
    const id = row!.id;
    await recordAudit(tx, actor, { action: 'indicators.reference.queue', entityType: 'reference_import', entityId: id, summary: `${input.kind}: ${input.source ?? ''}` });
    await enqueue(tx, REFERENCE_JOB, { id, actor: toStored(actor) }, { key: id });
    return id;
  });
}

/** A reference import's state, result or reason, as every app server sees it. Platform administrators only. */
export async function getReferenceImport(db: Database, actor: Actor, id: string): Promise<ReferenceImportView> {
  assertCanManageReferenceData(actor);
  if (!isUuid(id)) throw new NotFoundError('reference import', id);
  const [r] = await db.query<{ id: string; kind: ReferenceKind; filename: string; status: 'queued' | 'done' | 'failed'; result: ReferenceResult | null; error: ReferenceImportError | null; created_at: string | Date }>(
    `SELECT id, kind, filename, status, result, error, created_at FROM ind_reference_imports WHERE id = $1`,
    [id],
  );
  if (!r) throw new NotFoundError('reference import', id);
  const job = r.status === 'queued' ? await latestJob(db, REFERENCE_JOB, id) : null;
  return {
    id: r.id,
    kind: r.kind,
    filename: r.filename,
    status: job?.state === 'running' ? 'running' : r.status,
    progress: r.status === 'done' ? 100 : (job?.progress ?? 0),
    result: r.result,
    error: r.error,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

// The outcome is kept; the file is not needed once its import has ended.
async function finishReferenceImport(db: Database, id: string, status: 'done' | 'failed', result: ReferenceResult | null, error: ReferenceImportError | null) {
  await db.query(
    `UPDATE ind_reference_imports SET status = $2, result = $3::jsonb, error = $4::jsonb, content = ''::bytea, regions = NULL, updated_at = now() WHERE id = $1 AND status = 'queued'`,
    [id, status, result ? JSON.stringify(result) : null, error ? JSON.stringify(error) : null],
  );
}

defineJob({
  kind: REFERENCE_JOB,
  // Each import is one transaction (the SDG framework a taxonomy needs is its own, and idempotent):
  // a run cut short leaves nothing half-done, so a second attempt is safe.
  maxAttempts: 2,
  async run({ db, payload, progress }) {
    const id = String(payload.id);
    const [r] = await db.query<{ kind: ReferenceKind; filename: string; options: Record<string, string | undefined>; content_b64: string; regions_b64: string | null; status: string }>(
      `SELECT kind, filename, options, encode(content, 'base64') AS content_b64, encode(regions, 'base64') AS regions_b64, status FROM ind_reference_imports WHERE id = $1`,
      [id],
    );
    if (!r || r.status !== 'queued') return { skipped: r ? `already ${r.status}` : 'no such import' };
    const input: ReferenceInput = {
      kind: r.kind,
      file: Buffer.from(r.content_b64, 'base64'),
      regions: r.regions_b64 ? Buffer.from(r.regions_b64, 'base64') : undefined,
      country: r.options.country as Country | undefined,
      property: r.options.property,
      prefix: r.options.prefix,
      source: r.options.source ?? r.filename,
    };
    try {
      const result = await importReference(db, fromStored(payload.actor as StoredActor), input, { onProgress: progress });
      await finishReferenceImport(db, id, 'done', result, null);
      return { ok: true };
    } catch (err) {
      // A file that cannot be imported fails the same way every time: record why, do not retry.
      if (err instanceof FileFormatError) await finishReferenceImport(db, id, 'failed', null, { message: err.message, fields: [{ field: 'file', message: err.message }] });
      else if (err instanceof ValidationError) await finishReferenceImport(db, id, 'failed', null, { message: err.message, fields: err.fields.map((f) => ({ field: f.field, message: f.message })) });
      else if (err instanceof DomainError) await finishReferenceImport(db, id, 'failed', null, { message: err.message, fields: [] });
      else throw err;
      return { ok: false };
    }
  },
  async onGiveUp(db, job, reason) {
    await finishReferenceImport(db, String(job.payload.id), 'failed', null, { message: reason, fields: [] });
  },
});

/** Waits until a reference import has ended (tests and the CLI's waiting mode). */
export async function waitForReferenceImport(db: Database, id: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await latestJob(db, REFERENCE_JOB, id);
    if (!job || job.state === 'done' || job.state === 'failed') return;
    if (Date.now() > until) throw new Error(`Reference import ${id} still ${job.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
