/**
 * Uploads and saved mappings: the web import flow's own records (ind_uploads, ind_mappings).
 * Each write is one use case that checks its permission inside and writes its audit row in its transaction.
 */
import { z } from 'zod';
import type { Database, Executor } from '../../platform/db/index.js';
import { rawQuery } from '../../platform/db/index.js';
import { recordAudit, type Actor } from '../../platform/audit.js';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { isUuid } from '../../platform/text.js';
import type { UploadedFile } from '../../web/multipart.js';
import { assertCanChangeMapping, canChangeMapping } from './policy.js';

export async function createUpload(db: Database, actor: Actor, input: { filename: string; format: 'opensdg' | 'long' | 'jsonstat' | 'kolada'; content: Buffer; mapping: Record<string, unknown> }): Promise<string> {
  return db.orm.transaction(async (tx) => {
    const [row] = await rawQuery<{ id: string }>(
      tx,
      `INSERT INTO ind_uploads (user_id, filename, format, content, mapping) VALUES ($1, $2, $3, decode($4, 'base64'), $5::jsonb) RETURNING id`,
      [actor.userId, input.filename.slice(0, 200), input.format, input.content.toString('base64'), JSON.stringify(input.mapping)],
    );
    await recordAudit(tx, actor, { action: 'indicators.upload', entityType: 'upload', entityId: row!.id, summary: input.filename });
    return row!.id;
  });
}

export async function updateUpload(db: Database, id: string, set: { mapping?: Record<string, unknown>; status?: string; report?: unknown; batchId?: number | null }) {
  await db.query(
    `UPDATE ind_uploads SET mapping = COALESCE($2::jsonb, mapping), status = COALESCE($3, status), report = COALESCE($4::jsonb, report),
       batch_id = COALESCE($5, batch_id), updated_at = now() WHERE id = $1`,
    [id, set.mapping ? JSON.stringify(set.mapping) : null, set.status ?? null, set.report === undefined ? null : JSON.stringify(set.report), set.batchId ?? null],
  );
}

export async function saveMapping(db: Database, actor: Actor, input: { name: string; format: string; mapping: Record<string, unknown> }) {
  return db.orm.transaction(async (tx) => {
    // Saving under a taken name replaces that mapping, which everyone who imports may pick: only
    // for whoever may change it (policy.ts), as renaming and deleting are.
    const [taken] = await rawQuery<{ id: string; created_by: string | null }>(tx, 'SELECT id, created_by FROM ind_mappings WHERE format = $1 AND name = $2 FOR UPDATE', [input.format, input.name]);
    if (taken && !canChangeMapping(actor, taken)) throw new ConflictError(`Another ${input.format} mapping is called “${input.name}”; save this one under another name.`, 'mapping_name_taken', 'saveAs');
    const [row] = await rawQuery<{ id: string }>(
      tx,
      `INSERT INTO ind_mappings (name, format, mapping, created_by) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (format, name) DO UPDATE SET mapping = excluded.mapping RETURNING id`,
      [input.name, input.format, JSON.stringify(input.mapping), actor.userId],
    );
    await recordAudit(tx, actor, { action: 'indicators.mapping.save', entityType: 'mapping', entityId: row!.id, summary: input.name });
    return row!.id;
  });
}

const MappingName = z.string().trim().min(1).max(200);

async function mappingForChange(tx: Executor, actor: Actor, id: string) {
  const [m] = isUuid(id) ? await rawQuery<{ id: string; name: string; format: string; created_by: string | null }>(tx, 'SELECT id, name, format, created_by FROM ind_mappings WHERE id = $1', [id]) : [];
  if (!m) throw new NotFoundError('mapping', id);
  assertCanChangeMapping(actor, m);
  return m;
}

/** Renames a saved mapping; another mapping of the same format with that name is a conflict. */
export async function renameMapping(db: Database, actor: Actor, id: string, name: string): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const m = await mappingForChange(tx, actor, id);
    const parsed = MappingName.safeParse(name);
    if (!parsed.success) throw new ValidationError([{ field: 'name', message: parsed.error.issues[0]!.message }]);
    if (m.name === parsed.data) return;
    const [clash] = await rawQuery<{ id: string }>(tx, 'SELECT id FROM ind_mappings WHERE format = $1 AND name = $2 AND id <> $3', [m.format, parsed.data, m.id]);
    if (clash) throw new ConflictError(`Another ${m.format} mapping is called “${parsed.data}”.`, 'mapping_name_taken', 'name');
    await rawQuery(tx, 'UPDATE ind_mappings SET name = $2 WHERE id = $1', [m.id, parsed.data]);
    await recordAudit(tx, actor, { action: 'indicators.mapping.rename', entityType: 'mapping', entityId: m.id, changes: { name: { from: m.name, to: parsed.data } } });
  });
}

export async function deleteMapping(db: Database, actor: Actor, id: string): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const m = await mappingForChange(tx, actor, id);
    await rawQuery(tx, 'DELETE FROM ind_mappings WHERE id = $1', [m.id]);
    await recordAudit(tx, actor, { action: 'indicators.mapping.delete', entityType: 'mapping', entityId: m.id, summary: `${m.format}: ${m.name}` });
  });
}

/** An uploaded file's bytes as a Buffer, without copying them. */
export const bufferOf = (f: UploadedFile): Buffer => Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength);
