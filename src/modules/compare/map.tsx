/**
 * The compare page's map (issue #10): a choropleth drawn here as plain SVG rather than by ECharts,
 * so that every area can be a real element with a name: a link to the area's page that takes focus,
 * says its name and value (aria-label) and shows them on hover (<title>). Values fall into at most
 * five bands of about equal size, shown in a legend with the bands' value ranges in the page's
 * number format; a table beside the map lists every area with its value and band.
 */
import { defineCatalog, formatNumber, type Locale } from '../../web/i18n/index.js';

type Position = number[];
type Geometry = { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };
export type MapArea = { key: string; name: string; geojson: unknown; value: number | null };
export type Band = { min: number; max: number; colour: string };

/** ColorBrewer's sequential blues: lighter is lower; distinguishable by lightness alone, so in every colour vision. */
export const BAND_COLOURS = ['#deebf7', '#9ecae1', '#4292c6', '#2171b5', '#08306b'];
export const NO_DATA = '#ffffff';

/**
 * Up to `max` bands of about equal count over the sorted values; equal values always share a band,
 * and each band's range is the smallest and largest value really in it (so the legend never names
 * a value nobody has).
 */
export function bands(values: number[], max = BAND_COLOURS.length): Band[] {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return [];
  const distinct = [...new Set(sorted)];
  const k = Math.min(max, distinct.length);
  const out: { min: number; max: number }[] = [];
  let start = 0;
  for (let b = 0; b < k && start < sorted.length; b++) {
    let end = b === k - 1 ? sorted.length : Math.max(start + 1, Math.round(((b + 1) * sorted.length) / k));
    while (end < sorted.length && sorted[end] === sorted[end - 1]) end++;
    out.push({ min: sorted[start]!, max: sorted[end - 1]! });
    start = end;
  }
  // Spread the colours over the whole ramp when there are fewer bands than colours.
  return out.map((b, i) => ({ ...b, colour: BAND_COLOURS[out.length === 1 ? BAND_COLOURS.length - 1 : Math.round((i * (BAND_COLOURS.length - 1)) / (out.length - 1))]! }));
}

export const bandOf = (bs: Band[], v: number | null): number => (v === null ? -1 : bs.findIndex((b) => v <= b.max));

function rings(g: unknown): Position[][] {
  const geo = g as Geometry | null;
  if (!geo || typeof geo !== 'object') return [];
  if (geo.type === 'Polygon') return geo.coordinates;
  if (geo.type === 'MultiPolygon') return geo.coordinates.flat();
  return [];
}

/**
 * Project longitude/latitude to the SVG's box: an equirectangular projection with longitude scaled
 * by the cosine of the middle latitude, which keeps Nordic municipalities their shape (a plain
 * lon/lat plot stretches them twice as wide at 60° N).
 */
