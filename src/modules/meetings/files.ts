/** A meeting's files: checked uploads stored beside their row, and their removal; each write with its audit row. */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import { recordAudit } from '../../platform/audit.js';
import type { Database } from '../../platform/db/index.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { isUuid } from '../../platform/text.js';
import { inspectUpload, type FileStorage } from '../../platform/storage/index.js';
import { FileMeta, parseInput } from './inputs.js';
import { reindexMeeting } from './search.js';
import { meetingFiles, type FileRow } from './schema.js';
import { getItemRow, meetingForWrite, touchMeeting } from './service.js';

export class UploadRejectedError extends ValidationError {
  constructor(readonly reason: string, message: string) {
    super([{ field: 'file', message }], message);
  }
}

const REJECT_MESSAGES: Record<string, string> = {
  empty: 'The file is empty.',
  too_large: 'The file is larger than the upload limit.',
  type_not_allowed: 'This type of file is not allowed. Allowed: PDF, DOCX, XLSX, PPTX, ODT, ODS, PNG, JPEG, CSV and TXT.',
  extension_mismatch: 'The file’s name does not match its content.',
  bad_name: 'The file needs a name.',
};

/**
 * Checks the upload completely before anything is written; then the row and
 * the bytes are stored together. If the transaction fails after the bytes were
 * written, they are removed again, so a failed upload leaves nothing behind.
 */
export async function addFile(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  meetingId: string,
  upload: { data: Uint8Array; fileName: string } | null,
  rawMeta: unknown,
  maxBytes: number,
): Promise<FileRow> {
  const meta = parseInput(FileMeta, rawMeta);
  // Permission before inspecting content: strangers learn nothing about what we accept.
  await db.orm.transaction(async (tx) => {
    const { meeting } = await meetingForWrite(tx, actor, meetingId);
    if (meta.agendaItemId) await getItemRow(tx, meeting.id, meta.agendaItemId).catch(() => {
      throw new ValidationError([{ field: 'agendaItemId', message: 'Not an item of this meeting' }]);
    });
  });
  if (!upload) throw new UploadRejectedError('missing', 'Choose a file to upload.');
  const checked = await inspectUpload(upload.data, upload.fileName, maxBytes);
  if (!checked.ok) throw new UploadRejectedError(checked.reason, REJECT_MESSAGES[checked.reason] ?? 'The file was refused.');
  let wrote = false;
  try {
    return await db.orm.transaction(async (tx) => {
      const { meeting, leadOrgId } = await meetingForWrite(tx, actor, meetingId);
      let isPublic = true;
      if (meta.agendaItemId) isPublic = (await getItemRow(tx, meeting.id, meta.agendaItemId)).isPublic;
      const [row] = await tx
        .insert(meetingFiles)
        .values({
          meetingId: meeting.id,
          agendaItemId: meta.agendaItemId,
          role: meta.role,
          title: meta.title ?? checked.fileName.replace(/\.[a-z0-9]+$/i, ''),
          fileName: checked.fileName,
          mimeType: checked.mime,
          sizeBytes: checked.size,
          sha512: checked.sha512,
          storageKey: checked.key,
          extractedText: checked.text,
          isPublic,
          createdBy: actor.userId,
        })
        .returning();
      await touchMeeting(tx, meeting.id);
      await recordAudit(tx, actor, {
        action: 'meeting.file.add',
        entityType: 'meeting_file',
        entityId: row!.id,
        organisationId: leadOrgId,
        summary: `Uploaded “${row!.fileName}” to “${meeting.title}”`,
        changes: { sha512: checked.sha512, size: checked.size, mime: checked.mime },
      });
      await reindexMeeting(tx, meeting.id);
      await storage.put(checked.key, checked.data);
      wrote = true;
      return row!;
    });
  } catch (err) {
    if (wrote) await storage.delete(checked.key).catch(() => undefined);
    throw err;
  }
}

export async function deleteFile(db: Database, storage: FileStorage, actor: Actor, meetingId: string, fileId: string): Promise<void> {
  const key = await db.orm.transaction(async (tx) => {
    const { meeting, leadOrgId } = await meetingForWrite(tx, actor, meetingId);
    if (!isUuid(fileId)) throw new NotFoundError('file', fileId);
    const [file] = await tx.select().from(meetingFiles).where(and(eq(meetingFiles.id, fileId), eq(meetingFiles.meetingId, meeting.id), isNull(meetingFiles.deletedAt)));
    if (!file) throw new NotFoundError('file', fileId);
    // The row stays as a tombstone for OParl; its text and bytes go.
    await tx.update(meetingFiles).set({ deletedAt: sql`now()`, updatedAt: sql`now()`, extractedText: null }).where(eq(meetingFiles.id, file.id));
    await touchMeeting(tx, meeting.id);
    await recordAudit(tx, actor, { action: 'meeting.file.delete', entityType: 'meeting_file', entityId: file.id, organisationId: leadOrgId, summary: `Removed “${file.fileName}” from “${meeting.title}”` });
    await reindexMeeting(tx, meeting.id);
    return file.storageKey;
  });
  await storage.delete(key).catch(() => undefined);
}

