/**
 * Precomputation: statuses per indicator × area (× breakdown), then goal scores,
 * the index and the U4SSC dimension scores per area. Runs after every target change
 * (inside the change's transaction) and after imports (the indicators' data_version
 * moved: see recomputeStale). Pages only read the stored results.
 *
 * The per-series methods run in JavaScript on series read in one query per chunk of
 * indicators (the methods have too many branches to keep two implementations in step);
 * everything that aggregates across indicators or areas is one set-based SQL statement.
 *
 * Why this file is long: one pipeline (statuses, then goal scores, the index and dimension scores)
 * run in order on the same transaction; split, a reader would follow one recompute across files.
 */
import { sql } from 'drizzle-orm';
import { copyIn, copyTextField, readAll, withOwnConnection, type Database, type Executor } from '../../platform/db/index.js';
import { directory } from '../directory/index.js';
import { breakdownSeries, indicatorVersions, progressSeriesText, type IndicatorVersion } from '../indicators/index.js';
import type { AnnualArrays, Direction } from './methods/common.js';
import { latest, parseAnnual, parseSeriesText, type Parsed } from './series-text.js';
import { progressMeasureOf, type ProgressResult } from './methods/opensdg.js';
import { colour as dashColour, rescale, trendOf, type TrendResult } from './methods/sdgindex.js';
import { u4sscPoints } from './methods/u4ssc.js';
import { relativePositions, type RelativeResult } from './methods/relative.js';
import { encodeDetailValues, type DetailValues } from './details.js';
import { targets as targetsTable, type TargetRow } from './schema.js';

const rowsOf = async <T>(ex: Executor, q: ReturnType<typeof sql>): Promise<T[]> => (await ex.execute(q)).rows as T[];

/** Copies the member areas of every network that has targets from the directory. */
export async function refreshNetworkAreas(ex: Executor): Promise<void> {
  const ids = (await rowsOf<{ organisation_id: string }>(ex, sql`SELECT DISTINCT organisation_id FROM prog_targets WHERE level = 'network'`)).map((r) => r.organisation_id);
  const pairs: { organisation_id: string; area_id: string; network_name: string }[] = (await directory.currentMemberAreas(ex, ids)).map((m) => ({
    organisation_id: m.networkId,
    area_id: m.area.id,
    network_name: m.networkName,
  }));
  // A network with an area of its own (rare) reaches it too.
  for (const n of ids.length ? await directory.getOrganisationsByIds(ex, ids) : []) {
    if (n.areaId) pairs.push({ organisation_id: n.id, area_id: n.areaId, network_name: n.name });
  }
  await ex.execute(sql`DELETE FROM prog_network_areas`);
  if (pairs.length) {
    await ex.execute(sql`INSERT INTO prog_network_areas (organisation_id, area_id, network_name)
      SELECT DISTINCT organisation_id, area_id, network_name FROM jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) AS x(organisation_id uuid, area_id uuid, network_name text)`);
  }
}

/** One series to compute, parsed once; `pos` is its relative position when it has one. */
type Item = { areaId: string; t: TargetRow | null; a: AnnualArrays; series: [string, number | null][]; last: { period: string; value: number } | null; pos: RelativeResult | null };

/** Resolves the target that applies to one area: its own, then its network's, then national, then global. */
function resolver(ts: TargetRow[], networksOf: Map<string, string[]>) {
  const byArea = new Map<string, TargetRow>();
  const byNet = new Map<string, TargetRow>();
  const byCountry = new Map<string, TargetRow>();
  let global: TargetRow | null = null;
  for (const t of ts) {
    if (t.level === 'area') byArea.set(t.areaId!, t);
    else if (t.level === 'network') byNet.set(t.organisationId!, t);
    else if (t.level === 'national') byCountry.set(t.country!, t);
    else global = t;
  }
  return (areaId: string, country: string): TargetRow | null => {
    const own = byArea.get(areaId);
    if (own) return own;
    for (const n of networksOf.get(areaId) ?? []) {
      const t = byNet.get(n);
      if (t) return t;
    }
    return byCountry.get(country) ?? global;
  };
}

const NO_DATA: AnnualArrays = { years: [], values: [], n: 0 };


/** Whether a target puts its indicator into the area's index: a network's or the area's own set, or any target with a bound. */
const inIndexSet = (t: TargetRow) => t.level === 'network' || t.level === 'area' || t.bound !== null;

