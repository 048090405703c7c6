/**
 * The opening of a municipality's area page (issue #10): the 17 SDG goals as tiles, each with how
 * many of the area's indicators have data under it (a tile links down to its goal's section), and
 * the few indicators that moved most over the last comparable periods, better or worse by the
 * indicator's direction, each with its sparkline.
 *
 * "Moved most" is computed in SQL from the precomputed summary (one row per indicator × area, its
 * series a short JSON array), so the page stays one cheap query more: no observation is read.
 */
import type { Executor } from '../../platform/db/index.js';
import { InLanguage, SdgTile, SdgTiles } from '../../web/components.js';
import { defineCatalog, formatNumber, type Locale } from '../../web/i18n/index.js';
import { sparkSvg } from './charts.js';
import { rawQuery } from './service.js';

/** How many periods back "moved" looks: the change from the earliest value among the last WINDOW + 1 periods to the latest. */
export const MOVED_WINDOW = 3;

export type MovedRow = {
  code: string;
  name: string;
  lang: string;
  unit: string;
  decimals: number;
  direction: 'higher' | 'lower' | 'neutral';
  base_period: string;
  base_value: number;
  latest_period: string;
  latest_value: number;
  /** (latest − base) / |base| */
  rel: number;
  series: [string, number | null][];
};

/**
 * The indicators of one area with the largest relative change between the earliest value among
 * its last MOVED_WINDOW + 1 periods and its latest value. A base of zero has no relative change
 * and is skipped; an unchanged value is not a movement.
 */
export async function movedMost(db: Executor, areaId: string, limit = 5): Promise<MovedRow[]> {
  const rows = await rawQuery<MovedRow & { rel: number | string }>(
    db,
    `WITH s AS (
       SELECT indicator_id, latest_period, latest_value, series, json_array_length(series) AS n
       FROM ind_area_summary WHERE area_id = $1 AND latest_value IS NOT NULL AND json_array_length(series) > 1),
     pts AS (
       SELECT s.indicator_id, e.ord, e.v->>0 AS period, (e.v->>1)::double precision AS value
       FROM s CROSS JOIN LATERAL json_array_elements(s.series) WITH ORDINALITY AS e(v, ord)
       WHERE e.ord >= s.n - $2 AND e.v->>0 < s.latest_period),
     base AS (
       SELECT DISTINCT ON (indicator_id) indicator_id, period, value
       FROM pts WHERE value IS NOT NULL AND value <> 0 ORDER BY indicator_id, ord)
     SELECT i.code, i.name, i.lang, i.unit, i.decimals, i.direction,
       b.period AS base_period, b.value AS base_value, s.latest_period, s.latest_value,
       (s.latest_value - b.value) / abs(b.value) AS rel, s.series
     FROM s JOIN base b ON b.indicator_id = s.indicator_id JOIN ind_indicators i ON i.id = s.indicator_id
     WHERE s.latest_value <> b.value
     ORDER BY abs((s.latest_value - b.value) / abs(b.value)) DESC, i.code
     LIMIT $3`,
    [areaId, MOVED_WINDOW, limit],
  );
  return rows.map((r) => ({ ...r, rel: Number(r.rel) }));
}

/** Better, worse, or (for an indicator without a good direction) just changed. */
export function movement(direction: MovedRow['direction'], rel: number): 'better' | 'worse' | 'changed' {
  if (direction === 'neutral') return 'changed';
  return (rel > 0) === (direction === 'higher') ? 'better' : 'worse';
}

