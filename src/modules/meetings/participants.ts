/** Who takes part in a meeting: adding and removing participants, each in one transaction with its audit row. */
import { and, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import { recordAudit } from '../../platform/audit.js';
import type { Database } from '../../platform/db/index.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { isUuid } from '../../platform/text.js';
import { directory } from '../directory/index.js';
import { ParticipantInput, parseInput } from './inputs.js';
import { meetingParticipants } from './schema.js';
import { meetingForWrite, touchMeeting } from './service.js';

export async function addParticipant(db: Database, actor: Actor, meetingId: string, raw: unknown): Promise<void> {
  const input = parseInput(ParticipantInput, raw);
  await db.orm.transaction(async (tx) => {
    const { meeting, leadOrgId } = await meetingForWrite(tx, actor, meetingId);
    try {
      await directory.getPerson(tx, input.personId);
    } catch (err) {
      if (err instanceof NotFoundError) throw new ValidationError([{ field: 'personId', message: 'No such person' }]);
      throw err;
    }
    const [existing] = await tx
      .select({ id: meetingParticipants.id })
      .from(meetingParticipants)
      .where(and(eq(meetingParticipants.meetingId, meeting.id), eq(meetingParticipants.personId, input.personId)));
    if (existing) {
      await tx.update(meetingParticipants).set({ role: input.role, attendance: input.attendance, updatedAt: sql`now()` }).where(eq(meetingParticipants.id, existing.id));
    } else {
      await tx.insert(meetingParticipants).values({ meetingId: meeting.id, personId: input.personId, role: input.role, attendance: input.attendance });
    }
    await touchMeeting(tx, meeting.id);
    await recordAudit(tx, actor, {
      action: existing ? 'meeting.participant.update' : 'meeting.participant.add',
      entityType: 'meeting',
      entityId: meeting.id,
      organisationId: leadOrgId,
      summary: `${existing ? 'Updated' : 'Added'} a participant of “${meeting.title}”`,
      changes: { personId: input.personId, role: input.role, attendance: input.attendance },
    });
  });
}

export async function removeParticipant(db: Database, actor: Actor, meetingId: string, participantId: string): Promise<void> {
  await db.orm.transaction(async (tx) => {
    const { meeting, leadOrgId } = await meetingForWrite(tx, actor, meetingId);
    if (!isUuid(participantId)) throw new NotFoundError('participant', participantId);
    const gone = await tx
      .delete(meetingParticipants)
      .where(and(eq(meetingParticipants.id, participantId), eq(meetingParticipants.meetingId, meeting.id)))
      .returning({ personId: meetingParticipants.personId });
    if (!gone.length) throw new NotFoundError('participant', participantId);
    await touchMeeting(tx, meeting.id);
    await recordAudit(tx, actor, { action: 'meeting.participant.remove', entityType: 'meeting', entityId: meeting.id, organisationId: leadOrgId, summary: `Removed a participant of “${meeting.title}”`, changes: { personId: gone[0]!.personId } });
  });
}