/** One status as a COPY line: the methods on the parsed series, then the stored components. */
function statusLine(ind: IndicatorVersion, head: LineHead, breakdown: string, it: Item): string {
  const { a, t, last } = it;
  const r: ProgressResult = progressMeasureOf(a, {
    direction: ind.direction,
    target: t?.value,
    targetYear: t?.targetYear,
    baseYear: t?.baselineYear,
    limit: t?.limitValue,
    manual: t?.manualStatus ? { status: t.manualStatus, reason: t.manualReason } : null,
  });
  let score: number | null = null;
  let colour: string | null = null;
  let trend: string | null = null;
  let points4: number | null = null;
  let bound: number | null = null;
  let green: number | null = null;
  let red: number | null = null;
  let tr: TrendResult | null = null;
  // The direction the target implies when the indicator itself is neutral.
  const d: Direction = r.direction;
  if (t && last && d !== 'neutral') {
    bound = t.bound ?? (d === 'higher' ? 0 : r.baseValue !== undefined && r.baseValue > t.value ? r.baseValue : null);
    if (bound !== null) score = rescale(last.value, bound, t.value, d);
    green = t.green ?? t.value;
    red = t.red ?? bound;
    if (red !== null && red !== green) colour = dashColour(last.value, green, red, d);
    else colour = (d === 'lower' ? last.value <= green : last.value >= green) ? 'green' : 'red';
    tr = trendOf(a, green, d);
    trend = tr.trend;
    if (ind.u4ssc_dimension || ind.framework === 'u4ssc') points4 = u4sscPoints(last.value, t.value, d);
  }
  // Every component in DETAIL_KEYS' order, as one array literal: no object of 30 keys per status
  // to build and then read back key by key (both showed in the recompute's profile).
  const details: DetailValues = [
    r.reason, // reason
    r.manualReason, // manualReason
    r.direction, // direction
    r.baseYear, // baseYear
    r.baseValue, // baseValue
    r.currentYear, // currentYear
    r.currentValue, // currentValue
    r.target, // target
    r.targetYear, // targetYear
    r.limit, // limit
    r.observedRate, // observedRate
    r.requiredRate, // requiredRate
    r.measure, // measure
    r.thresholds, // thresholds
    r.limitFactor, // limitFactor
    t?.level, // level
    t?.source, // targetSource
    last?.period, // latestPeriod
    last?.value, // latestValue
    bound, // bound
    green, // green
    red, // red
    tr?.observed, // trendObserved
    tr?.needed, // trendNeeded
    tr?.fromYear, // trendFrom
    tr?.toYear, // trendTo
    points4, // points
    it.pos?.rank, // rank
    it.pos?.groupSize, // groupSize
    it.pos?.percentile, // percentile
  ];
  const f = copyTextField;
  const goal = t && inIndexSet(t) && breakdown === '' ? head.goal : '\\N';
  // Colour, trend and status are fixed words, ids are uuids: nothing to escape. The details are
  // JSON, which never holds a raw tab or line break, only backslashes of its own escapes.
  const json = encodeDetailValues(details);
  return `${head.id}${it.areaId}${head.breakdown}${t?.id ?? '\\N'}\t${goal}${head.dimension}${r.status}\t${r.method}\t${f(score)}\t${colour ?? '\\N'}\t${trend ?? '\\N'}\t${f(points4)}\t${f(it.pos?.quartile)}\t${json.includes('\\') ? f(json) : json}\n`;
}

/**
 * The fields of a status line that are the same for every area of one indicator and breakdown,
 * escaped once (with their tabs) instead of once per area.
 */
type LineHead = { id: string; breakdown: string; goal: string; dimension: string };
function lineHead(ind: IndicatorVersion, breakdown: string): LineHead {
  const f = copyTextField;
  return { id: `${ind.id}\t${f(ind.code)}\t`, breakdown: `\t${f(breakdown)}\t`, goal: f(ind.sdg_goal), dimension: `\t${f(ind.u4ssc_dimension)}\t` };
}

const STATUS_COLUMNS = '(indicator_id, indicator_code, area_id, breakdown, target_id, goal, u4ssc_dimension, status, method, score, colour, trend, u4ssc_points, quartile, details)';


