import { and, count, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import { diff, recordAudit } from '../../platform/audit.js';
import { readAll, type Database, type Executor } from '../../platform/db/index.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { indexSearchDoc, removeSearchDoc, type SearchDoc } from '../../platform/search-index.js';
import { isUuid } from '../../platform/text.js';
import { inspectUpload, type FileStorage } from '../../platform/storage/index.js';
import { directory } from '../directory/index.js';
import { indicatorEvidence, latestPopulationSql, type Evidence } from '../indicators/index.js';
import { AdoptionInput, parseInput, PracticeInput, ReviewInput } from './inputs.js';
import { assertCanManage, canManageAny, requireSignedIn } from './policy.js';
import { practiceAdoptions, practiceFiles, practiceIndicators, practiceOrganisations, practices, SIZE_BOUNDS, type AdoptionRow, type MunicipalitySize, type PracticeFileRow, type PracticeRow } from './schema.js';

/*
 * Good practices. The organisations behind a practice submit it; the editors of the
 * network named as reviewer take it in review, return it with a note, or publish it.
 * Only published practices are public and indexed. Other organisations record that
 * they adopted a published practice. Every write: one transaction, audit, index.
 */

export async function getPracticeRow(db: Executor, id: string): Promise<PracticeRow> {
  if (!isUuid(id)) throw new NotFoundError('practice', id);
  const [row] = await db.select().from(practices).where(eq(practices.id, id)).limit(1);
  if (!row) throw new NotFoundError('practice', id);
  return row;
}

export async function practiceOrgIds(db: Executor, id: string): Promise<string[]> {
  return (await db.select({ id: practiceOrganisations.organisationId }).from(practiceOrganisations).where(eq(practiceOrganisations.practiceId, id)).orderBy(asc(practiceOrganisations.position))).map((r) => r.id);
}

export const practiceText = (p: PracticeRow) => [p.startingPoint, p.whatWasDone, p.whoWasInvolved, p.resources, p.results, p.keyFigures, p.lessons, p.transfer, p.contacts, ...p.themes].filter(Boolean).join('\n');

export async function practiceSearchDoc(tx: Executor, p: PracticeRow): Promise<SearchDoc> {
  const orgIds = await practiceOrgIds(tx, p.id);
  const files = await listPracticeFiles(tx, p.id);
  const names: string[] = files.map((f) => `${f.title}. ${f.extractedText ?? ''}`);
  for (const id of orgIds) names.push((await directory.getOrganisation(tx, id).catch(() => null))?.name ?? '');
  return {
    type: 'practice',
    id: p.id,
    title: p.title,
    body: [practiceText(p), ...names].join('\n'),
    lang: p.lang,
    url: `/practices/${p.id}`,
    organisationIds: orgIds,
    sdgGoals: [...new Set(p.sdgTargets.map((t) => Number(t.split('.')[0])).filter((n) => n >= 1 && n <= 17))],
    year: p.periodStart,
  };
}

async function syncIndex(tx: Executor, p: PracticeRow) {
  if (p.status === 'published') await indexSearchDoc(tx, await practiceSearchDoc(tx, p));
  else await removeSearchDoc(tx, 'practice', p.id);
}

/** Submits a new practice (id null) or changes one; a change by its authors sends it back for review. */
export async function savePractice(db: Database, actor: Actor, id: string | null, raw: unknown): Promise<PracticeRow> {
  const input = parseInput(PracticeInput, raw);
  return db.orm.transaction(async (tx) => {
    const before = id ? await getPracticeRow(tx, id) : null;
    const beforeOrgs = before ? await practiceOrgIds(tx, before.id) : [];
    const isReviewer = before ? await canManageAny(tx, actor, [before.reviewerOrgId]) : false;
    if (before && !isReviewer) await assertCanManage(tx, actor, beforeOrgs, 'this practice');
    requireSignedIn(actor);
    if (!before && !(await canManageAny(tx, actor, input.organisationIds))) throw new ForbiddenError('Only editors of an organisation behind the practice can submit it.');
    const orgs = [];
    for (const o of input.organisationIds) {
      const org = await directory.getOrganisation(tx, o).catch(() => null);
      if (!org) throw new ValidationError([{ field: 'organisationIds', message: 'No such organisation' }]);
      orgs.push(org);
    }
    const reviewer = await directory.getOrganisation(tx, input.reviewerOrgId).catch(() => {
      throw new ValidationError([{ field: 'reviewerOrgId', message: 'No such organisation' }]);
    });
    // Only a network reviews (as the form offers): naming their own municipality would let its editors
    // publish their own practice unreviewed. A reviewer kept from before is left as it is.
    if (reviewer.kind !== 'network' && reviewer.id !== before?.reviewerOrgId) throw new ValidationError([{ field: 'reviewerOrgId', message: 'Choose the network that reviews it' }]);
    const lead = orgs.find((o) => o.areaId) ?? null;
    const area = lead?.areaId ? await directory.getAreaById(tx, lead.areaId) : null;
    const { organisationIds: _o, indicators, ...fields } = input;
    const values = { ...fields, areaId: area?.id ?? null, country: area?.country ?? null };
    let row: PracticeRow;
    if (before) {
      const status = isReviewer ? before.status : 'submitted';
      [row] = (await tx.update(practices).set({ ...values, status, updatedAt: new Date() }).where(eq(practices.id, before.id)).returning()) as [PracticeRow];
      await tx.delete(practiceOrganisations).where(eq(practiceOrganisations.practiceId, row.id));
      await tx.delete(practiceIndicators).where(eq(practiceIndicators.practiceId, row.id));
      await recordAudit(tx, actor, { action: 'practice.update', entityType: 'practice', entityId: row.id, organisationId: input.organisationIds[0]!, summary: row.title, changes: diff(before as unknown as Record<string, unknown>, { ...values, status }) });
    } else {
      [row] = (await tx.insert(practices).values({ ...values, status: 'submitted' }).returning()) as [PracticeRow];
      await recordAudit(tx, actor, { action: 'practice.submit', entityType: 'practice', entityId: row.id, organisationId: input.organisationIds[0]!, summary: row.title });
    }
    await tx.insert(practiceOrganisations).values(input.organisationIds.map((organisationId, position) => ({ practiceId: row.id, organisationId, position })));
    const seen = new Set<string>();
    const inds = indicators.filter((i) => !seen.has(i.code) && seen.add(i.code));
    if (inds.length) await tx.insert(practiceIndicators).values(inds.map((i, position) => ({ practiceId: row.id, indicatorCode: i.code, comparisonGroup: i.group, position })));
    await syncIndex(tx, row);
    return row;
  });
}

export async function reviewPractice(db: Database, actor: Actor, id: string, raw: unknown): Promise<PracticeRow> {
  const input = parseInput(ReviewInput, raw);
  return db.orm.transaction(async (tx) => {
    const before = await getPracticeRow(tx, id);
    requireSignedIn(actor);
    if (!(await canManageAny(tx, actor, [before.reviewerOrgId]))) throw new ForbiddenError('Only the reviewing network’s editors can review this practice.');
    const status = input.decision === 'publish' ? 'published' : input.decision === 'return' ? 'returned' : 'in_review';
    if (input.decision === 'return' && !input.note) throw new ValidationError([{ field: 'note', message: 'Say what should change before it can be published' }]);
    const set = { status: status as PracticeRow['status'], reviewNote: input.note, publishedAt: status === 'published' ? (before.publishedAt ?? new Date()) : before.publishedAt };
    const [row] = (await tx.update(practices).set({ ...set, updatedAt: new Date() }).where(eq(practices.id, before.id)).returning()) as [PracticeRow];
    await recordAudit(tx, actor, { action: `practice.${input.decision}`, entityType: 'practice', entityId: row.id, organisationId: before.reviewerOrgId, summary: row.title, changes: diff(before as unknown as Record<string, unknown>, set) });
    await syncIndex(tx, row);
    return row;
  });
}

export const listPracticeFiles = (db: Executor, id: string) =>
  db.select().from(practiceFiles).where(and(eq(practiceFiles.practiceId, id), isNull(practiceFiles.deletedAt))).orderBy(asc(practiceFiles.createdAt));

/** Authors and reviewers may attach files (content-checked); permission before the bytes are looked at. */
async function assertCanChange(tx: Executor, actor: Actor, p: PracticeRow) {
  requireSignedIn(actor);
  if (await canManageAny(tx, actor, [p.reviewerOrgId])) return;
  await assertCanManage(tx, actor, await practiceOrgIds(tx, p.id), 'this practice');
}

export async function addPracticeFile(db: Database, storage: FileStorage, actor: Actor, id: string, upload: { data: Uint8Array; fileName: string } | null, title: string | null, maxBytes: number): Promise<PracticeFileRow> {
  await db.orm.transaction(async (tx) => assertCanChange(tx, actor, await getPracticeRow(tx, id)));
  if (!upload) throw new ValidationError([{ field: 'file', message: 'Choose a file' }]);
  const checked = await inspectUpload(upload.data, upload.fileName, maxBytes);
  if (!checked.ok) throw new ValidationError([{ field: 'file', message: checked.reason === 'too_large' ? 'The file is too large' : 'This type of file is not accepted (PDF, Office, OpenDocument, images, CSV or text)' }]);
  let wrote = false;
  try {
    return await db.orm.transaction(async (tx) => {
      const p = await getPracticeRow(tx, id);
      await assertCanChange(tx, actor, p);
      const [row] = (await tx
        .insert(practiceFiles)
        .values({ practiceId: p.id, title: (title ?? '').trim().slice(0, 300) || checked.fileName, fileName: checked.fileName, mimeType: checked.mime, sizeBytes: checked.size, storageKey: checked.key, extractedText: checked.text })
        .returning()) as [PracticeFileRow];
      await recordAudit(tx, actor, { action: 'practice.file.add', entityType: 'practice_file', entityId: row.id, organisationId: p.reviewerOrgId, summary: `${p.title}: ${row.fileName}`, changes: { sha512: checked.sha512, size: checked.size } });
      await syncIndex(tx, p);
      await storage.put(checked.key, checked.data);
      wrote = true;
      return row;
    });
  } catch (err) {
    if (wrote) await storage.delete(checked.key).catch(() => {});
    throw err;
  }
}

export async function deletePracticeFile(db: Database, actor: Actor, id: string, fileId: string): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const p = await getPracticeRow(tx, id);
    await assertCanChange(tx, actor, p);
    if (!isUuid(fileId)) throw new NotFoundError('file', fileId);
    const [f] = await tx.select().from(practiceFiles).where(and(eq(practiceFiles.id, fileId), eq(practiceFiles.practiceId, p.id), isNull(practiceFiles.deletedAt)));
    if (!f) throw new NotFoundError('file', fileId);
    await tx.update(practiceFiles).set({ deletedAt: new Date(), extractedText: null }).where(eq(practiceFiles.id, f.id));
    await recordAudit(tx, actor, { action: 'practice.file.delete', entityType: 'practice_file', entityId: f.id, organisationId: p.reviewerOrgId, summary: `${p.title}: ${f.fileName}` });
    await syncIndex(tx, p);
  });
}

