import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'preact-render-to-string';
import { BAND_COLOURS, bandOf, bands, ChoroplethMap, project } from './map.js';

const square = (x: number, y: number, s = 1) => ({ type: 'Polygon', coordinates: [[[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]] });

test('bands: about equal counts, equal values share a band, ranges are real values, colours span the ramp', () => {
  const b = bands([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(b.map((x) => [x.min, x.max]), [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]);
  assert.deepEqual(b.map((x) => x.colour), BAND_COLOURS);
  const tied = bands([5, 5, 5, 5, 9]);
  assert.deepEqual(tied.map((x) => [x.min, x.max]), [[5, 5], [9, 9]]);
  assert.deepEqual(tied.map((x) => x.colour), [BAND_COLOURS[0], BAND_COLOURS[4]]);
  assert.equal(bandOf(b, 6), 2);
  assert.equal(bandOf(b, null), -1);
  assert.deepEqual(bands([]), []);
});

test('project keeps shapes: longitude is scaled by the cosine of the latitude', () => {
  // A 2° × 1° box at 60° N is about as wide as it is high on the ground.
  const { height, paths } = project([{ key: 'a', geojson: square(10, 59.5, 1) }, { key: 'b', geojson: { type: 'MultiPolygon', coordinates: [square(11, 59.5, 1).coordinates] } }], 208, 1000, 4);
  assert.ok(Math.abs(height - 208) <= 2, `height ${height}`);
  assert.equal(paths.get('a'), 'M4 204L104 204L104 4L4 4L4 204Z');
  assert.match(paths.get('b')!, /Z$/);
});

test('the map: each area a focusable link named with its value (hover title too), a legend in the page’s number format, and a table beside it', () => {
  const html = render(
    <ChoroplethMap
      locale="da"
      areas={[
        { key: 'dk-657', name: 'Herning', geojson: square(8.8, 56.0, 0.4), value: 12.5 },
        { key: 'dk-661', name: 'Holstebro', geojson: square(8.4, 56.2, 0.4), value: 1234.25 },
        { key: 'dk-665', name: 'Lemvig', geojson: square(8.2, 56.5, 0.3), value: null },
      ]}
      highlight="dk-657"
      decimals={1}
      unit="%"
      title="Kort: Andel"
      summary="Kort over 3 områder"
    />,
  );
  assert.match(html, /<svg class="ind-map__svg" role="group" aria-label="Kort: Andel"/);
  assert.match(html, /<a href="\/areas\/dk-661" aria-label="Holstebro: 1\.234,3 %"><title>Holstebro: 1\.234,3 %<\/title><path d="M/);
  assert.match(html, /<a href="\/areas\/dk-665" aria-label="Lemvig: Ingen data">/);
  // The highlighted area is drawn last (on top) with a thick dark outline.
  const last = html.lastIndexOf('<a href="/areas/');
  assert.equal(html.indexOf('<a href="/areas/dk-657"'), last);
  assert.match(html.slice(last), /stroke="#000000" stroke-width="3"/);
  // Legend: Danish decimal comma and thousands separator, and a "no data" entry.
  const legend = html.slice(html.indexOf('ind-map__legend'), html.indexOf('ind-map__table'));
  assert.match(legend, /12,5<\/li>/);
  assert.match(legend, /1\.234,3<\/li>/);
  assert.match(legend, /Ingen data<\/li>/);
  // The table beside the map: a focusable scrolling region, one row per area.
  assert.match(html, /<div class="ind-map__table" role="region" aria-labelledby="ind-map-table-cap" tabindex="0">/);
  assert.equal((html.match(/<th scope="row">/g) ?? []).length, 3);
  assert.match(html, /<tr aria-current="true"><th scope="row"><strong>Herning<\/strong><\/th><td data-align="right">12,5 %<\/td>/);
});