/** Every status of one indicator (all its breakdowns with targets), as COPY lines. */
function indicatorLines(ind: IndicatorVersion, ts: TargetRow[], seriesOf: (b: string) => Parsed[], networksOf: Map<string, string[]>, areasOfNetwork: Map<string, { id: string; country: string }[]>): string {
  const lines: string[] = [];
  const breakdowns = new Set(['', ...ts.map((t) => t.breakdown)]);
  for (const b of breakdowns) {
    const bts = ts.filter((t) => t.breakdown === b);
    const resolve = resolver(bts, networksOf);
    const rows = seriesOf(b);
    const items: Item[] = [];
    // The country a municipality's latest value is ranked in (other levels are not ranked).
    const countryOf: string[] = [];
    const seen = new Set<string>();
    for (const s of rows) {
      if (s.level === 'country' && b === '' && !ts.length) continue; // a country's own series has no peers to rank
      const t = resolve(s.areaId, s.country);
      if (b !== '' && !t) continue;
      seen.add(s.areaId);
      items.push({ areaId: s.areaId, t, a: s.a, series: s.series, last: latest(s.a, s.series), pos: null });
      countryOf.push(s.level === 'municipality' ? s.country : '');
    }
    // Areas a network's or area's target reaches but with no data: "not available", and counted
    // as missing by the index's coverage rule.
    for (const t of bts) {
      const reach = t.level === 'area' ? [{ id: t.areaId!, country: '' }] : t.level === 'network' ? (areasOfNetwork.get(t.organisationId!) ?? []) : [];
      for (const a of reach) {
        if (seen.has(a.id) || resolve(a.id, a.country) !== t) continue;
        seen.add(a.id);
        items.push({ areaId: a.id, t, a: NO_DATA, series: [], last: null, pos: null });
        countryOf.push('');
      }
    }
    // Relative position among the municipalities of the same country, by latest value.
    if (b === '' && ind.direction !== 'neutral') {
      const groups = new Map<string, Item[]>();
      items.forEach((it, i) => {
        const c = countryOf[i]!;
        if (c && it.last) (groups.get(c) ?? groups.set(c, []).get(c)!).push(it);
      });
      for (const members of groups.values()) {
        const positions = relativePositions(members.map((it) => it.last!.value), ind.direction);
        members.forEach((it, i) => (it.pos = positions[i] ?? null));
      }
    }
    const head = lineHead(ind, b);
    for (const it of items) lines.push(statusLine(ind, head, b, it));
  }
  return lines.join('');
}

/** One chunk's series as read: each indicator's text (parsed while its lines are computed) and its breakdowns' series. */
type ChunkSeries = { text: Map<string, string>; breakdowns: Map<string, Parsed[]> };

async function readChunk(reader: Executor, chunk: IndicatorVersion[], targetsOf: Map<string, TargetRow[]>): Promise<ChunkSeries> {
  const text = new Map<string, string>();
  for (const r of await progressSeriesText(reader, chunk.map((c) => c.id))) text.set(r.indicator_id, r.series);
  const breakdowns = new Map<string, Parsed[]>();
  for (const ind of chunk) {
    for (const b of new Set((targetsOf.get(ind.id) ?? []).map((t) => t.breakdown))) {
      if (b === '') continue;
      const rows = await breakdownSeries(reader, ind.id, b);
      breakdowns.set(`${ind.id}\u0000${b}`, rows.map((r) => ({ areaId: r.area_id, country: r.country, level: r.level, a: parseAnnual(r.series), series: r.series })));
    }
  }
  return { text, breakdowns };
}

/**
 * Statuses of a set of indicators across every area, into `table`. Per chunk of indicators: one
 * read of their series, then one COPY whose lines are computed while it runs (on PostgreSQL the
 * server ingests one piece while Node computes the next). With `replace`, each chunk's stored
 * rows are deleted first. When `reader` is another connection than `ex` (PostgreSQL), the next
 * chunk's read runs on it while this chunk's COPY streams; with one connection (PGlite) they take turns.
 */
