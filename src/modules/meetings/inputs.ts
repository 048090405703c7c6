import { z } from 'zod';
import { ValidationError } from '../../platform/errors.js';
import { ATTENDANCE, CONTENT_LANGS, FILE_ROLES, MEETING_STATES, PARTICIPANT_ROLES } from './schema.js';
import { isTimeZone } from './time.js';
import { isCalendarDay } from '../../platform/text.js';

/** Turns a Zod failure into the domain's ValidationError, naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ValidationError(r.error.issues.map((i) => ({ field: i.path.join('.') || '_', message: i.message })));
}

/** Whether a date or date-time string starts with a day of the calendar (isCalendarDay). */
export const isCalendarDate = (v: string): boolean => isCalendarDay(v.slice(0, 10));

/** Empty strings from forms mean "not given". */
const optText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));
const richText = z.string().max(200_000).nullish().transform((v) => v ?? '');
const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .nullish()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || /^https?:\/\/[^\s]+$/i.test(v), 'Must be a web address starting with https:// or http://');

export const MeetingInput = z
  .object({
    title: z.string().trim().min(1, 'Give the meeting a title').max(300),
    lang: z.enum(CONTENT_LANGS).default('en'),
    startsAt: z.date({ error: 'Give a valid start date and time' }),
    endsAt: z.date().nullish().transform((v) => v ?? null),
    timeZone: z
      .string()
      .default('Europe/Stockholm')
      .refine((z) => isTimeZone(z), 'Unknown time zone'),
    state: z.enum(MEETING_STATES).default('planned'),
    streetAddress: optText(300),
    postalCode: optText(20),
    locality: optText(200),
    room: optText(200),
    onlineUrl: httpUrl,
    onlinePlatform: optText(100),
    description: richText,
    organisationIds: z.array(z.uuid('Choose an organisation')).min(1, 'Choose the organising body').max(20),
  })
  .superRefine((v, ctx) => {
    if (v.endsAt && v.endsAt < v.startsAt) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'The end must be after the start' });
    if (new Set(v.organisationIds).size !== v.organisationIds.length)
      ctx.addIssue({ code: 'custom', path: ['organisationIds'], message: 'An organisation is listed twice' });
  });
export type MeetingInput = z.output<typeof MeetingInput>;

export const CaseInput = z.object({
  reference: optText(100),
  title: z.string().trim().max(500).nullish().transform((v) => (v ? v : null)),
  caseType: optText(100),
  caseDate: z
    .string()
    .trim()
    .nullish()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || (/^\d{4}-\d{2}-\d{2}$/.test(v) && isCalendarDate(v)), 'Use the format YYYY-MM-DD'),
  caseOfficer: optText(200),
  otherOfficers: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
  referralOrganisationIds: z.array(z.uuid('Choose an organisation')).max(30).default([]),
});
export type CaseInput = z.output<typeof CaseInput>;

export const ItemInput = z.object({
  number: optText(20),
  title: z.string().trim().min(1, 'Give the item a title').max(500),
  isPublic: z.boolean().default(true),
  lang: z.enum(CONTENT_LANGS).default('en'),
  summary: richText,
  description: richText,
  recommendation: richText,
  decision: richText,
  result: optText(100),
  case: CaseInput.nullish().transform((v) => v ?? null),
});
export type ItemInput = z.output<typeof ItemInput>;
/**
 * An item's replacement (API PUT and the edit form): an omitted `isPublic` keeps the item's current
 * visibility instead of taking the default, so a closed item's content never becomes public by an omission.
 */
export const ItemUpdateInput = ItemInput.extend({ isPublic: z.boolean().optional() });
export type ItemUpdateInput = z.output<typeof ItemUpdateInput>;

export const DecisionsInput = z.object({
  minutesNotes: richText.optional(),
  markHeld: z.boolean().default(false),
  items: z
    .array(z.object({ id: z.uuid(), decision: richText, result: optText(100) }))
    .max(500)
    .default([]),
});
export type DecisionsInput = z.output<typeof DecisionsInput>;

export const ParticipantInput = z.object({
  personId: z.uuid('Choose a person'),
  role: z.enum(PARTICIPANT_ROLES).default('member'),
  attendance: z.enum(ATTENDANCE).default('invited'),
});
export type ParticipantInput = z.output<typeof ParticipantInput>;

export const FileMeta = z.object({
  role: z.enum(FILE_ROLES).default('attachment'),
  title: z.string().trim().max(300).nullish().transform((v) => (v ? v : null)),
  agendaItemId: z
    .string()
    .nullish()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || z.uuid().safeParse(v).success, 'Unknown agenda item'),
});
export type FileMeta = z.output<typeof FileMeta>;
