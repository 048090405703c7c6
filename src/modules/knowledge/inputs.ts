import { z } from 'zod';
import { ValidationError } from '../../platform/errors.js';
import { CONTENT_LANGS, EVENT_KINDS } from './schema.js';
import { dateTimeFormat } from '../../web/i18n/index.js';

/*
 * One schema per input, shared by the JSON API and the forms (whose values arrive as
 * strings: lists as comma-separated text, booleans as "on"/"true").
 */

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ValidationError(r.error.issues.map((i) => ({ field: i.path.join('.') || '_', message: i.message })));
}

const blank = (v: unknown) => (v === '' || v === undefined ? null : v);
const optText = (max: number) => z.preprocess(blank, z.string().trim().max(max).nullable().optional()).transform((v) => v || null);
const reqText = (max: number, msg: string) => z.string({ error: msg }).trim().min(1, msg).max(max);
const httpUrl = z.preprocess(blank, z.string().trim().max(2000).regex(/^https?:\/\/\S+$/, 'Give an address starting with http:// or https://').nullable().optional()).transform((v) => v ?? null);
const list = (v: unknown) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v == null ? [] : v);
const sdgGoals = z.preprocess(list, z.array(z.coerce.number().int('A goal is a number from 1 to 17').min(1, 'A goal is a number from 1 to 17').max(17, 'A goal is a number from 1 to 17')).max(17)).transform((xs) => [...new Set(xs)].sort((a, b) => a - b));
const topics = z.preprocess(list, z.array(z.string().trim().min(1).max(60)).max(20)).transform((xs) => [...new Set(xs)]);
const bool = z.preprocess((v) => v === true || v === 'true' || v === 'on' || v === '1', z.boolean());
const lang = z.enum(CONTENT_LANGS, { error: 'Choose the language of the text' });

export const NewsInput = z.object({
  organisationId: z.string({ error: 'Choose the organisation' }).uuid('Choose the organisation'),
  title: reqText(300, 'Give the article a title'),
  lead: z.preprocess((v) => v ?? '', z.string().trim().max(1000)),
  body: z.preprocess((v) => v ?? '', z.string().max(100_000)),
  lang,
  authorName: optText(200),
  sdgGoals: sdgGoals.default([]),
  topics: topics.default([]),
  imageAlt: optText(300),
});
export type NewsInput = z.output<typeof NewsInput>;

/** An image's text alternative set through the API's image route, checked as the article's own. */
export const NewsImageInput = NewsInput.pick({ imageAlt: true });

/** An instant from the API (ISO 8601 with offset) or a form (datetime-local, read in the given zone). */
export const PublishInput = z.object({ publish: bool, publishedAt: z.preprocess(blank, z.coerce.date({ error: 'Give a valid date' }).nullable().optional()) });

export const EventInput = z
  .object({
    kind: z.enum(EVENT_KINDS, { error: 'Choose the kind of event' }),
    title: reqText(300, 'Give the event a title'),
    description: z.preprocess((v) => v ?? '', z.string().max(100_000)),
    lang,
    startsAt: z.date({ error: 'Give a valid start date and time' }),
    endsAt: z.date({ error: 'Give a valid end date and time' }),
    timeZone: z.string().default('Europe/Stockholm').refine((tz) => isTimeZone(tz), 'Unknown time zone'),
    place: optText(300),
    onlineUrl: httpUrl,
    organisationIds: z.array(z.string().uuid('Choose an organisation')).min(1, 'Choose at least one organiser').max(20),
    registrationOpen: bool.default(false),
    capacity: z.preprocess(blank, z.coerce.number().int('The capacity is a whole number').min(1, 'The capacity is at least 1').max(100_000).nullable().optional()).transform((v) => v ?? null),
    registrationDeadline: z.date().nullable().optional().transform((v) => v ?? null),
    sdgGoals: sdgGoals.default([]),
    topics: topics.default([]),
  })
  .superRefine((v, ctx) => {
    if (v.endsAt.getTime() <= v.startsAt.getTime()) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'The event must end after it starts' });
    if (!v.place && !v.onlineUrl) ctx.addIssue({ code: 'custom', path: ['place'], message: 'Give a place or an online link' });
    if (v.registrationDeadline && v.registrationDeadline.getTime() > v.endsAt.getTime()) ctx.addIssue({ code: 'custom', path: ['registrationDeadline'], message: 'The registration deadline must be before the event ends' });
  });
export type EventInput = z.output<typeof EventInput>;