export async function practiceFileForDownload(db: Executor, actor: Actor, id: string, fileId: string): Promise<PracticeFileRow> {
  await practiceForReader(db, actor, id);
  if (!isUuid(fileId)) throw new NotFoundError('file', fileId);
  const [f] = await db.select().from(practiceFiles).where(and(eq(practiceFiles.id, fileId), eq(practiceFiles.practiceId, id), isNull(practiceFiles.deletedAt)));
  if (!f) throw new NotFoundError('file', fileId);
  return f;
}

export async function adoptPractice(db: Database, actor: Actor, id: string, raw: unknown): Promise<AdoptionRow> {
  const input = parseInput(AdoptionInput, raw);
  return db.orm.transaction(async (tx) => {
    const p = await getPracticeRow(tx, id);
    if (p.status !== 'published') throw new NotFoundError('practice', id);
    await assertCanManage(tx, actor, [input.organisationId], 'that organisation');
    const [dup] = await tx.select({ id: practiceAdoptions.id }).from(practiceAdoptions).where(and(eq(practiceAdoptions.practiceId, p.id), eq(practiceAdoptions.organisationId, input.organisationId)));
    if (dup) throw new ConflictError('This organisation has already recorded that it adopted the practice.', 'already_adopted', 'organisationId');
    const [row] = (await tx.insert(practiceAdoptions).values({ practiceId: p.id, ...input }).returning()) as [AdoptionRow];
    await recordAudit(tx, actor, { action: 'practice.adopt', entityType: 'practice', entityId: p.id, organisationId: input.organisationId, summary: p.title });
    return row;
  });
}

