import { z } from 'zod';
import { ValidationError } from '../../platform/errors.js';
import { AREA_LEVELS, CONTENT_LANGS, COUNTRIES, ORG_KINDS, ROLES } from './schema.js';

/**
 * Input schemas shared by the JSON API and the HTML forms, so both reject the
 * same things with the same field names. Empty form fields arrive as '' and mean "none".
 */
const emptyToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : typeof v === 'string' ? v.trim() : v);
const optText = (max: number) => z.preprocess(emptyToNull, z.string().max(max).nullable().optional());
const reqText = (max: number) => z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string().min(1).max(max));
/** YYYY, YYYY-MM or YYYY-MM-DD: the directory's dates are often known only to the year or month. */
const partialDate = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'Use YYYY, YYYY-MM or YYYY-MM-DD')
  .refine((s) => {
    if (s.length === 4) return true;
    const full = s.length === 7 ? `${s}-01` : s;
    const d = new Date(`${full}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === full;
  }, 'Not a real date (use YYYY, YYYY-MM or YYYY-MM-DD)');
const optDate = z.preprocess(emptyToNull, partialDate.nullable().optional());

/** The first and last calendar day a partial date can mean, for comparisons. */
export const periodStart = (d: string) => d + '-01-01'.slice(d.length - 4);
export const periodEnd = (d: string) => {
  if (d.length === 4) return `${d}-12-31`;
  if (d.length === 7) {
    const [y, m] = d.split('-').map(Number) as [number, number];
    return `${d}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
  }
  return d;
};
/** True when the end lies before the start, taking each at its widest. */
export const endsBeforeStart = (start: string | null | undefined, end: string | null | undefined) => !!start && !!end && periodEnd(end) < periodStart(start);
const optUuid = z.preprocess(emptyToNull, z.string().uuid().nullable().optional());
const optUrl = z.preprocess(
  emptyToNull,
  z
    .string()
    .max(500)
    .url()
    .refine((u) => /^https?:\/\//i.test(u), 'Use an http or https address')
    .nullable()
    .optional(),
);

export const Lang = z.enum(CONTENT_LANGS);

/** An optional address part chosen by the editor; by default it is made from the name. */
const optSlug = z.preprocess(
  emptyToNull,
  z.string().max(80).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single hyphens').nullable().optional(),
);

/** Official code formats: SE kommun 4 digits, län 2; NO kommune 4, fylke 2; DK kommune 3, region 4. */
export function validAreaCode(country: string, level: string, code: string): boolean {
  const patterns: Record<string, Record<string, RegExp>> = {
    SE: { municipality: /^\d{4}$/, region: /^\d{2}$/, country: /^$/ },
    NO: { municipality: /^\d{4}$/, region: /^\d{2}$/, country: /^$/ },
    DK: { municipality: /^\d{3}$/, region: /^\d{4}$/, country: /^$/ },
  };
  return patterns[country]?.[level]?.test(code) ?? false;
}

export const AreaRef = z.object({
  country: z.enum(COUNTRIES),
  code: z.string().regex(/^\d{2,4}$/, 'An official code is 2 to 4 digits'),
  name: optText(200),
});

export const OrganisationInput = z
  .object({
    name: reqText(300),
    slug: optSlug,
    shortName: optText(60),
    kind: z.enum(ORG_KINDS),
    parentId: optUuid,
    country: z.preprocess(emptyToNull, z.enum(COUNTRIES).nullable().optional()),
    areaCode: z.preprocess(emptyToNull, z.string().regex(/^\d{2,4}$/, 'An official code is 2 to 4 digits').nullable().optional()),
    lang: Lang.default('en'),
    description: z.preprocess((v) => (v == null ? '' : v), z.string().max(10_000)),
    website: optUrl,
    foundedOn: optDate,
  })
  .superRefine((v, ctx) => {
    const territorial = v.kind === 'municipality' || v.kind === 'county' || v.kind === 'region';
    if (territorial) {
      if (!v.country) ctx.addIssue({ code: 'custom', path: ['country'], message: 'A municipality, county or region needs its country' });
      if (!v.areaCode) ctx.addIssue({ code: 'custom', path: ['areaCode'], message: 'A municipality, county or region needs its official code' });
      if (v.country && v.areaCode && !validAreaCode(v.country, v.kind === 'municipality' ? 'municipality' : 'region', v.areaCode)) {
        ctx.addIssue({ code: 'custom', path: ['areaCode'], message: `Not a valid ${v.country} ${v.kind} code` });
      }
    }
  });
export type OrganisationInput = z.infer<typeof OrganisationInput>;

export const PersonInput = z.object({
  name: reqText(200),
  slug: optSlug,
  title: optText(200),
  lang: Lang.default('en'),
  email: z.preprocess(emptyToNull, z.string().email().max(200).nullable().optional()),
  phone: z.preprocess(emptyToNull, z.string().regex(/^[+0-9 ()-]{5,30}$/, 'Not a phone number').nullable().optional()),
});
export type PersonInput = z.infer<typeof PersonInput>;

export const MembershipFields = z.object({
  organisationId: z.string().uuid(),
  personId: optUuid,
  memberOrganisationId: optUuid,
  role: z.enum(ROLES),
  label: optText(200),
  onBehalfOfId: optUuid,
  startDate: optDate,
  endDate: optDate,
});

/** A membership of an existing person or organisation. */
export const MembershipInput = MembershipFields.superRefine((v, ctx) => {
    if (!v.personId === !v.memberOrganisationId) {
      ctx.addIssue({ code: 'custom', path: ['personId'], message: 'Choose either a person or an organisation as the member' });
    }
    if (v.memberOrganisationId && v.memberOrganisationId === v.organisationId) {
      ctx.addIssue({ code: 'custom', path: ['memberOrganisationId'], message: 'An organisation cannot be a member of itself' });
    }
    if (endsBeforeStart(v.startDate, v.endDate)) {
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'The end date is before the start date' });
    }
});
export type MembershipInput = z.infer<typeof MembershipInput>;

