import { z } from 'zod';
import { ValidationError } from '../../platform/errors.js';
import { CHALLENGE_STATES, HELP_KINDS, RESPONDER_KINDS } from './schema.js';
import { isCalendarDay } from '../../platform/text.js';

/** Input schemas shared by the JSON API and the forms (lists come as arrays or comma-separated text). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ValidationError(r.error.issues.map((i) => ({ field: i.path.join('.') || '_', message: i.message })));
}
const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : typeof v === 'string' ? v.trim() : v);
const reqText = (max: number) => z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string().min(1, 'This field is required').max(max));
const list = <T extends z.ZodType>(item: T, max: number) =>
  z.preprocess((v) => (v == null || v === '' ? [] : typeof v === 'string' ? v.split(/[\n,;]+/).map((s) => s.trim()).filter(Boolean) : v), z.array(item).max(max));
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a real date: YYYY-MM-DD')
  .refine(isCalendarDay, 'Not a real date (use YYYY-MM-DD)');
const email = z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string().email('Use a valid email address').max(300));

export const ChallengeInput = z.object({
  organisationId: z.string().uuid('Not a valid organisation id'),
  priorityId: z.preprocess(blankToNull, z.string().uuid('Not a valid priority id').nullable().optional()),
  title: reqText(300),
  lang: z.enum(['sv', 'nb', 'da', 'en']).default('en'),
  problem: reqText(20_000),
  sdgTargets: list(z.string().regex(/^(1[0-7]|[1-9])\.([1-9][0-9]?|[a-z])$/, 'An SDG target looks like 13.2 or 7.a'), 169),
  indicatorCode: z.preprocess(blankToNull, z.string().max(200).nullable().optional()),
  indicatorTarget: z.preprocess(
    (v) => (v === '' || v == null ? null : typeof v === 'string' && /^-?\d+([.,]\d+)?$/.test(v.trim()) ? Number(v.trim().replace(',', '.')) : v),
    z.number({ error: 'The target must be a number' }).finite().nullable().optional(),
  ),
  helpKinds: list(z.enum(HELP_KINDS), HELP_KINDS.length),
  deadline: z.preprocess(blankToNull, day.nullable().optional()),
  contactName: z.preprocess((v) => (v == null ? '' : typeof v === 'string' ? v.trim() : v), z.string().max(200)),
  contactEmail: email,
  state: z.enum(CHALLENGE_STATES).default('draft'),
});
export type ChallengeInput = z.output<typeof ChallengeInput>;

export const ResponseInput = z
  .object({
    responderOrgId: z.preprocess(blankToNull, z.string().uuid('Not a valid organisation id').nullable().optional()),
    newOrgName: z.preprocess(blankToNull, z.string().max(300).nullable().optional()),
    newOrgKind: z.preprocess(blankToNull, z.enum(RESPONDER_KINDS).nullable().optional()),
    offer: reqText(5000),
    contactName: z.preprocess((v) => (v == null ? '' : typeof v === 'string' ? v.trim() : v), z.string().max(200)),
    contactEmail: email,
  })
  .superRefine((v, ctx) => {
    if (!v.responderOrgId && !v.newOrgName) ctx.addIssue({ code: 'custom', path: ['responderOrgId'], message: 'Choose your organisation, or name a new one' });
    if (v.responderOrgId && v.newOrgName) ctx.addIssue({ code: 'custom', path: ['newOrgName'], message: 'Choose an organisation or name a new one, not both' });
    if (v.newOrgName && !v.newOrgKind) ctx.addIssue({ code: 'custom', path: ['newOrgKind'], message: 'Say what kind of organisation it is' });
  });
export type ResponseInput = z.output<typeof ResponseInput>;
