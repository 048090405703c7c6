/**
 * The web import flow's use cases, shared by its pages: receive a file, check it with a mapping
 * (a dry run), commit it (a background job). Each checks the actor's permission inside.
 */
import type { Database } from '../../platform/db/index.js';
import type { Actor } from '../../platform/audit.js';
import { NotFoundError } from '../../platform/errors.js';
import { assertCanImport, canImport, canManageReferenceData } from '../indicators/index.js';
import { canUseUpload } from './policy.js';
import type { ImportFormat } from '../indicator-model/index.js';
import { FileFormatError, parseOpenSdgMeta } from './importers/index.js';
import { previewSafely } from './parse-pool.js';
import { batchChanges, getBatch, getUpload, listBatches, listMappings } from './queries.js';
import { createUpload, saveMapping, updateUpload } from './uploads.js';
import { importProgress, runUpload, startImport } from './jobs.js';

/** An upload its owner (or a platform admin) may see; anyone else is told it does not exist. */
export async function uploadFor(db: Database, actor: Actor, id: string) {
  assertCanImport(actor);
  const u = await getUpload(db.orm, id);
  if (!canUseUpload(actor, u)) throw new NotFoundError('upload', id);
  return u;
}

export type ImportsOverview = { batches: Awaited<ReturnType<typeof listBatches>>; allowed: boolean; canManageReference: boolean };

/** The imports page: what the actor may do there, and the recent batches. */
export async function importsOverview(db: Database, actor: Actor): Promise<ImportsOverview> {
  // Who imported what is shown to signed-in users only (by name; never their e-mail address).
  const batches = actor.userId ? await listBatches(db.orm, 30) : [];
  return { batches, allowed: canImport(actor), canManageReference: canManageReferenceData(actor) };
}

export type UploadView = {
  upload: Awaited<ReturnType<typeof getUpload>>;
  /** null when the file cannot be read (its report says why). */
  preview: Awaited<ReturnType<typeof previewSafely>> | null;
  saved: Awaited<ReturnType<typeof listMappings>>;
  /** Per cent done while the import runs. */
  progress: number;
};

/** An upload's page: the upload, its preview, the saved mappings of its format, its progress. */
export async function uploadView(db: Database, actor: Actor, id: string): Promise<UploadView> {
  const upload = await uploadFor(db, actor, id);
  const preview = await previewSafely({ format: upload.format, filename: upload.filename, buf: upload.content }).catch((err) => {
    if (err instanceof FileFormatError) return null;
    throw err;
  });
  const saved = await listMappings(db.orm, upload.format);
  const progress = upload.status === 'running' ? await importProgress(db, upload.id) : 0;
  return { upload, preview, saved, progress };
}

/** A batch and the values it replaced. */
export async function batchDetails(db: Database, id: string) {
  const batch = await getBatch(db.orm, id);
  return { batch, changes: await batchChanges(db.orm, batch.id) };
}

/**
 * Stores a file for the mapping step, with the mapping its preview guesses. An unreadable file, or
 * unreadable Open SDG metadata beside it, is a FileFormatError and nothing is stored.
 */
export async function receiveUpload(db: Database, actor: Actor, input: { format: ImportFormat; filename: string; content: Buffer; meta?: Buffer | null }): Promise<string> {
  assertCanImport(actor);
  // Workbooks and large files are read in a worker with heap and time limits (parse-pool.ts).
  const preview = await previewSafely({ format: input.format, filename: input.filename, buf: input.content });
  const mapping: Record<string, unknown> = preview.kind === 'kolada' ? {} : { ...(preview.mapping as unknown as Record<string, unknown>) };
  if (input.meta && input.meta.length) {
    // Open SDG metadata travels with the upload and names the indicator, its definition and SDG target.
    parseOpenSdgMeta(input.meta.toString('utf8'), typeof mapping.indicator === 'string' ? mapping.indicator : undefined);
    mapping.meta = input.meta.toString('utf8').slice(0, 200_000);
  }
  return createUpload(db, actor, { filename: input.filename, format: input.format, content: input.content, mapping });
}

/**
 * Checks an upload with a mapping (one chosen from the saved ones, or the one given), optionally
 * saving that mapping under a name, and records the dry run's report. A running or finished
 * upload is left as it is.
 */
export async function checkUpload(db: Database, actor: Actor, id: string, input: { mapping: Record<string, unknown>; savedMappingId?: string | undefined; saveAs?: string | undefined }): Promise<string> {
  const u = await uploadFor(db, actor, id);
  if (u.status === 'running' || u.status === 'done') return u.id;
  // The Open SDG metadata that came with the file stays with it whatever the columns are mapped to,
  // also when a saved mapping is chosen: metadata is the file's content, not its shape.
  const ownMeta = typeof u.mapping.meta === 'string' ? { meta: u.mapping.meta } : {};
  let mapping = { ...input.mapping, ...ownMeta };
  if (input.savedMappingId) {
    const s = (await listMappings(db.orm, u.format)).find((m) => m.id === input.savedMappingId);
    const { meta: _theirs, ...shape } = s ? s.mapping : u.mapping;
    mapping = { ...shape, ...ownMeta };
  }
  if (input.saveAs?.trim()) {
    // Saved without the metadata, which belongs to this file only.
    const { meta: _mine, ...shape } = mapping;
    await saveMapping(db, actor, { name: input.saveAs.trim().slice(0, 200), format: u.format, mapping: shape });
  }
  await updateUpload(db, u.id, { mapping });
  const report = await runUpload(db, actor, u.id, true);
  await updateUpload(db, u.id, { status: report.ok ? 'checked' : 'failed', report });
  return u.id;
}

/** Queues the import of an upload whose check passed; anything else is left as it is. */
export async function commitUpload(db: Database, actor: Actor, id: string): Promise<string> {
  const u = await uploadFor(db, actor, id);
  if (u.status === 'checked') await startImport(db, actor, u.id);
  return u.id;
}
