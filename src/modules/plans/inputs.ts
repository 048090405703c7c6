import { z } from 'zod';
import { ValidationError } from '../../platform/errors.js';
import { ACTION_STATUSES, ACTOR_ROLES, CONTENT_LANGS, DIRECTIONS, FOLLOWUP_STATES, PLAN_STATES, PRIORITY_STATES } from './schema.js';
import { isCalendarDay } from '../../platform/text.js';

/**
 * Input schemas shared by the JSON API and the HTML forms. Lists may come as JSON arrays (API) or
 * as text (forms): one entry per line or comma, and structured lines as `a | b | c`, so one schema
 * rejects the same things with the same field names whichever way they arrive.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ValidationError(r.error.issues.map((i) => ({ field: i.path.join('.') || '_', message: i.message })));
}

const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : typeof v === 'string' ? v.trim() : v);
export const optText = (max: number) => z.preprocess(blankToNull, z.string().max(max).nullable().optional());
export const reqText = (max: number) => z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string().min(1, 'This field is required').max(max));
const longText = (max: number) => z.preprocess((v) => (v == null ? '' : typeof v === 'string' ? v.trim() : v), z.string().max(max));

/** A real calendar day, YYYY-MM-DD. */
export const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a real date: YYYY-MM-DD')
  .refine(isCalendarDay, 'Not a real date (use YYYY-MM-DD)');
export const optDay = z.preprocess(blankToNull, day.nullable().optional());
export const optUuid = z.preprocess(blankToNull, z.string().uuid('Not a valid id').nullable().optional());

/** Text lists from forms: split on new lines and commas; arrays pass through. */
const splitList = (v: unknown) => (v == null || v === '' ? [] : typeof v === 'string' ? v.split(/[\n,;]+/).map((s) => s.trim()).filter(Boolean) : v);
export const list = <T extends z.ZodType>(item: T, max = 200) => z.preprocess(splitList, z.array(item).max(max));
/** Structured lines `a | b | c` from forms, turned into objects by `make`; arrays pass through. */
const lines = <T extends z.ZodType>(item: T, make: (parts: string[]) => unknown, max = 200) =>
  z.preprocess((v) => {
    if (v == null || v === '') return [];
    if (typeof v !== 'string') return v;
    return v
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => make(l.split('|').map((p) => p.trim())));
  }, z.array(item).max(max));
/** A number written in a form ("1 500 000", "12,5") becomes a number; anything else stays text and fails. */
export const numberish = (s: string | undefined): unknown => {
  if (s === undefined) return undefined;
  const t = s.replace(/[\s\u00a0]/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : s;
};

export const sdgGoal = z.string().regex(/^(1[0-7]|[1-9])$/, 'An SDG goal is a number from 1 to 17');
/** An SDG target code such as 13.2 or 7.a; checked against the list of 169 in the service. */
export const sdgTarget = z.string().regex(/^(1[0-7]|[1-9])\.([1-9][0-9]?|[a-z])$/, 'An SDG target looks like 13.2 or 7.a');
const indicatorCode = z.string().trim().min(1).max(200);
const Lang = z.enum(CONTENT_LANGS);

const endAfterStart = (start: string | null | undefined, end: string | null | undefined) => !start || !end || end >= start;

export const ActorInput = z.object({
  /** The organisation's id or its address name in the directory (slug), such as `nho`. */
  organisationId: z.string().trim().min(1, 'Name the organisation').max(200),
  role: z.enum(ACTOR_ROLES),
  contact: optText(300),
});

export const PriorityInput = z.object({
  organisationId: z.string().uuid('Not a valid organisation id'),
  title: reqText(300),
  lang: Lang.default('en'),
  rationale: longText(10_000),
  sdgGoals: list(sdgGoal, 17),
  sdgTargets: list(sdgTarget, 169),
  indicatorCodes: list(indicatorCode, 50),
  actors: lines(ActorInput, ([organisationId, role, contact]) => ({ organisationId, role, contact }), 100).default([]),
  state: z.enum(PRIORITY_STATES).default('draft'),
});
export type PriorityInput = z.output<typeof PriorityInput>;

export const DocumentInput = z.object({
  title: reqText(300),
  url: z.string().trim().max(2000).refine((u) => /^https?:\/\/\S+$/i.test(u), 'Use a web address starting with http:// or https://'),
});

export const PlanInput = z
  .object({
    organisationId: z.string().uuid('Not a valid organisation id'),
    title: reqText(300),
    lang: Lang.default('en'),
    description: longText(20_000),
    periodStart: optDay,
    periodEnd: optDay,
    state: z.enum(PLAN_STATES).default('draft'),
    adoptedItemId: optUuid,
    adoptedOn: optDay,
    decisionNote: longText(2000),
    parentId: optUuid,
    documents: lines(DocumentInput, ([title, url]) => ({ title, url }), 50).default([]),
  })
  .superRefine((v, ctx) => {
    if (!endAfterStart(v.periodStart, v.periodEnd)) ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: 'The end date is before the start date' });
  });
