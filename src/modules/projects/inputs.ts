import { z } from 'zod';
import { parseAmount, parseRate } from './money.js';
import { CURRENCIES, MILESTONE_KINDS, PARTNER_ROLES, PROJECT_LANGS, PROJECT_STATES, VISIBILITIES } from './schema.js';
import { isCalendarDay } from '../../platform/text.js';

/**
 * One schema per input, shared by the JSON API and the HTML forms (whose flat
 * field names `partners.0.role` are nested first), so both reject the same
 * things under the same field names. Empty form fields arrive as '' and mean "none".
 */
const trim = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
const emptyToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : trim(v));
const optText = (max: number) => z.preprocess(emptyToNull, z.string().max(max).nullable().optional());
const longText = (max: number) => z.preprocess((v) => (v == null ? '' : trim(v)), z.string().max(max));
const reqText = (max: number) => z.preprocess(trim, z.string().min(1).max(max));

export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a real date: YYYY-MM-DD')
  .refine(isCalendarDay, 'Use a real date: YYYY-MM-DD');
const optDay = z.preprocess(emptyToNull, isoDay.nullable().optional());
const optUuid = z.preprocess(emptyToNull, z.string().uuid('Choose an organisation from the directory').nullable().optional());
const reqUuid = z.preprocess(emptyToNull, z.string({ message: 'Choose an organisation from the directory' }).uuid('Choose an organisation from the directory'));
const bool = z.preprocess((v) => v === true || v === 'true' || v === 'on' || v === '1', z.boolean());
const optSlug = z.preprocess(
  emptyToNull,
  z.string().max(80).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single hyphens').nullable().optional(),
);
/** Links may point elsewhere (http/https) or into this site (a path). No javascript: or data:. */
const linkUrl = z.preprocess(
  trim,
  z.string().min(1).max(500).refine((u) => /^https?:\/\/[^\s]+$/i.test(u) || /^\/[^\s/][^\s]*$/.test(u) || u === '/', 'Use a web address starting with http:// or https://, or a path on this site'),
);

export const Amount = z.preprocess(
  (v) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' ? v : undefined),
  z.union([z.string(), z.number(), z.bigint()], { message: 'Give the amount as a number' }),
).transform((v, ctx) => {
  const minor = parseAmount(v);
  if (minor === null) {
    ctx.addIssue({ code: 'custom', message: 'Use a number that is zero or more, with at most two decimals' });
    return z.NEVER;
  }
  return minor;
});

const currency = z.enum(CURRENCIES, { message: 'Unknown currency: use SEK, NOK, DKK or EUR' });

export const AmountInput = z.object({
  year: z.coerce.number({ message: 'Give the year as a number' }).int().min(1900).max(2200),
  currency,
  amount: Amount,
});

export const FundingSourceInput = z.object({
  funderOrgId: reqUuid,
  isOwn: bool.optional().default(false),
  programme: optText(300),
  grantReference: optText(200),
  amounts: z.array(AmountInput).max(60).default([]),
});

export const PartnerInput = z.object({
  organisationId: reqUuid,
  role: z.enum(PARTNER_ROLES),
  startDate: optDay,
  endDate: optDay,
  canEdit: bool.optional().default(false),
});

export const MilestoneInput = z.object({
  kind: z.enum(MILESTONE_KINDS),
  title: reqText(300),
  startDate: optDay,
  dueDate: isoDay,
});

export const LinkInput = z.object({ title: reqText(300), url: linkUrl });

const codeList = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.split(/[\s,;]+/).filter(Boolean) : v),
    z.array(z.string().min(1).max(40)).max(max).default([]),
  );

/** Ids of records in other modules (plan actions, challenges); an unknown or unseeable one is a 422 naming its slot. */
const idList = (max: number, message: string) => z.array(z.preprocess(trim, z.string({ message }).uuid(message))).max(max).default([]);

