import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

/** Shared pieces of the JSON API: pagination and the problem document. */
export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe('Stable machine-readable error code'),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .describe('application/problem+json (RFC 9457)');

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
    links: z.object({ self: z.string(), next: z.string().optional(), prev: z.string().optional() }),
  });

export function pageLinks(req: FastifyRequest, page: number, pageSize: number, total: number) {
  const url = new URL(req.url, 'http://x');
  const at = (p: number) => {
    url.searchParams.set('page', String(p));
    url.searchParams.set('pageSize', String(pageSize));
    return `${url.pathname}?${url.searchParams}`;
  };
  return {
    self: at(page),
    ...(page * pageSize < total ? { next: at(page + 1) } : {}),
    ...(page > 1 ? { prev: at(page - 1) } : {}),
  };
}

/**
 * The one list contract of the JSON API (docs/api.md): the page's items, where it is, how many
 * there are in all, and links to this, the next and the previous page. `total` comes from a count
 * in SQL beside the LIMIT/OFFSET query, never from loading the list.
 */
export function paged<T>(req: FastifyRequest, page: number, pageSize: number, total: number, items: T[]) {
  return { items, page, pageSize, total, links: pageLinks(req, page, pageSize, total) };
}

/** Error responses every write route can give, for the OpenAPI document. */
export const writeErrors = { 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem } as const;
export const readErrors = { 404: Problem } as const;
export const iso = (d: Date | string | null) => (d == null ? null : typeof d === 'string' ? d : d.toISOString());

/** OpenAPI security for write routes: an API token, or a session cookie plus the CSRF header. */
export const write: { security: Record<string, string[]>[] } = { security: [{ apiToken: [] }, { session: [] }] };
