import { createHash } from 'node:crypto';
import { and, count, desc, eq, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import { diff, publicActorName, recordAudit } from '../../platform/audit.js';
import type { Database, Executor, Tx } from '../../platform/db/index.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { indexSearchDoc, removeSearchDoc, type SearchDoc } from '../../platform/search-index.js';
import { inspectUpload, type AcceptedUpload, type FileStorage } from '../../platform/storage/index.js';
import { isUuid } from '../../platform/text.js';
import { directory } from '../directory/index.js';
import { NewsImageInput, NewsInput, parseInput, PublishInput } from './inputs.js';
import { assertCanManage, canManageAny, requireSignedIn } from './policy.js';
import { richTextToPlain, sanitizeRichText } from '../../web/richtext.js';
import { news, type NewsRow } from './schema.js';

/*
 * News: every write is one transaction with its audit row and its search document.
 * Drafts are never indexed; publishing indexes the article, withdrawing or deleting
 * removes it. An image is stored only with a text alternative.
 */

export type Upload = { data: Uint8Array; fileName: string };

/**
 * Changes to an article: its organisation's admins and editors only. A draft is not found by anyone
 * else, as on its page: a 403 would tell an outsider that a draft with this id exists.
 */
async function assertCanManageArticle(db: Executor, actor: Actor, row: NewsRow): Promise<void> {
  requireSignedIn(actor);
  if (await canManageAny(db, actor, [row.organisationId])) return;
  if (row.status !== 'published') throw new NotFoundError('news', row.id);
  throw new ForbiddenError('Only the organisation’s admins and editors can change this article.');
}

export async function getNewsRow(db: Executor, id: string): Promise<NewsRow> {
  if (!isUuid(id)) throw new NotFoundError('news', id);
  const [row] = await db.select().from(news).where(and(eq(news.id, id), isNull(news.deletedAt))).limit(1);
  if (!row) throw new NotFoundError('news', id);
  return row;
}

export const newsSearchDoc = (n: NewsRow): SearchDoc => ({
  type: 'news',
  id: n.id,
  title: n.title,
  body: [n.lead, richTextToPlain(n.body), n.authorName, ...n.topics].filter(Boolean).join('\n'),
  lang: n.lang,
  url: `/news/${n.id}`,
  organisationIds: [n.organisationId],
  sdgGoals: n.sdgGoals,
  year: n.publishedAt ? n.publishedAt.getUTCFullYear() : null,
});

async function syncIndex(tx: Executor, n: NewsRow) {
  if (n.status === 'published' && !n.deletedAt) await indexSearchDoc(tx, newsSearchDoc(n));
  else await removeSearchDoc(tx, 'news', n.id);
}

async function checkImage(upload: Upload | null, maxBytes: number): Promise<AcceptedUpload | null> {
  if (!upload) return null;
  const checked = await inspectUpload(upload.data, upload.fileName, maxBytes);
  if (!checked.ok || (checked.kind !== 'png' && checked.kind !== 'jpeg')) {
    throw new ValidationError([{ field: 'image', message: checked.ok ? 'An image must be PNG or JPEG' : checked.reason === 'too_large' ? 'The image is too large' : 'An image must be PNG or JPEG' }]);
  }
  return checked;
}

/**
 * An article's image columns after a change (a new upload, a removal, or neither: the image is kept),
 * checked: an image only with its text alternative, and only PNG or JPEG within the size limit.
 * Returns the columns to set and the accepted upload, whose bytes `writeWithImage` stores.
 */
async function imageColumns(before: NewsRow | null, change: { upload: Upload | null; removeImage: boolean; alt: string | null }, maxBytes: number) {
  const keepsImage = !!before?.imageKey && !change.removeImage;
  if ((change.upload || keepsImage) && !change.alt) throw new ValidationError([{ field: 'imageAlt', message: 'Describe the image for readers who cannot see it' }]);
  const checked = await checkImage(change.upload, maxBytes);
  const values = {
    imageAlt: change.upload || keepsImage ? change.alt : null,
    ...(checked ? { imageKey: checked.key, imageMime: checked.mime } : change.removeImage ? { imageKey: null, imageMime: null } : {}),
  };
  return { values, checked };
}

/**
 * One transaction that may store an image. `storeImage` writes the bytes, called last, once the row is
 * in place; if the transaction then fails (or its commit does), the bytes are removed again, so a
 * rollback leaves no file behind. The bytes of an image the row no longer points to (replaced or
 * removed) are deleted only after the commit, so a rollback still finds them.
 */
async function writeWithImage(db: Database, storage: FileStorage, work: (tx: Tx, storeImage: (checked: AcceptedUpload | null) => Promise<void>) => Promise<{ row: NewsRow; before: NewsRow | null }>): Promise<NewsRow> {
  let written: string | null = null;
  const storeImage = async (checked: AcceptedUpload | null) => {
    if (!checked) return;
    await storage.put(checked.key, checked.data);
    written = checked.key;
  };
  let done: { row: NewsRow; before: NewsRow | null };
  try {
    done = await db.orm.transaction((tx) => work(tx, storeImage));
  } catch (err) {
    // The row is gone with the rollback; so must be the bytes written for it.
    if (written) await storage.delete(written).catch(() => {});
    throw err;
  }
  const stale = done.before?.imageKey;
  // Keys are fresh per upload (storage.inspectUpload), so no other row points to the old bytes.
  if (stale && stale !== done.row.imageKey) await storage.delete(stale).catch(() => {});
  return done.row;
}

/** The address of an article's image, changing with the image so that a replaced one is not served from a cache. */
export function newsImageUrl(n: { id: string; imageKey: string | null }): string | null {
  return n.imageKey ? `/news/${n.id}/image?v=${createHash('sha256').update(n.imageKey).digest('hex').slice(0, 12)}` : null;
}

/** Creates (id null) or updates an article, with an optional new image. Returns the row. */
export async function saveNews(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  id: string | null,
  raw: unknown,
  opts: { upload?: Upload | null; removeImage?: boolean; maxBytes: number },
): Promise<NewsRow> {
  const input = parseInput(NewsInput, raw);
  const authorGiven = typeof raw === 'object' && raw !== null && Object.hasOwn(raw, 'authorName');
  return writeWithImage(db, storage, async (tx, storeImage) => {
    const before = id ? await getNewsRow(tx, id) : null;
    // Rights over the article where it is, and (a new article, or one moved) where it is going: an
    // editor of one organisation must not take another's article by naming their own.
    if (before) await assertCanManageArticle(tx, actor, before);
    if (!before || before.organisationId !== input.organisationId) await assertCanManage(tx, actor, [input.organisationId], before ? 'that organisation’s news' : 'this article');
    await directory.getOrganisation(tx, input.organisationId).catch(() => {
      throw new ValidationError([{ field: 'organisationId', message: 'No such organisation' }]);
    });
    const image = await imageColumns(before, { upload: opts.upload ?? null, removeImage: !!opts.removeImage, alt: input.imageAlt }, opts.maxBytes);
    const values = {
      organisationId: input.organisationId,
      title: input.title,
      lead: input.lead,
      body: sanitizeRichText(input.body),
      lang: input.lang,
      // A new article without a name is signed with the editor's name, never the address their
      // account label carries. A change keeps the name unless one is given, and an empty one (the
      // form's field cleared) takes the signature off.
      authorName: before ? (authorGiven ? (input.authorName ?? '') : before.authorName) : (input.authorName ?? publicActorName(actor)),
      sdgGoals: input.sdgGoals,
      topics: input.topics,
      ...image.values,
    };
    let row: NewsRow;
    if (before) {
      [row] = (await tx.update(news).set({ ...values, updatedAt: new Date() }).where(eq(news.id, before.id)).returning()) as [NewsRow];
      await recordAudit(tx, actor, { action: 'news.update', entityType: 'news', entityId: row.id, organisationId: row.organisationId, summary: row.title, changes: diff(before as unknown as Record<string, unknown>, values) });
    } else {
      [row] = (await tx.insert(news).values({ ...values, authorUserId: actor.userId }).returning()) as [NewsRow];
      await recordAudit(tx, actor, { action: 'news.create', entityType: 'news', entityId: row.id, organisationId: row.organisationId, summary: row.title });
    }
    await syncIndex(tx, row);
    await storeImage(image.checked);
    return { row, before };
  });
}

/**
 * Sets an article's image (PNG or JPEG, with its text alternative) or, given null, removes it: the JSON
 * API's counterpart of the form's image field, with saveNews's checks. The search document holds no
 * image, so the index is left as it is. Removing an image the article does not have changes nothing.
 * The replaced image's bytes are deleted once the change is committed, as saveNews does.
 */
export async function setNewsImage(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  id: string,
  image: { upload: Upload | null; alt: unknown } | null,
  maxBytes: number,
): Promise<NewsRow> {
  return writeWithImage(db, storage, async (tx, storeImage) => {
    const before = await getNewsRow(tx, id);
    // Permission first: strangers learn nothing about what is accepted.
    await assertCanManageArticle(tx, actor, before);
    if (!image && !before.imageKey) return { row: before, before };
    if (image && !image.upload) throw new ValidationError([{ field: 'image', message: 'Choose a PNG or JPEG image' }]);
    const alt = image ? parseInput(NewsImageInput, { imageAlt: image.alt }).imageAlt : null;
    const { values, checked } = await imageColumns(before, { upload: image?.upload ?? null, removeImage: !image, alt }, maxBytes);
    const [row] = (await tx.update(news).set({ ...values, updatedAt: new Date() }).where(eq(news.id, before.id)).returning()) as [NewsRow];
    await recordAudit(tx, actor, { action: image ? 'news.image.set' : 'news.image.remove', entityType: 'news', entityId: row.id, organisationId: row.organisationId, summary: row.title, changes: diff(before as unknown as Record<string, unknown>, values) });
    await storeImage(checked);
    return { row, before };
  });
}

export async function publishNews(db: Database, actor: Actor, id: string, raw: unknown): Promise<NewsRow> {
  const input = parseInput(PublishInput, raw);
  if (input.publishedAt && input.publishedAt.getTime() > Date.now() + 60_000) throw new ValidationError([{ field: 'publishedAt', message: 'A publication date cannot be in the future' }]);
  return db.orm.transaction(async (tx) => {
    const before = await getNewsRow(tx, id);
    await assertCanManageArticle(tx, actor, before);
    const set = input.publish
      ? { status: 'published' as const, publishedAt: input.publishedAt ?? before.publishedAt ?? new Date() }
      : { status: 'draft' as const };
    const [row] = (await tx.update(news).set({ ...set, updatedAt: new Date() }).where(eq(news.id, before.id)).returning()) as [NewsRow];
    await recordAudit(tx, actor, { action: input.publish ? 'news.publish' : 'news.withdraw', entityType: 'news', entityId: row.id, organisationId: row.organisationId, summary: row.title, changes: diff(before as unknown as Record<string, unknown>, set) });
    await syncIndex(tx, row);
    return row;
  });
}

export async function deleteNews(db: Database, actor: Actor, id: string): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const before = await getNewsRow(tx, id);
    await assertCanManageArticle(tx, actor, before);
    await tx.update(news).set({ deletedAt: new Date(), updatedAt: new Date() }).where(eq(news.id, before.id));
    await recordAudit(tx, actor, { action: 'news.delete', entityType: 'news', entityId: before.id, organisationId: before.organisationId, summary: before.title });
    await removeSearchDoc(tx, 'news', before.id);
  });
}