async function recomputeStatuses(
  ex: Executor,
  inds: IndicatorVersion[],
  allTargets: TargetRow[],
  networksOf: Map<string, string[]>,
  areasOfNetwork: Map<string, { id: string; country: string }[]>,
  opts: { table: string; replace: boolean; reader: Executor },
  ms: Record<string, number> = {},
) {
  let t0 = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    ms[name] = (ms[name] ?? 0) + now - t0;
    t0 = now;
  };
  const targetsOf = new Map<string, TargetRow[]>();
  for (const t of allTargets) (targetsOf.get(t.indicatorId) ?? targetsOf.set(t.indicatorId, []).get(t.indicatorId)!).push(t);
  const CHUNK = 50;
  const overlap = opts.reader !== ex;
  const columns = `${opts.table} ${STATUS_COLUMNS}`;
  let next: Promise<ChunkSeries> | null = inds.length ? readChunk(opts.reader, inds.slice(0, CHUNK), targetsOf) : null;
  // A rejected prefetch is awaited (and so reported) by the next round; this only keeps Node from calling it unhandled meanwhile.
  next?.catch(() => {});
  for (let i = 0; i < inds.length; i += CHUNK) {
    const chunk = inds.slice(i, i + CHUNK);
    const ids = chunk.map((c) => c.id);
    const { text, breakdowns } = await next!;
    const following = inds.slice(i + CHUNK, i + 2 * CHUNK);
    next = null;
    if (overlap && following.length) {
      next = readChunk(opts.reader, following, targetsOf);
      next.catch(() => {});
    }
    lap('read');
    if (opts.replace) await ex.execute(sql`DELETE FROM prog_statuses WHERE indicator_id = ANY(${`{${ids.join(',')}}`}::uuid[])`);
    await copyIn(ex, columns, (function* () {
      for (const ind of chunk) {
        const own = text.get(ind.id);
        const main = own === undefined ? [] : parseSeriesText(own);
        text.delete(ind.id);
        yield indicatorLines(ind, targetsOf.get(ind.id) ?? [], (b) => (b === '' ? main : (breakdowns.get(`${ind.id}\u0000${b}`) ?? [])), networksOf, areasOfNetwork);
      }
    })());
    lap('compute and write');
    if (!overlap && following.length) next = readChunk(opts.reader, following, targetsOf);
  }
}

/** Goal scores, index and U4SSC dimension scores per area: set-based, from the statuses in `statuses` (a full recompute's new table before it is swapped in). */
export async function recomputeAggregates(ex: Executor, statuses = 'prog_statuses'): Promise<void> {
  const from = sql.raw(statuses);
  await ex.execute(sql`DELETE FROM prog_goal_scores`);
  await ex.execute(sql`INSERT INTO prog_goal_scores (area_id, goal, score, colour, trend, counted, selected)
    WITH s AS (
      SELECT area_id, goal, score, colour, trend,
        CASE colour WHEN 'green' THEN 0 WHEN 'yellow' THEN 1 WHEN 'orange' THEN 2 WHEN 'red' THEN 3 END AS crank,
        CASE trend WHEN 'on_track' THEN 3 WHEN 'moderately_improving' THEN 2 WHEN 'stagnating' THEN 1 WHEN 'decreasing' THEN 0 END AS tval
      FROM ${from} WHERE goal IS NOT NULL),
    w AS (SELECT *, row_number() OVER (PARTITION BY area_id, goal ORDER BY crank DESC NULLS LAST) AS worst FROM s)
    SELECT area_id, goal, avg(score),
      CASE WHEN count(crank) = 0 THEN NULL
           WHEN bool_and(crank = 0) FILTER (WHERE crank IS NOT NULL) THEN 'green'
           ELSE (ARRAY['green', 'yellow', 'orange', 'red'])[1 + greatest(1, floor(avg(crank) FILTER (WHERE worst <= 2))::int)] END,
      CASE WHEN count(tval) = 0 THEN NULL
           ELSE (ARRAY['decreasing', 'stagnating', 'moderately_improving', 'on_track'])[1 + round(avg(tval))::int] END,
      count(score)::int, count(*)::int
    FROM w GROUP BY area_id, goal`);
  await ex.execute(sql`DELETE FROM prog_area_index`);
  await ex.execute(sql`INSERT INTO prog_area_index (area_id, score, selected, missing, withheld, max_missing_share, u4ssc)
    WITH sel AS (
      SELECT area_id, count(*)::int AS selected, count(*) FILTER (WHERE score IS NULL)::int AS missing FROM ${from} WHERE goal IS NOT NULL GROUP BY area_id),
    g AS (SELECT area_id, avg(score) AS idx FROM prog_goal_scores WHERE score IS NOT NULL GROUP BY area_id),
    share AS (
      SELECT na.area_id, min(ps.max_missing_share) AS share FROM prog_network_areas na JOIN prog_settings ps ON ps.organisation_id = na.organisation_id GROUP BY na.area_id),
    u AS (
      SELECT area_id, jsonb_object_agg(u4ssc_dimension, jsonb_build_object('score', s, 'counted', c, 'sum', sm)) AS dims FROM (
        SELECT area_id, u4ssc_dimension, sum(u4ssc_points)::float / (4 * count(u4ssc_points)) AS s, count(u4ssc_points)::int AS c, sum(u4ssc_points)::int AS sm
        FROM ${from} WHERE u4ssc_points IS NOT NULL AND u4ssc_dimension IS NOT NULL GROUP BY area_id, u4ssc_dimension) x GROUP BY area_id),
    areas_ AS (SELECT area_id FROM sel UNION SELECT area_id FROM u)
    SELECT a.area_id,
      CASE WHEN g.idx IS NULL OR sel.missing::float / sel.selected > COALESCE(share.share, 0.2) + 1e-12 THEN NULL ELSE g.idx END,
      COALESCE(sel.selected, 0), COALESCE(sel.missing, 0),
      CASE WHEN sel.selected IS NULL THEN 'no_indicators'
           WHEN sel.missing::float / sel.selected > COALESCE(share.share, 0.2) + 1e-12 THEN 'too_many_missing'
           WHEN g.idx IS NULL THEN 'no_indicators' END,
      COALESCE(share.share, 0.2),
      COALESCE(u.dims, '{}'::jsonb)
    FROM areas_ a LEFT JOIN sel ON sel.area_id = a.area_id LEFT JOIN g ON g.area_id = a.area_id
    LEFT JOIN share ON share.area_id = a.area_id LEFT JOIN u ON u.area_id = a.area_id`);
}

