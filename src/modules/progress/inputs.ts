/**
 * One schema per input, shared by the JSON API and the forms. Forms send
 * strings: an empty field means "not given", anything else must parse as a number.
 */
import { z } from 'zod';
import { TARGET_LEVELS } from './schema.js';
import { PROGRESS_STATUSES } from './methods/opensdg.js';

const blank = (v: unknown) => (v === '' || v === null ? undefined : v);
// null stays null (an API client clearing a field); an empty form field is "not given".
const toNum = (v: unknown) => {
  const b = v === '' ? undefined : v;
  return typeof b === 'string' ? (/^\s*-?\d+([.,]\d+)?(e-?\d+)?\s*$/i.test(b) ? Number(b.replace(',', '.')) : b) : b;
};
const toYear = (v: unknown) => {
  const b = blank(v);
  return typeof b === 'string' && /^\d+$/.test(b.trim()) ? Number(b) : b;
};
// The optional forms wrap optional() inside the preprocess: a form's empty field becomes
// undefined there, which an outer optional() would no longer see.
const num = z.preprocess(toNum, z.number({ message: 'must be a number' }).finite());
const optNum = z.preprocess(toNum, z.number({ message: 'must be a number' }).finite().optional().nullable());
const optYear = z.preprocess(toYear, z.number({ message: 'must be a year' }).int().min(1900).max(2100).optional());
const optText = (max: number) => z.preprocess(blank, z.string().trim().max(max).optional());

/** The fields a target carries whatever its scope. */
export const TargetFields = z.object({
  value: num,
  targetYear: optYear,
  baselineYear: optYear,
  limit: optNum,
  bound: optNum,
  green: optNum,
  red: optNum,
  // null clears a manual status (PATCH); blank() would turn it into "not given" and keep the old one.
  manualStatus: z.preprocess((v) => (v === '' ? undefined : v), z.enum(PROGRESS_STATUSES).optional().nullable()),
  manualReason: optText(1000),
  source: optText(2000),
});

const yearsInOrder = (t: { targetYear?: number | undefined; baselineYear?: number | undefined }) => (t.targetYear ?? 2030) > (t.baselineYear ?? 2015);
const yearsIssue = { message: 'the target year must come after the baseline year', path: ['targetYear'] };
const manualNeedsReason = (t: { manualStatus?: string | null | undefined; manualReason?: string | undefined }) => !t.manualStatus || !!t.manualReason;
const manualIssue = { message: 'a manual status needs a reason', path: ['manualReason'] };

/** A new target: the indicator by code, the scope by level and key/slug/country. */
export const TargetInput = TargetFields.extend({
  indicator: z.string().trim().min(1, 'required').max(80),
  level: z.enum(TARGET_LEVELS),
  area: optText(100),
  organisation: optText(200),
  country: z.preprocess(blank, z.enum(['SE', 'NO', 'DK']).optional()),
  breakdown: z.preprocess((v) => (v === null || v === undefined ? '' : v), z.string().trim().max(300)),
})
  .refine(yearsInOrder, yearsIssue)
  .refine(manualNeedsReason, manualIssue)
  .refine((t) => t.level !== 'area' || !!t.area, { message: 'required for an area target', path: ['area'] })
  .refine((t) => t.level !== 'network' || !!t.organisation, { message: 'required for a network target', path: ['organisation'] })
  .refine((t) => t.level !== 'national' || !!t.country, { message: 'required for a national target', path: ['country'] });
export type TargetInput = z.output<typeof TargetInput>;

/** A change: the scope and indicator stay; any field may be given. */
export const TargetUpdate = TargetFields.partial().refine(manualNeedsReason, manualIssue);
export type TargetUpdate = z.output<typeof TargetUpdate>;
