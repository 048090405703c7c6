/**
 * Meeting and item forms, both ways: the posted fields as a use case's input (dates read in the
 * meeting's time zone), the service's field paths as the form's fields, and a stored meeting or
 * item as the form's values for editing.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ForbiddenError, ValidationError } from '../../platform/errors.js';
import type { Database } from '../../platform/db/index.js';
import { requireUser } from '../../web/context.js';
import { directory } from '../directory/index.js';
import type { OrgOption } from './forms.js';
import { formList, formValues } from '../../web/forms.js';
import type { ItemView, MeetingView } from './queries.js';
import { DEFAULT_TIME_ZONE, instantToLocal, isTimeZone, localToInstant } from './time.js';

export function meetingInputFromForm(body: Record<string, unknown>) {
  const v = formValues(body, ['coOrganisationIds']);
  const zone = v.timeZone || DEFAULT_TIME_ZONE;
  // The times are read in the zone, which throws for a zone it does not know (a tampered form):
  // that is the time zone field's error, not a failure of the server.
  if (!isTimeZone(zone)) throw new ValidationError([{ field: 'timeZone', message: 'Unknown time zone' }]);
  const errors: { field: string; message: string }[] = [];
  const startsAt = v.startsAt ? localToInstant(v.startsAt, zone) : null;
  if (!startsAt) errors.push({ field: 'startsAt', message: v.startsAt ? 'Give a valid start date and time' : 'Too small: required' });
  const endsAt = v.endsAt ? localToInstant(v.endsAt, zone) : null;
  if (v.endsAt && !endsAt) errors.push({ field: 'endsAt', message: 'Give a valid end date and time' });
  if (errors.length) throw new ValidationError(errors);
  const organisationIds = [v.organisationId ?? '', ...formList(body.coOrganisationIds).filter((id) => id !== v.organisationId)].filter(Boolean);
  return {
    title: v.title ?? '',
    lang: v.lang || 'en',
    startsAt,
    endsAt,
    timeZone: zone,
    state: v.state || 'planned',
    streetAddress: v.streetAddress,
    postalCode: v.postalCode,
    locality: v.locality,
    room: v.room,
    onlineUrl: v.onlineUrl,
    onlinePlatform: v.onlinePlatform,
    description: v.description,
    organisationIds,
  };
}

export const meetingFieldMap = (f: string) => (f.startsWith('organisationIds.') && f !== 'organisationIds.0' ? 'coOrganisationIds' : f.startsWith('organisationIds') ? 'organisationId' : f.split('.')[0] || '_');

export function meetingFormValues(v: MeetingView): Record<string, string> {
  const m = v.meeting;
  return {
    title: m.title,
    lang: m.lang,
    organisationId: v.organisers[0]?.id ?? '',
    // Organisers awaiting acceptance stay named when the form is saved again.
    coOrganisationIds: [...v.organisers.slice(1), ...v.pendingOrganisers].map((o) => o.id).join(','),
    startsAt: instantToLocal(m.startsAt, m.timeZone),
    endsAt: m.endsAt ? instantToLocal(m.endsAt, m.timeZone) : '',
    timeZone: m.timeZone,
    state: m.state,
    streetAddress: m.streetAddress ?? '',
    postalCode: m.postalCode ?? '',
    locality: m.locality ?? '',
    room: m.room ?? '',
    onlineUrl: m.onlineUrl ?? '',
    onlinePlatform: m.onlinePlatform ?? '',
    description: m.description,
  };
}

export function itemInputFromForm(body: Record<string, unknown>) {
  const v = formValues(body, ['caseOtherBodyIds']);
  const lead = v.caseLeadBodyId ?? '';
  const referralOrganisationIds = [lead, ...formList(body.caseOtherBodyIds).filter((id) => id !== lead)].filter(Boolean);
  return {
    number: v.number,
    title: v.title ?? '',
    isPublic: v.isPublic === 'on',
    lang: v.lang || 'en',
    summary: v.summary,
    description: v.description,
    recommendation: v.recommendation,
    decision: v.decision,
    result: v.result,
    case: {
      reference: v.caseReference,
      title: v.caseTitle,
      caseType: v.caseType,
      caseDate: v.caseDate,
      caseOfficer: v.caseOfficer,
      otherOfficers: (v.otherOfficers ?? '').split(/\r?\n/).map((x) => x.trim()).filter(Boolean),
      referralOrganisationIds,
    },
  };
}

export const itemFieldMap = (f: string) => {
  const [head, sub, idx] = f.split('.');
  if (head !== 'case') return head || '_';
  if (sub === 'referralOrganisationIds') return idx === '0' || idx === undefined ? 'caseLeadBodyId' : 'caseOtherBodyIds';
  const names: Record<string, string> = { reference: 'caseReference', title: 'caseTitle', caseType: 'caseType', caseDate: 'caseDate', caseOfficer: 'caseOfficer', otherOfficers: 'otherOfficers' };
  return names[sub ?? ''] ?? 'caseReference';
};

export function itemFormValues(it: ItemView): Record<string, string> {
  const c = it.case;
  return {
    number: it.number ?? '',
    title: it.title,
    isPublic: it.isPublic ? 'on' : '',
    lang: it.lang,
    summary: it.summary ?? '',
    description: it.description ?? '',
    recommendation: it.recommendation ?? '',
    decision: it.decision ?? '',
    result: it.result ?? '',
    caseReference: c?.reference ?? '',
    caseTitle: c && c.title !== it.title ? c.title : '',
    caseType: c?.caseType ?? '',
    caseDate: c?.caseDate ?? '',
    caseOfficer: c?.caseOfficer ?? '',
    otherOfficers: c?.otherOfficers.join('\n') ?? '',
    caseLeadBodyId: c?.referrals[0]?.id ?? '',
    caseOtherBodyIds: c?.referrals.slice(1).map((o) => o.id).join(',') ?? '',
  };
}

// --- Pages ---------------------------------------------------------------------


// What the meeting pages' routes share: their params and body schemas (hidden from the OpenAPI
// document: the JSON API has its own routes) and the edit check on a loaded meeting.
/** Every organisation, as a form's choice of organiser or referral body. */
export async function organisationChoices(db: Database): Promise<OrgOption[]> {
  return (await directory.organisationOptions(db.orm)).map((o) => ({ id: o.id, name: o.name }));
}

export const Id = z.object({ id: z.string().min(1).max(100) });
export const ItemRef = z.object({ id: z.string().min(1).max(100), itemId: z.string().min(1).max(100) });
export const Form = z.record(z.string(), z.unknown());
export const hide = { hide: true } as const;

export function requireEdit(req: FastifyRequest, v: MeetingView) {
  requireUser(req);
  if (!v.access.edit) throw new ForbiddenError('Only admins and editors of the organising body can change this meeting.');
}