/**
 * A full recompute writes every status into a new table and swaps it in at the end of its
 * transaction: a COPY into a table without indexes, the indexes built once after it, is several
 * times cheaper than deleting every row and maintaining two indexes row by row (and leaves no dead
 * rows behind). The new table gets the indexes the old one has, whatever the migrations made them.
 */
const NEXT = 'prog_statuses_next';
type StatusIndex = { name: string; def: string; primary: boolean };

async function statusIndexes(ex: Executor): Promise<StatusIndex[]> {
  return rowsOf<StatusIndex>(ex, sql`SELECT c.relname AS name, pg_get_indexdef(c.oid) AS def, x.indisprimary AS primary
    FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = 'prog_statuses'::regclass ORDER BY c.relname`);
}

/** An index's definition, moved to the new table under a temporary name. */
function onNext(ix: StatusIndex): string {
  const def = ix.def.replace(` INDEX ${ix.name} ON `, ` INDEX ${ix.name}_next ON `).replace(/ ON ((?:\S+\.)?)prog_statuses USING /, ` ON $1${NEXT} USING `);
  if (!def.includes(`${ix.name}_next ON `) || !def.includes(`${NEXT} USING `)) throw new Error(`progress: cannot rebuild index ${ix.name} (${ix.def})`);
  return def;
}

/**
 * Recomputes the given indicators (or every indicator with data or a target) and then
 * every area's aggregates. Call inside the transaction of the change that caused it. `reader`, when
 * it is another connection than `ex`, reads the indicators' series beside the writes (see
 * recomputeStatuses): only for a caller whose own transaction has not changed observations.
 */