// --- Reads ---------------------------------------------------------------------

export type EvidenceRow = { code: string; group: string | null; evidence: Evidence | null };
export type PracticeView = {
  practice: PracticeRow;
  organisations: { id: string; slug: string; name: string }[];
  reviewer: { id: string; slug: string; name: string } | null;
  area: { key: string; name: string } | null;
  adoptions: (AdoptionRow & { organisation: { slug: string; name: string } | null })[];
  evidence: EvidenceRow[];
  files: PracticeFileRow[];
  canEdit: boolean;
  canReview: boolean;
};

export async function practiceForReader(db: Executor, actor: Actor, id: string): Promise<PracticeView> {
  const p = await getPracticeRow(db, id);
  const orgIds = await practiceOrgIds(db, p.id);
  const canEdit = await canManageAny(db, actor, orgIds);
  const canReview = await canManageAny(db, actor, [p.reviewerOrgId]);
  if (p.status !== 'published' && !canEdit && !canReview) throw new NotFoundError('practice', id);
  const ref = async (oid: string) => {
    const o = await directory.getOrganisation(db, oid).catch(() => null);
    return o ? { id: o.id, slug: o.slug, name: o.name } : null;
  };
  const organisations = (await readAll(db, orgIds.map((id) => () => ref(id)))).filter((o): o is NonNullable<typeof o> => !!o);
  const adoptions = await db.select().from(practiceAdoptions).where(eq(practiceAdoptions.practiceId, p.id)).orderBy(asc(practiceAdoptions.createdAt));
  const area = p.areaId ? await directory.getAreaById(db, p.areaId) : null;
  const inds = await db.select().from(practiceIndicators).where(eq(practiceIndicators.practiceId, p.id)).orderBy(asc(practiceIndicators.position));
  const evidence: EvidenceRow[] = [];
  for (const i of inds) {
    const ev = p.areaId && p.periodStart ? await indicatorEvidence(db, { indicatorCode: i.indicatorCode, areaId: p.areaId, fromYear: p.periodStart, group: i.comparisonGroup }) : null;
    evidence.push({ code: i.indicatorCode, group: i.comparisonGroup, evidence: ev });
  }
  return {
    practice: p,
    organisations,
    reviewer: await ref(p.reviewerOrgId),
    area: area ? { key: area.key, name: area.name } : null,
    adoptions: await readAll(db, adoptions.map((a) => async () => ({ ...a, organisation: await ref(a.organisationId) }))),
    evidence,
    files: await listPracticeFiles(db, p.id),
    canEdit,
    canReview,
  };
}