export type PlanInput = z.output<typeof PlanInput>;

export const MilestoneInput = z.object({ title: reqText(300), due: day, completedOn: optDay.transform((v) => v ?? null) });
export const ActionIndicatorInput = z.object({ code: indicatorCode, direction: z.enum(DIRECTIONS) });
export const BudgetInput = z.object({
  year: z.number({ error: 'The year must be a number' }).int().min(1990).max(2100),
  amount: z.number({ error: 'The amount must be a number' }).finite().min(0).max(1e13),
});

export const ActionInput = z
  .object({
    identifier: z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string().min(1, 'This field is required').max(40).regex(/^[\p{L}\p{N}][\p{L}\p{N}._\-/ ]*$/u, 'Use letters, digits, dots, hyphens')),
    title: reqText(300),
    lang: Lang.default('en'),
    description: longText(20_000),
    primaryOrgId: z.string().uuid('Not a valid organisation id'),
    collaboratorIds: list(z.string().uuid('Not a valid organisation id'), 50),
    contactIds: list(z.string().uuid('Not a valid person id'), 50),
    startDate: optDay,
    endDate: optDay,
    milestones: lines(MilestoneInput, ([due, title, completedOn]) => ({ due, title, completedOn }), 100).default([]),
    sdgTargets: list(sdgTarget, 169),
    indicators: lines(ActionIndicatorInput, ([code, direction]) => ({ code, direction }), 50).default([]),
    currency: z.preprocess(blankToNull, z.string().regex(/^[A-Z]{3}$/, 'Use a three-letter currency code such as NOK').nullable().optional()),
    budget: lines(BudgetInput, ([year, amount]) => ({ year: numberish(year), amount: numberish(amount) }), 50).default([]),
    manualStatus: z.preprocess(blankToNull, z.enum(ACTION_STATUSES).nullable().optional()),
    manualReason: optText(2000),
  })
  .superRefine((v, ctx) => {
    if (!endAfterStart(v.startDate, v.endDate)) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'The end date is before the start date' });
    if (v.manualStatus && !v.manualReason) ctx.addIssue({ code: 'custom', path: ['manualReason'], message: 'Give the reason for setting the status by hand' });
    if (v.budget.length && !v.currency) ctx.addIssue({ code: 'custom', path: ['currency'], message: 'Give the currency of the budget' });
    const years = new Set<number>();
    v.budget.forEach((b, i) => {
      if (years.has(b.year)) ctx.addIssue({ code: 'custom', path: ['budget', i, 'year'], message: 'This year is already in the budget' });
      years.add(b.year);
    });
    v.milestones.forEach((m, i) => {
      if (v.startDate && m.due < v.startDate) ctx.addIssue({ code: 'custom', path: ['milestones', i, 'due'], message: 'The milestone is due before the action starts' });
    });
  });
export type ActionInput = z.output<typeof ActionInput>;

export const StatusUpdateInput = z.object({ onDate: day, body: reqText(5000) });

export const FollowupInput = z
  .object({
    agendaItemId: z.string().uuid('Not a valid agenda item id'),
    what: reqText(1000),
    who: longText(300),
    dueDate: optDay,
    state: z.enum(FOLLOWUP_STATES).default('open'),
    actionId: optUuid,
    priorityId: optUuid,
    indicatorCode: optText(200),
  })
  .superRefine((v, ctx) => {
    if (!v.actionId && !v.priorityId && !v.indicatorCode) ctx.addIssue({ code: 'custom', path: ['actionId'], message: 'Link the follow-up to an action, a priority or an indicator' });
  });
export type FollowupInput = z.output<typeof FollowupInput>;

export const FollowupStateInput = z.object({ state: z.enum(FOLLOWUP_STATES) });
