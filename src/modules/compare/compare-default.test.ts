import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp({ demo: true });
});
after(() => t.close());

const rowsOf = (html: string) => [...html.matchAll(/<th scope="row"[^>]*><a class="ds-link" href="\/areas\/([a-z0-9-]+)"/g)].map((m) => m[1]);

test('the compare page defaults to the highlighted area’s group, and the whole country stays one click away', async () => {
  const a = await t.agent();
  const def = (await a.get('/compare?indicator=demo-renewable-share&area=se-0780', { 'accept-language': 'en' })).body;
  // Växjö's "similar municipalities" group (6 members) is chosen and shown as chosen.
  assert.match(def, /<option value="demo-similar-vaxjo" selected>/);
  assert.match(def, /Compared within “Liknande kommuner som Växjö \(demo\)”/);
  assert.equal(new Set(rowsOf(def)).size, 6);
  assert.ok(rowsOf(def).includes('se-0780'));
  // The explicit "whole country" choice (an empty group) compares with every Swedish area with data.
  const link = /href="(\/compare\?indicator=demo-renewable-share&amp;area=se-0780&amp;group=)"/.exec(def);
  assert.ok(link, 'a link to the whole country');
  const country = (await a.get(link[1]!.replace(/&amp;/g, '&'), { 'accept-language': 'en' })).body;
  assert.match(country, /Compared with all areas with data in Sweden\./);
  const keys = rowsOf(country);
  assert.ok(keys.length > 6 && keys.every((k) => k!.startsWith('se-')), `${keys.length} Swedish areas`);
  // An area in no group is compared within its country.
  const [lone] = await t.db.query<{ key: string }>(
    `SELECT a.key FROM areas a WHERE a.country = 'DK' AND EXISTS (SELECT 1 FROM ind_area_summary s WHERE s.area_id = a.id)
       AND NOT EXISTS (SELECT 1 FROM ind_area_group_members m WHERE m.area_id = a.id) LIMIT 1`,
  );
  assert.ok(lone, 'a Danish area with data in no group');
  const dk = (await a.get(`/compare?indicator=demo-renewable-share&area=${lone.key}`, { 'accept-language': 'da' })).body;
  assert.match(dk, /Sammenlignet med alle områder med data i Danmark\./);
  assert.ok(rowsOf(dk).length > 1 && rowsOf(dk).every((k) => k!.startsWith('dk-')));
});

test('a neutral indicator’s table has no rank column and says it is ordered by value', async () => {
  const a = await t.agent();
  // Women's share of council seats: neither higher nor lower is better.
  const page = (await a.get('/compare?indicator=demo-women-council&area=se-0780', { 'accept-language': 'en' })).body;
  const table = /<table class="ds-table"[\s\S]*?<\/table>/.exec(page)?.[0] ?? '';
  assert.ok(rowsOf(table).length > 1, 'rows in the table');
  assert.doesNotMatch(table, /<th scope="col">Rank<\/th>/);
  assert.doesNotMatch(table, /data-label="Rank"/);
  assert.match(table, /<caption>[^<]*Ordered by value, highest first: neither higher nor lower is better, so there is no rank\.<\/caption>/);
  // Still highest value first.
  const values = [...table.matchAll(/<td data-align="right" data-label="Value">([^<]+)<\/td>/g)].map((m) => Number(m[1]!.replace(/[^\d.-]/g, '')));
  assert.ok(values.length > 1 && values.every((v, i) => i === 0 || values[i - 1]! >= v), values.join(', '));
  const sv = (await a.get('/compare?indicator=demo-women-council&area=se-0780', { 'accept-language': 'sv' })).body;
  assert.match(sv, /Ordnad efter värde, högst först/);
  assert.doesNotMatch(sv, /<th scope="col">Plats<\/th>/);
  // An indicator with a better direction keeps its rank column.
  const ranked = (await a.get('/compare?indicator=demo-renewable-share&area=se-0780', { 'accept-language': 'en' })).body;
  assert.match(ranked, /<th scope="col">Rank<\/th>/);
  assert.doesNotMatch(ranked, /Ordered by value/);
  // Nor do its heading and chart summary speak of a ranking.
  assert.match(page, /<h2[^>]*>Values: /);
  assert.match(page, /Bar chart of \d+ areas by their latest value, highest first\./);
  assert.doesNotMatch(page, /Ranking: |Bar chart ranking/);
  assert.match(ranked, /<h2[^>]*>Ranking: /);
  assert.match(ranked, /Bar chart ranking \d+ areas/);
});
