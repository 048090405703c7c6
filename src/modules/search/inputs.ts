import { z } from 'zod';

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const opt = <T extends z.ZodType>(s: T) => z.preprocess(blankToUndefined, s.optional());

/**
 * The search query, shared by `/search` and `GET /api/search`. The text itself may be
 * long here: the service answers an over-long or word-less query with a clear message
 * (422 on the API, a note on the page) instead of a bare schema failure.
 */
export const SearchQuery = z.object({
  q: z.string().max(20_000).default(''),
  type: opt(z.string().regex(/^[a-z_]{1,40}$/)),
  org: opt(z.string().uuid()),
  sdg: opt(z.coerce.number().int().min(1).max(17)),
  year: opt(z.coerce.number().int().min(1900).max(2200)),
  lang: opt(z.enum(['sv', 'nb', 'da', 'en'])),
  page: opt(z.coerce.number().int().min(1).max(10_000)),
  pageSize: opt(z.coerce.number().int().min(1).max(100)),
});
export type SearchQuery = z.infer<typeof SearchQuery>;
