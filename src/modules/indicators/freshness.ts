/**
 * What each public read of the indicators module depends on (see src/web/freshness.ts).
 *
 * Reference data (frameworks, area lists, SDG links, indicator metadata) moves the `indicators`
 * domain; an import of observations moves `indicator-data` and the data_version of each indicator
 * it touched. Pages about one indicator or one area read the data versions of what they show, so
 * an import changes the ETag of the pages that show its data and of nothing else.
 */
import type { FastifyRequest } from 'fastify';
import type { Database } from '../../platform/db/index.js';
import type { Freshness } from '../../web/freshness.js';

const param = (req: FastifyRequest, name: string) => String((req.params as Record<string, unknown>)[name] ?? '');

export function indicatorFreshness(db: Database): (url: string) => Freshness | undefined {
  /** The indicator's data version; an unknown code gives the same answer (the route's 404) until one is created. */
  const indicatorVersion = async (req: FastifyRequest) => {
    const [row] = await db.query<{ v: number }>('SELECT data_version AS v FROM ind_indicators WHERE code = $1', [param(req, 'code')]);
    return row ? row.v : 'none';
  };
  /** Every indicator with data for the area: the sum of their versions moves whenever one of them is imported. */
  const areaVersion = async (req: FastifyRequest) => {
    const [row] = await db.query<{ v: string; n: string }>(
      `SELECT COALESCE(sum(i.data_version), 0)::text AS v, count(*)::text AS n
       FROM areas a JOIN ind_area_summary s ON s.area_id = a.id JOIN ind_indicators i ON i.id = s.indicator_id
       WHERE a.key = $1`,
      [param(req, 'key').toLowerCase()],
    );
    return row ? `${row.v}.${row.n}` : 'none';
  };
  const reference: Freshness = { domains: ['indicators', 'directory'] };
  const everyImport: Freshness = { domains: ['indicators', 'indicator-data', 'directory'] };
  // data_version and the summaries move only with imports; new indicators and areas with reference writes.
  const movesWith = ['indicator-data', 'indicators', 'directory'] as const;
  const oneIndicator: Freshness = { domains: ['indicators', 'directory'], version: indicatorVersion, versionMovesWith: movesWith };
  // The area page also shows other modules' sections (progress: the index score), written under 'other'.
  const oneArea: Freshness = { domains: ['indicators', 'directory', 'other'], version: areaVersion, versionMovesWith: movesWith };
  const table: Record<string, Freshness> = {
    '/indicators': everyImport,
    '/indicators/:code': oneIndicator,
    '/areas/:key': oneArea,
    '/frameworks': everyImport,
    '/frameworks/:key': everyImport,
    '/api/indicators': everyImport,
    '/api/frameworks': reference,
    '/api/frameworks/:key': reference,
    '/api/indicators/:code': oneIndicator,
    '/api/indicators/:code/observations': oneIndicator,
    '/api/areas/:key': reference,
    '/api/areas/:key/indicators': oneArea,
    '/api/areas/:key/geometry': reference,
    '/api/area-groups': everyImport,
    '/api/export/opensdg/:file': everyImport,
    '/api/export/jsonstat/:codes': everyImport,
  };
  return (url) => table[url];
}
