/**
 * Uploaded documents of a plan: the only code that writes plan_files. Each upload is checked by
 * the platform's storage (size, content by its bytes against its name) before anything is
 * written; a draft plan's files are read only by those who may see the draft, to everyone else
 * they do not exist (404), as the plan does not.
 */
import { and, asc, count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit, type Actor } from '../../platform/audit.js';
import type { Database, Executor } from '../../platform/db/index.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { pageWindow, type Page, type PageRequest } from '../../platform/paging.js';
import { inspectUpload, type FileStorage } from '../../platform/storage/index.js';
import { isUuid } from '../../platform/text.js';
import type { UploadedFile } from '../../web/multipart.js';
import { parseInput, reqText } from './inputs.js';
import { assertCanManage } from './policy.js';
import { planFiles, type PlanFileRow } from './schema.js';
import { getPlan } from './service.js';

export const PlanFileInput = z.object({ title: reqText(300) });

const UPLOAD_REASONS: Record<string, string> = {
  empty: 'The file is empty',
  too_large: 'The file is too large',
  type_not_allowed: 'This type of file is not accepted (use PDF, office documents, images or plain text)',
  extension_mismatch: 'The file’s content does not match its name',
  bad_name: 'The file name is not usable',
};

/** The files of a plan the actor may see (none of a draft they may not see: NotFoundError). */
export async function listPlanFiles(db: Executor, actor: Actor, planId: string): Promise<PlanFileRow[]> {
  const plan = await getPlan(db, actor, planId);
  return db.select().from(planFiles).where(eq(planFiles.planId, plan.id)).orderBy(asc(planFiles.createdAt), asc(planFiles.id));
}

/** One page of a plan's files (the API's list); a draft plan the actor may not see is NotFoundError. */
export async function pagePlanFiles(db: Executor, actor: Actor, planId: string, q: PageRequest = {}): Promise<Page<PlanFileRow>> {
  const plan = await getPlan(db, actor, planId);
  const w = pageWindow(q);
  const where = eq(planFiles.planId, plan.id);
  const items = await db.select().from(planFiles).where(where).orderBy(asc(planFiles.createdAt), asc(planFiles.id)).limit(w.pageSize).offset(w.offset);
  const [{ total }] = (await db.select({ total: count() }).from(planFiles).where(where)) as [{ total: number }];
  return { items, page: w.page, pageSize: w.pageSize, total };
}

export async function addPlanFile(db: Database, storage: FileStorage, actor: Actor, planId: string, raw: unknown, file: UploadedFile | null, maxBytes: number): Promise<PlanFileRow> {
  const plan = await getPlan(db.orm, actor, planId);
  await assertCanManage(db.orm, actor, plan.organisationId);
  const errors: { field: string; message: string }[] = [];
  let title = '';
  try {
    title = parseInput(PlanFileInput, raw).title;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    errors.push(...err.fields);
  }
  const up = file && file.data.byteLength > 0 ? await inspectUpload(file.data, file.fileName, maxBytes) : null;
  if (!up) errors.push({ field: 'file', message: 'Choose a file' });
  else if (!up.ok) errors.push({ field: 'file', message: UPLOAD_REASONS[up.reason] ?? up.reason });
  if (errors.length || !up || !up.ok) throw new ValidationError(errors);
  return db.orm.transaction(async (tx) => {
    // Checked again inside the transaction: the plan may have changed hands meanwhile.
    const current = await getPlan(tx, actor, planId);
    await assertCanManage(tx, actor, current.organisationId);
    const [row] = await tx.insert(planFiles).values({ planId: current.id, title, fileName: up.fileName, mimeType: up.mime, sizeBytes: up.size, sha512: up.sha512, storageKey: up.key }).returning();
    await recordAudit(tx, actor, { action: 'plan.file.add', entityType: 'plan', entityId: current.id, organisationId: current.state === 'draft' ? null : current.organisationId, summary: title });
    // Written inside the transaction: if storing fails, the row is rolled back with it.
    await storage.put(up.key, up.data);
    return row!;
  });
}

export async function removePlanFile(db: Database, storage: FileStorage, actor: Actor, planId: string, fileId: string): Promise<void> {
  const key = await db.orm.transaction(async (tx) => {
    const plan = await getPlan(tx, actor, planId);
    await assertCanManage(tx, actor, plan.organisationId);
    if (!isUuid(fileId)) throw new NotFoundError('file', fileId);
    const [f] = await tx.delete(planFiles).where(and(eq(planFiles.id, fileId), eq(planFiles.planId, plan.id))).returning();
    if (!f) throw new NotFoundError('file', fileId);
    await recordAudit(tx, actor, { action: 'plan.file.remove', entityType: 'plan', entityId: plan.id, organisationId: plan.state === 'draft' ? null : plan.organisationId, summary: f.title });
    return f.storageKey;
  });
  // After the commit: a failed delete leaves an orphan blob, never a row without its bytes.
  await storage.delete(key);
}

export async function planFileForDownload(db: Executor, actor: Actor, planId: string, fileId: string): Promise<PlanFileRow> {
  const plan = await getPlan(db, actor, planId);
  if (!isUuid(fileId)) throw new NotFoundError('file', fileId);
  const [f] = await db.select().from(planFiles).where(and(eq(planFiles.id, fileId), eq(planFiles.planId, plan.id))).limit(1);
  if (!f) throw new NotFoundError('file', fileId);
  return f;
}