export async function practiceIndicatorLines(db: Executor, id: string): Promise<string> {
  const inds = await db.select().from(practiceIndicators).where(eq(practiceIndicators.practiceId, id)).orderBy(asc(practiceIndicators.position));
  return inds.map((i) => [i.indicatorCode, i.comparisonGroup].filter(Boolean).join(' ')).join('\n');
}

export async function listPractices(
  db: Executor,
  q: { sdg?: number | null; theme?: string | null; country?: string | null; size?: MunicipalitySize | null; page?: number; pageSize?: number } = {},
): Promise<{ items: PracticeRow[]; hasMore: boolean; page: number; pageSize: number; total: number }> {
  const page = Math.max(1, q.page ?? 1);
  const size = Math.min(200, Math.max(1, q.pageSize ?? 20));
  const conds: SQL[] = [eq(practices.status, 'published')];
  if (q.sdg) conds.push(sql`EXISTS (SELECT 1 FROM unnest(${practices.sdgTargets}) t WHERE split_part(t, '.', 1) = ${String(q.sdg)})`);
  if (q.theme) conds.push(sql`${q.theme} = ANY(${practices.themes})`);
  if (q.country) conds.push(eq(practices.country, q.country));
  if (q.size) {
    // The practice's municipality (its area) by its latest imported population; none imported: no band.
    const [lo, hi] = SIZE_BOUNDS[q.size];
    const pop = latestPopulationSql(sql`${practices.areaId}`);
    conds.push(hi === null ? sql`${pop} >= ${lo}` : sql`${pop} >= ${lo} AND ${pop} < ${hi}`);
  }
  const rows = await db.select().from(practices).where(and(...conds)).orderBy(desc(practices.publishedAt), desc(practices.id)).limit(size + 1).offset((page - 1) * size);
  const [{ total }] = (await db.select({ total: count() }).from(practices).where(and(...conds))) as [{ total: number }];
  return { items: rows.slice(0, size), hasMore: rows.length > size, page, pageSize: size, total };
}

/**
 * Practices waiting for this actor: to review (as network editor) or returned to them, oldest change
 * first. The permission is in the WHERE, so that the cap (200) counts this reader's practices only,
 * not everyone's.
 */
export async function practicesWaitingFor(db: Executor, actor: Actor): Promise<PracticeRow[]> {
  if (!actor.userId && !actor.isPlatformAdmin) return [];
  const behind = db.select({ id: practiceOrganisations.practiceId }).from(practiceOrganisations).where(directory.canManageSql(actor, practiceOrganisations.organisationId));
  return db
    .select()
    .from(practices)
    .where(and(inArray(practices.status, ['submitted', 'in_review', 'returned']), or(directory.canManageSql(actor, practices.reviewerOrgId), inArray(practices.id, behind))))
    .orderBy(asc(practices.updatedAt), asc(practices.id))
    .limit(200);
}

export async function allThemes(db: Executor): Promise<string[]> {
  const rows = (await db.execute(sql`SELECT DISTINCT unnest(themes) AS t FROM knowledge_practices WHERE status = 'published' ORDER BY 1`)) as unknown as { rows?: { t: string }[] } | { t: string }[];
  const list = Array.isArray(rows) ? rows : (rows.rows ?? []);
  return list.map((r) => r.t);
}

export async function allPublishedPractices(db: Executor): Promise<PracticeRow[]> {
  return db.select().from(practices).where(eq(practices.status, 'published'));
}
