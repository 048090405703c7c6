/**
 * Read side of imports: batches (what each import changed), uploads and saved mappings.
 */
import type { Executor } from '../../platform/db/index.js';
import { rawQuery } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import { pageWindow, type Page, type PageRequest } from '../../platform/paging.js';
import { isUuid } from '../../platform/text.js';

const ACTOR_NAME = `regexp_replace(actor_label, '\\s*<[^>]*>$', '') AS actor_label`;

export async function listBatches(db: Executor, limit = 50, offset = 0): Promise<{ id: string; created_at: string; actor_label: string; format: string; filename: string; rows_total: number; rows_inserted: number; rows_updated: number; rows_unchanged: number }[]> {
  return rawQuery(db, `SELECT id::text, created_at, ${ACTOR_NAME}, format, filename, rows_total, rows_inserted, rows_updated, rows_unchanged FROM ind_import_batches ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`, [limit, offset]);
}

export async function countBatches(db: Executor): Promise<number> {
  const [row] = await rawQuery<{ n: number | string }>(db, 'SELECT count(*) AS n FROM ind_import_batches');
  return Number(row?.n ?? 0);
}

export async function getBatch(db: Executor, id: string) {
  if (!/^\d{1,15}$/.test(id)) throw new NotFoundError('import batch', id);
  const [b] = await rawQuery<{ id: string; created_at: string; actor_label: string; format: string; source: string; filename: string; rows_total: number; rows_inserted: number; rows_updated: number; rows_unchanged: number }>(
    db,
    `SELECT id::text, created_at, ${ACTOR_NAME}, format, source, filename, rows_total, rows_inserted, rows_updated, rows_unchanged FROM ind_import_batches WHERE id = $1`,
    [id],
  );
  if (!b) throw new NotFoundError('import batch', id);
  return b;
}

export type Change = { indicator: string; area_key: string; period: string; breakdown: string; old_value: number | null; old_status: string; old_batch: string; new_value: number | null; new_status: string | null };

/** What a batch changed: each replaced value with the value the batch brought in. */
export async function batchChanges(db: Executor, batchId: string, limit = 500): Promise<Change[]> {
  return rawQuery<Change>(
    db,
    `SELECT i.code AS indicator, a.key AS area_key, h.period, h.breakdown, h.value AS old_value, h.status AS old_status, h.batch_id::text AS old_batch,
       COALESCE(o.value, h2.value) AS new_value, COALESCE(o.status, h2.status) AS new_status
     FROM ind_observation_history h
     JOIN ind_indicators i ON i.id = h.indicator_id JOIN areas a ON a.id = h.area_id
     LEFT JOIN ind_observations o ON o.indicator_id = h.indicator_id AND o.area_id = h.area_id AND o.period = h.period AND o.breakdown = h.breakdown AND o.batch_id = h.replaced_by
     LEFT JOIN ind_observation_history h2 ON h2.indicator_id = h.indicator_id AND h2.area_id = h.area_id AND h2.period = h.period AND h2.breakdown = h.breakdown AND h2.batch_id = h.replaced_by
     WHERE h.replaced_by = $1 ORDER BY i.code, a.key, h.period, h.breakdown LIMIT $2`,
    [batchId, limit],
  );
}

export async function getUpload(db: Executor, id: string) {
  if (!isUuid(id)) throw new NotFoundError('upload', id);
  const [u] = await rawQuery<{ id: string; user_id: string | null; filename: string; format: 'opensdg' | 'long' | 'jsonstat' | 'kolada'; content_b64: string; mapping: Record<string, unknown>; status: string; report: Record<string, unknown>; batch_id: string | null; created_at: string }>(
    db,
    `SELECT id, user_id, filename, format, encode(content, 'base64') AS content_b64, mapping, status, report, batch_id::text, created_at FROM ind_uploads WHERE id = $1`,
    [id],
  );
  if (!u) throw new NotFoundError('upload', id);
  return { ...u, content: Buffer.from(u.content_b64, 'base64') };
}

export async function listMappings(db: Executor, format: string): Promise<{ id: string; name: string; mapping: Record<string, unknown> }[]> {
  return rawQuery(db, `SELECT id, name, mapping FROM ind_mappings WHERE format = $1 ORDER BY name`, [format]);
}

export type SavedMapping = { id: string; name: string; format: string; created_by: string | null; created_at: string; mapping: Record<string, unknown> };

export async function listAllMappings(db: Executor): Promise<SavedMapping[]> {
  return rawQuery(db, `SELECT id, name, format, created_by, created_at, mapping FROM ind_mappings ORDER BY format, name`);
}

/** One page of the saved mappings, by format and name (the API's list). */
export async function pageMappings(db: Executor, q: PageRequest = {}): Promise<Page<SavedMapping>> {
  const w = pageWindow(q);
  const items = await rawQuery<SavedMapping>(db, `SELECT id, name, format, created_by, created_at, mapping FROM ind_mappings ORDER BY format, name, id LIMIT $1 OFFSET $2`, [w.pageSize, w.offset]);
  const [row] = await rawQuery<{ total: number }>(db, 'SELECT count(*)::int AS total FROM ind_mappings');
  return { items, page: w.page, pageSize: w.pageSize, total: row?.total ?? 0 };
}

export async function getMapping(db: Executor, id: string): Promise<SavedMapping> {
  if (!isUuid(id)) throw new NotFoundError('mapping', id);
  const [m] = await rawQuery<SavedMapping>(db, `SELECT id, name, format, created_by, created_at, mapping FROM ind_mappings WHERE id = $1`, [id]);
  if (!m) throw new NotFoundError('mapping', id);
  return m;
}