export const MembershipUpdate = z
  .object({
    role: z.enum(ROLES),
    label: optText(200),
    onBehalfOfId: optUuid,
    startDate: optDate,
    endDate: optDate,
  })
  .superRefine((v, ctx) => {
    if (endsBeforeStart(v.startDate, v.endDate)) {
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'The end date is before the start date' });
    }
  });
export type MembershipUpdate = z.infer<typeof MembershipUpdate>;

export const CommitmentInput = z.object({
  title: reqText(300),
  slug: optSlug,
  lang: Lang.default('en'),
  datedOn: optDate,
  body: z.preprocess((v) => (v == null ? '' : v), z.string().max(20_000)),
  url: optUrl,
});
export type CommitmentInput = z.infer<typeof CommitmentInput>;

export const SignatureInput = z.object({
  organisationId: z.string().uuid(),
  signedOn: optDate,
  note: optText(1000),
});
export type SignatureInput = z.infer<typeof SignatureInput>;

export const EndInput = z.object({ endedOn: optDate });

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD');
export const AreaInput = z
  .object({
    country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 country code such as SE or FI'),
    level: z.enum(AREA_LEVELS),
    // Official codes are digits in the Nordics; elsewhere (and for districts) letters too.
    code: z.string().regex(/^[0-9A-Za-z]{0,12}$/, 'letters and digits, at most 12'),
    name: reqText(200),
    parentKey: z.string().nullable().optional(),
    validFrom: isoDate.nullable().optional(),
    validTo: isoDate.nullable().optional(),
  })
  .refine((a) => a.level !== 'district' || !!a.parentKey, { path: ['parentKey'], message: 'A district lies within a municipality: name it' })
  .refine((a) => a.level === 'country' || a.code !== '', { path: ['code'], message: 'Required below the country level' })
  .refine((a) => !a.validFrom || !a.validTo || a.validFrom <= a.validTo, { path: ['validTo'], message: 'Ends before it begins' });
export type AreaInput = z.infer<typeof AreaInput>;

export const areaKey = (country: string, code: string) => (code ? `${country.toLowerCase()}-${code.toLowerCase()}` : country.toLowerCase());
/** A district's key extends its municipality's: se-0780-teleborg. */
export const areaKeyFor = (a: { country: string; level: string; code: string; parentKey?: string | null | undefined }) =>
  a.level === 'district' && a.parentKey ? `${a.parentKey}-${a.code.toLowerCase()}` : areaKey(a.country, a.code);

export { partialDate };

/** Turns a Zod failure into the domain's ValidationError, naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ValidationError(
    r.error.issues.map((i) => ({ field: i.path.join('.') || '_', message: i.message })),
  );
}

export const today = () => new Date().toISOString().slice(0, 10);
/** A record is current when it has not ended, or its end (at its latest reading) is today or later. */
export const isCurrent = (end: string | null | undefined, on = today()) => !end || periodEnd(end) >= on;
