/**
 * Row lookups that both the use cases (service.ts) and the reads (queries.ts) need; a file of
 * their own so that neither imports the other.
 */
import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import { isUuid } from '../../platform/text.js';
import { meetingOrganisations, meetings, type MeetingRow } from './schema.js';

export async function getMeetingRow(db: Executor, id: string, opts: { includeDeleted?: boolean } = {}): Promise<MeetingRow> {
  if (!isUuid(id)) throw new NotFoundError('meeting', id);
  const [row] = await db.select().from(meetings).where(eq(meetings.id, id)).limit(1);
  if (!row || (row.deletedAt && !opts.includeDeleted)) throw new NotFoundError('meeting', id);
  return row;
}

export async function organiserIds(db: Executor, meetingId: string): Promise<string[]> {
  const rows = await db
    .select({ id: meetingOrganisations.organisationId })
    .from(meetingOrganisations)
    .where(eq(meetingOrganisations.meetingId, meetingId))
    .orderBy(asc(meetingOrganisations.position));
  return rows.map((r) => r.id);
}
