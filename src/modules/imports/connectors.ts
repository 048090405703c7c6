/**
 * Live connectors: fetch a Kolada KPI (API v3) or a PxWebApi table (SSB, SCB,
 * DST) by id. `fetch` is injected so tests can replay responses in the exact
 * real format; in production it is the global fetch.
 */
import type { KoladaPage } from './importers/kolada.js';

export type Fetch = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<{ ok: boolean; status: number; statusText: string; json(): Promise<unknown> }>;

// A fetch that fails is one of the platform's validation errors (422, code connector_failed).
import { ConnectorError } from '../../platform/errors.js';
export { ConnectorError };

export const KOLADA_BASE = 'https://api.kolada.se/v3';

async function getJson(fetchFn: Fetch, url: string, init?: Parameters<Fetch>[1]): Promise<unknown> {
  let res;
  try {
    res = await fetchFn(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(60_000), headers: { accept: 'application/json', ...(init?.headers ?? {}) } });
  } catch (err) {
    throw new ConnectorError(`Could not reach ${new URL(url).host}: ${(err as Error).message}`);
  }
  if (!res.ok) throw new ConnectorError(`${url} answered ${res.status} ${res.statusText}`);
  return res.json();
}

/** Follows Kolada's `next_page` links and returns one response with every value. */
export async function koladaAll<T>(fetchFn: Fetch, url: string, maxPages = 200): Promise<KoladaPage<T>> {
  const values: T[] = [];
  let next: string | null | undefined = url;
  for (let i = 0; next && i < maxPages; i++) {
    const page = (await getJson(fetchFn, next)) as KoladaPage<T>;
    if (!page || !Array.isArray(page.values)) throw new ConnectorError(`${next} did not return a Kolada v3 list`);
    values.push(...page.values);
    next = page.next_page;
  }
  return { count: values.length, values };
}

const ids = (s: string[] | undefined) => (s && s.length ? s.map(encodeURIComponent).join(',') : undefined);

/** Kolada data for one KPI, optionally limited to municipalities and years. */
export async function fetchKoladaKpi(fetchFn: Fetch, kpi: string, opts: { municipalities?: string[]; years?: number[]; base?: string } = {}) {
  if (!/^[A-Z]\d{5}$/.test(kpi)) throw new ConnectorError(`"${kpi}" is not a Kolada KPI id`);
  const base = opts.base ?? KOLADA_BASE;
  let path = `${base}/data/kpi/${kpi}`;
  if (ids(opts.municipalities)) path += `/municipality/${ids(opts.municipalities)}`;
  if (opts.years?.length) path += `/year/${opts.years.join(',')}`;
  const [data, meta] = await Promise.all([koladaAll(fetchFn, `${path}?per_page=5000`), koladaAll(fetchFn, `${base}/kpi/${kpi}`)]);
  return { data, kpi: meta };
}

export const fetchKoladaMunicipalities = (fetchFn: Fetch, base = KOLADA_BASE) => koladaAll(fetchFn, `${base}/municipality?per_page=5000`);
export const fetchKoladaGroups = (fetchFn: Fetch, base = KOLADA_BASE) => koladaAll(fetchFn, `${base}/municipality_group?per_page=5000`);

export const PXWEB_SITES = {
  ssb: 'https://data.ssb.no/api/pxwebapi/v2',
  scb: 'https://statistikdatabasen.scb.se/api/v2',
  dst: 'https://api.statbank.dk/v1',
} as const;

/**
 * A PxWebApi table as JSON-stat 2.0. PxWebApi 2 (SSB, SCB) is a GET on
 * /tables/{id}/data with valueCodes per dimension; Statistics Denmark's API
 * takes a POST to /data with the table id and variables.
 */
export async function fetchPxWeb(
  fetchFn: Fetch,
  site: keyof typeof PXWEB_SITES | string,
  table: string,
  opts: { lang?: string; valueCodes?: Record<string, string[]> } = {},
): Promise<unknown> {
  if (!/^[A-Za-z0-9_]{1,40}$/.test(table)) throw new ConnectorError(`"${table}" is not a table id`);
  const base = site in PXWEB_SITES ? PXWEB_SITES[site as keyof typeof PXWEB_SITES] : site;
  const lang = opts.lang ?? 'en';
  let ds: unknown;
  if (site === 'dst') {
    ds = await getJson(fetchFn, `${base}/data`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ table, format: 'JSONSTAT', lang, variables: Object.entries(opts.valueCodes ?? {}).map(([code, values]) => ({ code, values })) }),
    });
  } else {
    const params = new URLSearchParams({ lang, outputFormat: 'json-stat2' });
    for (const [dim, codes] of Object.entries(opts.valueCodes ?? {})) params.set(`valueCodes[${dim}]`, codes.join(','));
    ds = await getJson(fetchFn, `${base}/tables/${table}/data?${params.toString()}`);
  }
  const d = ds as { class?: string; dataset?: unknown };
  // Statistics Denmark's JSONSTAT answer wraps the dataset under "dataset" (JSON-stat 1 style).
  if (d && d.class !== 'dataset' && d.dataset) return d.dataset;
  return ds;
}
