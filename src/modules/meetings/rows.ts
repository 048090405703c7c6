/**
 * Row lookups that both the use cases (service.ts) and the reads (queries.ts) need; a file of
 * their own so that neither imports the other.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
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

/**
 * The meeting's organisers, lead first: those that accepted (or were named by someone who may act
 * for them). An organiser awaiting its acceptance is not one yet; `pending: true` lists those.
 */
export async function organiserIds(db: Executor, meetingId: string, opts: { pending?: boolean } = {}): Promise<string[]> {
  const rows = await db
    .select({ id: meetingOrganisations.organisationId })
    .from(meetingOrganisations)
    .where(and(eq(meetingOrganisations.meetingId, meetingId), eq(meetingOrganisations.pending, opts.pending ?? false)))
    .orderBy(asc(meetingOrganisations.position));
  return rows.map((r) => r.id);
}

/** organiserIds for several meetings in one query (lists of meetings), by meeting id. */
export async function organiserIdsOf(db: Executor, meetingIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(meetingIds.map((id) => [id, []]));
  if (!meetingIds.length) return out;
  const rows = await db
    .select({ meetingId: meetingOrganisations.meetingId, id: meetingOrganisations.organisationId })
    .from(meetingOrganisations)
    .where(and(inArray(meetingOrganisations.meetingId, [...meetingIds]), eq(meetingOrganisations.pending, false)))
    .orderBy(asc(meetingOrganisations.meetingId), asc(meetingOrganisations.position));
  for (const r of rows) out.get(r.meetingId)?.push(r.id);
  return out;
}