// --- Reads -------------------------------------------------------------------

/** An article as this reader may see it: drafts only for those who may edit it (else 404). */
export async function newsForReader(db: Executor, actor: Actor, id: string): Promise<{ row: NewsRow; canEdit: boolean }> {
  const row = await getNewsRow(db, id);
  const canEdit = await canManageAny(db, actor, [row.organisationId]);
  if (row.status !== 'published' && !canEdit) throw new NotFoundError('news', id);
  return { row, canEdit };
}

const publishedNow = () => and(eq(news.status, 'published'), isNull(news.deletedAt), lte(news.publishedAt, sql`now()`));

export async function listPublishedNews(
  db: Executor,
  q: { organisationIds?: string[]; sdg?: number | null; topic?: string | null; page?: number; pageSize?: number } = {},
): Promise<{ items: NewsRow[]; hasMore: boolean; page: number; pageSize: number; total: number }> {
  const page = Math.max(1, q.page ?? 1);
  const size = Math.min(200, Math.max(1, q.pageSize ?? 20));
  const conds: SQL[] = [publishedNow()!];
  if (q.organisationIds) {
    if (!q.organisationIds.length) return { items: [], hasMore: false, page, pageSize: size, total: 0 };
    conds.push(inArray(news.organisationId, q.organisationIds));
  }
  if (q.sdg) conds.push(sql`${q.sdg}::int = ANY(${news.sdgGoals})`);
  if (q.topic) conds.push(sql`${q.topic} = ANY(${news.topics})`);
  const rows = await db.select().from(news).where(and(...conds)).orderBy(desc(news.publishedAt), desc(news.id)).limit(size + 1).offset((page - 1) * size);
  const [{ total }] = (await db.select({ total: count() }).from(news).where(and(...conds))) as [{ total: number }];
  return { items: rows.slice(0, size), hasMore: rows.length > size, page, pageSize: size, total };
}

/**
 * Drafts of the organisations this actor may write for (shown to them on /news), latest first. The
 * permission is in the WHERE, so that the cap (200) counts this reader's drafts only, not everyone's.
 */
export async function draftsFor(db: Executor, actor: Actor): Promise<NewsRow[]> {
  if (!actor.userId && !actor.isPlatformAdmin) return [];
  return db
    .select()
    .from(news)
    .where(and(eq(news.status, 'draft'), isNull(news.deletedAt), directory.canManageSql(actor, news.organisationId)))
    .orderBy(desc(news.updatedAt), desc(news.id))
    .limit(200);
}

export async function allPublishedNewsForIndex(db: Executor): Promise<NewsRow[]> {
  return db.select().from(news).where(and(eq(news.status, 'published'), isNull(news.deletedAt)));
}