const c = defineCatalog(
  {
    goals: 'The global goals in this area',
    count: (n: number, f: string) => (n === 0 ? 'No data' : n === 1 ? '1 indicator' : `${f} indicators`),
    moved: 'Moved most',
    movedIntro: (n: number) => `The indicators whose latest value changed most, relative to the earliest of the last ${n + 1} periods.`,
    better: 'better',
    worse: 'worse',
    changed: 'changed',
    from: (a: string, p: string, b: string, q: string) => `from ${a} (${p}) to ${b} (${q})`,
  },
  {
    sv: {
      goals: 'De globala målen i området',
      count: (n: number, f: string) => (n === 0 ? 'Inga data' : n === 1 ? '1 indikator' : `${f} indikatorer`),
      moved: 'Störst förändring',
      movedIntro: (n: number) => `Indikatorerna vars senaste värde förändrats mest, jämfört med det tidigaste av de senaste ${n + 1} perioderna.`,
      better: 'bättre',
      worse: 'sämre',
      changed: 'förändrad',
      from: (a: string, p: string, b: string, q: string) => `från ${a} (${p}) till ${b} (${q})`,
    },
    nb: {
      goals: 'Bærekraftsmålene i området',
      count: (n: number, f: string) => (n === 0 ? 'Ingen data' : n === 1 ? '1 indikator' : `${f} indikatorer`),
      moved: 'Størst endring',
      movedIntro: (n: number) => `Indikatorene der siste verdi har endret seg mest, sammenlignet med den tidligste av de siste ${n + 1} periodene.`,
      better: 'bedre',
      worse: 'verre',
      changed: 'endret',
      from: (a: string, p: string, b: string, q: string) => `fra ${a} (${p}) til ${b} (${q})`,
    },
    da: {
      goals: 'Verdensmålene i området',
      count: (n: number, f: string) => (n === 0 ? 'Ingen data' : n === 1 ? '1 indikator' : `${f} indikatorer`),
      moved: 'Størst ændring',
      movedIntro: (n: number) => `De indikatorer, hvis seneste værdi har ændret sig mest i forhold til den tidligste af de seneste ${n + 1} perioder.`,
      better: 'bedre',
      worse: 'værre',
      changed: 'ændret',
      from: (a: string, p: string, b: string, q: string) => `fra ${a} (${p}) til ${b} (${q})`,
    },
  },
);

const num = (l: Locale, v: number, decimals: number) => formatNumber(l, v, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });

/** The opening: SDG tiles (with the number of the area's indicators per goal) and the indicators that moved most. */
export function AreaOpening({ locale: l, goals, perGoal, moved, areaKey }: { locale: Locale; goals: { code: string; name: string }[]; perGoal: Map<string, number>; moved: MovedRow[]; areaKey: string }) {
  const s = c[l];
  return (
    <>
      {goals.length > 0 && (
        <section class="area-goals" aria-labelledby="area-goals-h">
          <h2 class="ds-heading" data-size="md" id="area-goals-h">
            {s.goals}
          </h2>
          <SdgTiles label={s.goals}>
            {goals.map((g) => {
              const n = perGoal.get(g.code) ?? 0;
              return <SdgTile goal={g.code} name={g.name} href={n ? `#goal-${g.code}` : undefined} extra={s.count(n, formatNumber(l, n))} />;
            })}
          </SdgTiles>
        </section>
      )}
      {moved.length > 0 && (
        <section class="area-moved" aria-labelledby="area-moved-h">
          <h2 class="ds-heading" data-size="md" id="area-moved-h">
            {s.moved}
          </h2>
          <p class="ds-paragraph" data-size="sm">
            {s.movedIntro(MOVED_WINDOW)}
          </p>
          <ul class="area-moved__list">
            {moved.map((m) => {
              const way = movement(m.direction, m.rel);
              const pct = formatNumber(l, m.rel, { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' });
              const spark = sparkSvg(m.series, 96, 28);
              return (
                <li class="area-moved__item" data-movement={way}>
                  <a class="ds-link" href={`/indicators/${encodeURIComponent(m.code)}?area=${areaKey}`}>
                    <InLanguage text={m.name} lang={m.lang} locale={l} />
                  </a>
                  <span class="area-moved__figure">
                    <strong>{pct}</strong> <span class="area-moved__way">{s[way]}</span>
                  </span>
                  <span class="area-moved__detail" data-size="sm">
                    {s.from(num(l, m.base_value, m.decimals), m.base_period, num(l, m.latest_value, m.decimals), m.latest_period)}
                    {m.unit ? ` (${m.unit})` : ''}
                  </span>
                  {spark && <span class="area-moved__spark" aria-hidden="true" dangerouslySetInnerHTML={{ __html: spark }} />}
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </>
  );
}

/** Styles for the opening (the page's own style element, like the rest of the area page). */
export const AREA_OPENING_CSS = `.area-goals .sdg-tiles{margin-bottom:1.5rem}.area-moved__list{list-style:none;padding:0;margin:0 0 1.5rem;display:grid;gap:.75rem;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr))}
.area-moved__item{border:1px solid #c7d0da;border-left:.375rem solid #6b7280;border-radius:.25rem;padding:.75rem;display:flex;flex-direction:column;gap:.25rem}
.area-moved__item[data-movement=better]{border-left-color:#1a7f37}.area-moved__item[data-movement=worse]{border-left-color:#b42318}
.area-moved__figure strong{font-size:1.25rem}.area-moved__detail{font-size:.875rem;color:#374151}.area-moved__spark svg{display:block}`;