export function project(areas: { key: string; geojson: unknown }[], width: number, maxHeight: number, pad = 4): { height: number; paths: Map<string, string> } {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  const all = areas.map((a) => ({ key: a.key, rings: rings(a.geojson) }));
  for (const a of all) for (const r of a.rings) for (const p of r) {
    const [x, y] = p as [number, number];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const paths = new Map<string, string>();
  if (!Number.isFinite(minX)) return { height: 0, paths };
  const kx = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const w = (maxX - minX) * kx || 1;
  const h = maxY - minY || 1;
  const scale = Math.min((width - 2 * pad) / w, (maxHeight - 2 * pad) / h);
  const height = Math.ceil(h * scale + 2 * pad);
  const r = (n: number) => Math.round(n * 10) / 10;
  for (const a of all) {
    paths.set(
      a.key,
      a.rings.map((ring) => ring.map((p, i) => `${i ? 'L' : 'M'}${r(pad + (p[0]! - minX) * kx * scale)} ${r(pad + (maxY - p[1]!) * scale)}`).join('') + 'Z').join(''),
    );
  }
  return { height, paths };
}

const c = defineCatalog(
  {
    legend: 'Legend',
    noData: 'No data',
    table: 'Values on the map',
    area: 'Area',
    value: 'Value',
    band: 'Band',
  },
  {
    sv: { legend: 'Teckenförklaring', noData: 'Inga data', table: 'Värden på kartan', area: 'Område', value: 'Värde', band: 'Klass' },
    nb: { legend: 'Tegnforklaring', noData: 'Ingen data', table: 'Verdier på kartet', area: 'Område', value: 'Verdi', band: 'Klasse' },
    da: { legend: 'Signaturforklaring', noData: 'Ingen data', table: 'Værdier på kortet', area: 'Område', value: 'Værdi', band: 'Klasse' },
  },
);

/** The map with its legend and, beside it, the table of the same values. */
export function ChoroplethMap({ locale: l, areas, highlight, decimals, unit, summary, title }: { locale: Locale; areas: MapArea[]; highlight: string | null; decimals: number; unit: string; summary: string; title: string }) {
  const s = c[l];
  const num = (v: number) => formatNumber(l, v, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  const withUnit = (v: number | null) => (v === null ? s.noData : `${num(v)}${unit ? ` ${unit}` : ''}`);
  const bs = bands(areas.flatMap((a) => (a.value === null ? [] : [a.value])));
  const range = (b: Band) => (b.min === b.max ? num(b.min) : `${num(b.min)}–${num(b.max)}`);
  const W = 600;
  const { height, paths } = project(areas, W, 720);
  // The highlighted area last, so its outline lies on top of its neighbours'.
  const ordered = [...areas].sort((a, b) => Number(a.key === highlight) - Number(b.key === highlight));
  const svg = ordered
    .map((a) => {
      const d = paths.get(a.key);
      if (!d) return '';
      const band = bandOf(bs, a.value);
      const label = esc(`${a.name}: ${withUnit(a.value)}`);
      const hl = a.key === highlight;
      return `<a href="/areas/${esc(a.key)}" aria-label="${label}"><title>${label}</title><path d="${d}" fill="${band < 0 ? NO_DATA : bs[band]!.colour}" stroke="${hl ? '#000000' : '#4b5563'}" stroke-width="${hl ? 3 : 0.75}" fill-rule="evenodd"/></a>`;
    })
    .join('');
  const missing = areas.some((a) => a.value === null);
  return (
    <figure class="ind-map" aria-labelledby="ind-map-cap">
      <div class="ind-map__grid">
        <div class="ind-map__pic">
          <svg class="ind-map__svg" role="group" aria-label={title} viewBox={`0 0 ${W} ${height}`} width={W} height={height} dangerouslySetInnerHTML={{ __html: svg }} />
          <div class="ind-map__legend">
            <p class="ds-paragraph" data-size="sm" id="ind-map-legend">
              <strong>{s.legend}</strong>
              {unit ? ` (${unit})` : ''}
            </p>
            <ul aria-labelledby="ind-map-legend">
              {bs.map((b) => (
                <li>
                  <span class="ind-map__swatch" style={`background:${b.colour}`} aria-hidden="true" />
                  {range(b)}
                </li>
              ))}
              {missing && (
                <li>
                  <span class="ind-map__swatch" style={`background:${NO_DATA}`} aria-hidden="true" />
                  {s.noData}
                </li>
              )}
            </ul>
          </div>
        </div>
        <div class="ind-map__table" role="region" aria-labelledby="ind-map-table-cap" tabindex={0}>
          <table class="ds-table" data-border>
            <caption id="ind-map-table-cap">{s.table}</caption>
            <thead>
              <tr>
                <th scope="col">{s.area}</th>
                <th scope="col">{s.value}</th>
                <th scope="col">{s.band}</th>
              </tr>
            </thead>
            <tbody>
              {areas.map((a) => {
                const band = bandOf(bs, a.value);
                return (
                  <tr aria-current={a.key === highlight ? 'true' : undefined}>
                    <th scope="row">{a.key === highlight ? <strong>{a.name}</strong> : a.name}</th>
                    <td data-align="right">{withUnit(a.value)}</td>
                    <td>{band < 0 ? s.noData : range(bs[band]!)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </div>
      <figcaption id="ind-map-cap" class="ds-paragraph" data-size="sm">
        {summary}
      </figcaption>
    </figure>
  );
}

const esc = (x: string) => x.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const MAP_CSS = `.ind-map{margin:1rem 0}.ind-map__grid{display:grid;gap:1rem;grid-template-columns:minmax(0,3fr) minmax(0,2fr);align-items:start}
@media (max-width:48rem){.ind-map__grid{grid-template-columns:minmax(0,1fr)}}
.ind-map__svg{max-width:100%;height:auto;display:block}.ind-map__svg a:focus{outline:none}.ind-map__svg a:focus path,.ind-map__svg a:hover path{stroke:#000;stroke-width:3}
.ind-map__svg a:focus-visible path{stroke:#000;stroke-width:4;stroke-dasharray:6 3}
.ind-map__legend ul{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}.ind-map__legend li{display:flex;align-items:center;gap:.375rem;font-size:.875rem}
.ind-map__swatch{display:inline-block;width:1.25rem;height:.875rem;border:1px solid #4b5563}
.ind-map__table{max-height:40rem;overflow:auto}`;