export const ProjectInput = z
  .object({
    name: reqText(300),
    acronym: optText(40),
    slug: optSlug,
    lang: z.enum(PROJECT_LANGS),
    description: longText(20_000),
    objectives: longText(10_000),
    targetGroup: longText(5_000),
    ownerOrgId: reqUuid,
    coordinatorPersonId: optUuid,
    coordinatorOrgId: optUuid,
    state: z.enum(PROJECT_STATES),
    visibility: z.enum(VISIBILITIES).optional().default('public'),
    startDate: optDay,
    endDate: optDay,
    partners: z.array(PartnerInput).max(200).default([]),
    milestones: z.array(MilestoneInput).max(200).default([]),
    sdgTargets: codeList(169),
    indicators: codeList(200),
    links: z.array(LinkInput).max(100).default([]),
    funding: z.array(FundingSourceInput).max(50).default([]),
    planActions: idList(100, 'Unknown plan action: choose one from the list'),
    challenges: idList(50, 'Unknown challenge: choose one from the list'),
  })
  .superRefine((p, ctx) => {
    // Whole-day ISO dates compare correctly as strings.
    if (p.startDate && p.endDate && p.endDate < p.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'The end date is before the start date' });
    p.partners.forEach((x, i) => {
      if (x.startDate && x.endDate && x.endDate < x.startDate) ctx.addIssue({ code: 'custom', path: ['partners', i, 'endDate'], message: 'The end date is before the start date' });
      if (x.startDate && p.startDate && x.startDate < p.startDate) ctx.addIssue({ code: 'custom', path: ['partners', i, 'startDate'], message: 'The partner’s period starts before the project’s' });
      if (x.endDate && p.endDate && x.endDate > p.endDate) ctx.addIssue({ code: 'custom', path: ['partners', i, 'endDate'], message: 'The partner’s period ends after the project’s' });
      if (x.startDate && p.endDate && x.startDate > p.endDate) ctx.addIssue({ code: 'custom', path: ['partners', i, 'startDate'], message: 'The partner’s period starts after the project has ended' });
    });
    p.milestones.forEach((m, i) => {
      if (m.startDate && m.dueDate < m.startDate) ctx.addIssue({ code: 'custom', path: ['milestones', i, 'dueDate'], message: 'The end date is before the start date' });
    });
    p.funding.forEach((f, i) => {
      const seen = new Set<string>();
      f.amounts.forEach((a, j) => {
        const k = `${a.year}:${a.currency}`;
        if (seen.has(k)) ctx.addIssue({ code: 'custom', path: ['funding', i, 'amounts', j, 'year'], message: 'This year and currency are given twice for the same source' });
        seen.add(k);
      });
    });
  });
export type ProjectInput = z.output<typeof ProjectInput>;

/** Starting a project from an accepted challenge response (#14). */
export const StartFromResponseInput = z.object({
  challengeId: z.preprocess(trim, z.string({ message: 'Unknown challenge' }).uuid('Unknown challenge')),
  responseId: z.preprocess(trim, z.string({ message: 'Unknown response' }).uuid('Unknown response')),
});

export const DocumentInput = z.object({ title: reqText(300) });

export const RateInput = z.object({
  year: z.coerce.number({ message: 'Give the year as a number' }).int().min(1900).max(2200),
  from: currency,
  to: currency,
  rate: z.union([z.string(), z.number(), z.bigint()]).transform((v, ctx) => {
    if (typeof v === 'bigint') return v;
    const r = parseRate(v);
    if (r === null) {
      ctx.addIssue({ code: 'custom', message: 'Use a positive number with at most six decimals' });
      return z.NEVER;
    }
    return r;
  }),
}).refine((r) => r.from !== r.to, { path: ['to'], message: 'Choose two different currencies' });
export const RatesInput = z.object({ rates: z.array(RateInput).max(500) });

export const ListFilter = z.object({
  q: z.string().max(200).optional(),
  organisation: z.string().max(200).optional(),
  partner: z.string().max(200).optional(),
  funder: z.string().max(200).optional(),
  sdg: z.string().max(10).regex(/^\d{1,2}(\.[0-9a-z]{1,2})?$/).or(z.literal('')).optional(),
  state: z.enum(PROJECT_STATES).or(z.literal('')).optional(),
  year: z.coerce.number().int().min(1900).max(2200).or(z.literal('')).optional(),
  country: z.enum(['SE', 'NO', 'DK']).or(z.literal('')).optional(),
  action: z.string().uuid().or(z.literal('')).optional().describe('A plan action the project carries out'),
  challenge: z.string().uuid().or(z.literal('')).optional().describe('A challenge the project answers'),
});
export type ListFilter = z.output<typeof ListFilter>;

/**
 * Nests flat form names ("partners.0.role", "funding.1.amounts.2.year") into
 * objects and arrays. Array slots whose every field is empty are dropped, so a
 * form can offer blank rows that mean nothing when left blank.
 */
export function nestForm(values: Record<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const parts = key.split('.');
    if (parts.some((p) => p === '__proto__' || p === 'constructor' || p === 'prototype')) continue;
    let node: Record<string, unknown> = root;
    parts.forEach((p, i) => {
      if (i === parts.length - 1) node[p] = value;
      else {
        const next = parts[i + 1]!;
        node[p] ??= /^\d+$/.test(next) ? [] : {};
        node = node[p] as Record<string, unknown>;
      }
    });
  }
  const prune = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(prune).filter((x) => !isBlank(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, prune(x)]));
    return v;
  };
  return prune(root) as Record<string, unknown>;
}
const DEFAULTED = new Set(['role', 'kind', 'currency', 'isOwn', 'canEdit']);
function isBlank(v: unknown): boolean {
  if (v == null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.every(isBlank);
  if (typeof v === 'object') {
    // A blank row still carries its select boxes' first choice; those alone do not make it filled in.
    return Object.entries(v).every(([k, x]) => DEFAULTED.has(k) || isBlank(x));
  }
  return false;
}