export async function recompute(ex: Executor, scope: 'all' | { indicatorIds: string[] }, reader: Executor = ex): Promise<{ indicators: number; ms: Record<string, number> }> {
  const ms: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    ms[name] = (ms[name] ?? 0) + now - t0;
    t0 = now;
  };
  const full = scope === 'all';
  // Other recomputes and target changes wait for a full one (their rows would be lost in its swap);
  // pages go on reading the stored statuses (this mode lets SELECT through).
  if (full) await ex.execute(sql`LOCK TABLE prog_statuses IN SHARE ROW EXCLUSIVE MODE`);
  await refreshNetworkAreas(ex);
  const targetRows = await ex.select().from(targetsTable);
  let inds: IndicatorVersion[];
  if (scope === 'all') {
    const withData = await indicatorVersions(ex);
    const extra = [...new Set(targetRows.map((t) => t.indicatorId))].filter((id) => !withData.some((w) => w.id === id));
    inds = extra.length ? [...withData, ...(await indicatorVersions(ex, extra))] : withData;
  } else {
    inds = scope.indicatorIds.length ? await indicatorVersions(ex, scope.indicatorIds) : [];
  }
  const na = await rowsOf<{ organisation_id: string; area_id: string }>(ex, sql`SELECT organisation_id, area_id FROM prog_network_areas ORDER BY network_name, organisation_id`);
  const networksOf = new Map<string, string[]>();
  const areasOfNetwork = new Map<string, { id: string; country: string }[]>();
  for (const r of na) {
    (networksOf.get(r.area_id) ?? networksOf.set(r.area_id, []).get(r.area_id)!).push(r.organisation_id);
    (areasOfNetwork.get(r.organisation_id) ?? areasOfNetwork.set(r.organisation_id, []).get(r.organisation_id)!).push({ id: r.area_id, country: '' });
  }
  const indexes = full ? await statusIndexes(ex) : [];
  if (full) await ex.execute(sql.raw(`CREATE TABLE ${NEXT} (LIKE prog_statuses INCLUDING DEFAULTS)`));
  lap('prepare');
  await recomputeStatuses(ex, inds, targetRows, networksOf, areasOfNetwork, { table: full ? NEXT : 'prog_statuses', replace: !full, reader }, ms);
  t0 = performance.now();
  if (full) {
    for (const ix of indexes) await ex.execute(sql.raw(onNext(ix)));
    // A new table has no statistics: the aggregates below and the pages' plans need them now, not at autovacuum's next pass.
    await ex.execute(sql.raw(`ANALYZE ${NEXT}`));
    lap('indexes');
  }
  if (inds.length) {
    const versions = JSON.stringify(inds.map((i) => ({ indicator_id: i.id, data_version: i.data_version })));
    await ex.execute(sql`INSERT INTO prog_versions (indicator_id, data_version, computed_at)
      SELECT indicator_id, data_version, now() FROM jsonb_to_recordset(${versions}::jsonb) AS x(indicator_id uuid, data_version int)
      ON CONFLICT (indicator_id) DO UPDATE SET data_version = excluded.data_version, computed_at = excluded.computed_at`);
  }
  await recomputeAggregates(ex, full ? NEXT : 'prog_statuses');
  lap('aggregates');
  if (full) {
    // The swap is the transaction's last step: readers wait only from here to the commit, and
    // then see the new statuses; before, they see the old ones, never an empty table.
    await ex.execute(sql.raw('DROP TABLE prog_statuses'));
    await ex.execute(sql.raw(`ALTER TABLE ${NEXT} RENAME TO prog_statuses`));
    for (const ix of indexes) {
      // The primary key becomes a constraint again (it takes the index's name from the constraint).
      await ex.execute(sql.raw(ix.primary ? `ALTER TABLE prog_statuses ADD CONSTRAINT ${ix.name} PRIMARY KEY USING INDEX ${ix.name}_next` : `ALTER INDEX ${ix.name}_next RENAME TO ${ix.name}`));
    }
    lap('swap');
  }
  return { indicators: inds.length, ms };
}

/**
 * Everything, in one transaction of its own; on PostgreSQL the series are read on a connection of
 * their own beside it (nothing in this transaction changes observations, so both see the same).
 */
export async function recomputeEverything(db: Database): Promise<{ indicators: number; ms: Record<string, number> }> {
  return withOwnConnection(db, (reader) => db.orm.transaction((tx) => recompute(tx, 'all', reader ?? tx)));
}

/** Indicators whose data changed since their statuses were computed (an import bumped data_version). */
export async function staleIndicators(ex: Executor): Promise<string[]> {
  const [versions, done] = await readAll(ex, [
    () => indicatorVersions(ex),
    () => rowsOf<{ indicator_id: string; data_version: number }>(ex, sql`SELECT indicator_id, data_version FROM prog_versions`),
  ]);
  const seen = new Map(done.map((d) => [d.indicator_id, Number(d.data_version)]));
  return versions.filter((v) => seen.get(v.id) !== Number(v.data_version)).map((v) => v.id);
}