export const ItemInput = z.object({
  title: reqText(300, 'Give the programme item a title'),
  startsAt: z.date().nullable().optional().transform((v) => v ?? null),
  speakerName: optText(200),
  speakerPersonId: z.preprocess(blank, z.string().uuid().nullable().optional()).transform((v) => v ?? null),
  speakerOrganisationId: z.preprocess(blank, z.string().uuid().nullable().optional()).transform((v) => v ?? null),
  slidesUrl: httpUrl,
});
export type ItemInput = z.output<typeof ItemInput>;

export const RecordingInput = z.object({ recordingUrl: httpUrl });

export const FileMeta = z.object({
  role: z.enum(['presentation', 'recording', 'material']),
  title: optText(300),
  itemId: z.preprocess(blank, z.string().uuid().nullable().optional()).transform((v) => v ?? null),
});

export const RegistrationInput = z.object({
  name: reqText(200, 'Give your name'),
  email: z.string({ error: 'Give your email address' }).trim().email('Give a valid email address').max(200),
  organisationName: optText(200),
});

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A wall-clock time ("2025-06-15T10:00") in an IANA zone, as an instant. */
export function zonedInstant(local: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local.trim());
  if (!m || !isTimeZone(timeZone)) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  // The zone's offset at that moment, found by formatting the guess in the zone (twice, for DST edges).
  const offset = (t: number) => {
    const p = Object.fromEntries(dateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) - t;
  };
  let t = guess - offset(guess);
  t = guess - offset(t);
  const out = new Date(t);
  return Number.isNaN(out.getTime()) ? null : out;
}

/** An instant from the API: ISO 8601 with an offset or Z. */
export function isoInstant(s: string | null | undefined): Date | null {
  if (!s) return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

const longText = z.preprocess((v) => v ?? '', z.string().trim().max(20_000));
const year = z.preprocess(blank, z.coerce.number({ error: 'A year, for example 2019' }).int('A year, for example 2019').min(1900, 'A year, for example 2019').max(2200, 'A year, for example 2019').nullable().optional()).transform((v) => v ?? null);
/** One indicator a line: its code, optionally followed by the key of the comparison group. */
const indicatorLines = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((l) => { const [code, group] = l.split(/\s+/); return { code, group: group ?? null }; }) : (v ?? [])),
  z.array(z.object({ code: z.string().min(1).max(100), group: z.string().max(100).nullable() })).max(20),
);

export const PracticeInput = z
  .object({
    title: reqText(300, 'Give the practice a title'),
    lang,
    organisationIds: z.preprocess(list, z.array(z.string().uuid('Choose an organisation')).min(1, 'Choose the organisations behind the practice').max(20)),
    reviewerOrgId: z.string({ error: 'Choose the network that reviews it' }).uuid('Choose the network that reviews it'),
    themes: topics.default([]),
    sdgTargets: z.preprocess(list, z.array(z.string().regex(/^(1[0-7]|[1-9])(\.[0-9a-z]{1,2})?$/, 'An SDG goal or target, for example 7 or 11.6')).max(40)).default([]),
    startingPoint: longText,
    whatWasDone: longText,
    whoWasInvolved: longText,
    periodStart: year,
    periodEnd: year,
    resources: longText,
    results: longText,
    keyFigures: longText,
    lessons: longText,
    transfer: longText,
    contacts: longText,
    originUrl: z.preprocess(blank, z.string().trim().max(2000).regex(/^(https?:\/\/\S+|\/\S*)$/, 'A link starting with http://, https:// or /').nullable().optional()).transform((v) => v ?? null),
    indicators: indicatorLines.default([]),
  })
  .superRefine((v, ctx) => {
    if (v.periodStart && v.periodEnd && v.periodEnd < v.periodStart) ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: 'The period must end after it starts' });
  });
export type PracticeInput = z.output<typeof PracticeInput>;

export const ReviewInput = z.object({ decision: z.enum(['in_review', 'publish', 'return'], { error: 'Choose a decision' }), note: z.preprocess((v) => v ?? '', z.string().trim().max(5000)) });
export const AdoptionInput = z.object({
  organisationId: z.string({ error: 'Choose the organisation that adopted it' }).uuid('Choose the organisation that adopted it'),
  adoptedOn: z.preprocess(blank, z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'A date: YYYY, YYYY-MM or YYYY-MM-DD').nullable().optional()).transform((v) => v ?? null),
  note: z.preprocess((v) => v ?? '', z.string().trim().max(2000)),
});
