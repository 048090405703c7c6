/**
 * The window of one page of a list (docs/api.md): `page` from 1, `pageSize` capped, and the
 * OFFSET they make. Read functions cut their SQL with it and count the same conditions, so a
 * list costs one page and `total` counts only what the caller may see.
 */
export type Page<T> = { items: T[]; page: number; pageSize: number; total: number };
export type PageRequest = { page?: number | undefined; pageSize?: number | undefined };

export function pageWindow(q: PageRequest, opts: { max?: number; default?: number } = {}) {
  const max = opts.max ?? 200;
  const page = Math.max(1, Math.floor(q.page ?? 1));
  const pageSize = Math.min(max, Math.max(1, Math.floor(q.pageSize ?? opts.default ?? 50)));
  return { page, pageSize, offset: (page - 1) * pageSize };
}

/** An empty page, for filters that can match nothing (an unknown organisation). */
export const emptyPage = <T>(q: PageRequest, opts?: { max?: number; default?: number }): Page<T> => {
  const w = pageWindow(q, opts);
  return { items: [], page: w.page, pageSize: w.pageSize, total: 0 };
};
