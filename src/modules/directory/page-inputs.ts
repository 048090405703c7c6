/** What the directory's page routes share: route parameters, the list query, and the end date of an "end" form. */
import { z } from 'zod';
import { parseInput, partialDate } from './inputs.js';
import { ORG_KINDS } from './schema.js';

export const hide = { hide: true } as const;
export const Slug = z.object({ slug: z.string().min(1).max(200) });
export const Id = z.object({ id: z.string().min(1).max(100) });
export const Form = z.record(z.string(), z.unknown());
export const ListQuery = z.object({
  q: z.string().max(200).optional(),
  kind: z.enum(ORG_KINDS).or(z.literal('')).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});

/** The optional end date of an "end" form, validated like every other date. */
export const endDateFrom = (body: unknown, field: 'endedOn' | 'endDate') =>
  parseInput(z.object({ [field]: z.preprocess((v) => (v === '' ? null : v), partialDate.nullable().optional()) }), body)[field] as string | null | undefined;
