import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../../test/helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp({ demo: true });
});
after(() => t.close());

test('the compare page picks areas by name, keeps keys working, and says when a name is unknown', async () => {
  const a = await t.agent();
  const byName = await a.get(`/compare?indicator=demo-renewable-share&area=${encodeURIComponent('växjö KOMMUN')}`, { 'accept-language': 'sv' });
  assert.equal(byName.statusCode, 200);
  assert.match(byName.body, /<tr aria-current="true">/);
  assert.match(byName.body, /<datalist id="area-names">.*<option value="Växjö kommun">/s);
  const byKey = await a.get('/compare?indicator=demo-renewable-share&area=se-0780');
  assert.match(byKey.body, /<tr aria-current="true">/);
  const unknown = await a.get('/compare?indicator=demo-renewable-share&area=Atlantis', { 'accept-language': 'en' });
  assert.match(unknown.body, /No area with data is called “Atlantis”/);
  const empty = await a.get('/compare', { 'accept-language': 'en' });
  assert.match(empty.body, /What to compare/);
});

test('the indicator list counts, pages and filters by source, framework and goal', async () => {
  const a = await t.agent();
  const all = await a.get('/indicators', { 'accept-language': 'en' });
  const n = Number(/<strong>(\d+) indicators?<\/strong>/.exec(all.body)?.[1]);
  assert.ok(n > 0);
  const none = await a.get('/indicators?source=nobody', { 'accept-language': 'en' });
  assert.match(none.body, /<strong>0 indicators<\/strong>/);
  const demo = await a.get(`/indicators?source=${encodeURIComponent('Samverka demo data')}`, { 'accept-language': 'en' });
  assert.ok(Number(/<strong>(\d+) indicators?<\/strong>/.exec(demo.body)?.[1]) > 0);
  const goal13 = await a.get('/indicators?goal=13&framework=sdg', { 'accept-language': 'en' });
  assert.match(goal13.body, /demo-ghg-per-capita/);
  assert.ok(!goal13.body.includes('demo-renewable-share"'), 'goal 7 indicator filtered out');
});

test('the home page gives the overview: key figures, networks with member counts, meetings and indicator coverage', async () => {
  const res = await (await t.agent()).get('/', { 'accept-language': 'en' });
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /class="key-figures"/);
  assert.match(res.body, /\d+ member organisations?/);
  assert.match(res.body, /Latest minutes/);
  assert.match(res.body, /Indicators with data/);
  assert.match(res.body, /class="sdg-tile"/);
});

test('an organisation page opens with key figures, including other modules’ figures', async () => {
  const res = await (await t.agent()).get('/organisations/vaxjo-kommun', { 'accept-language': 'en' });
  const main = res.body.slice(res.body.indexOf('<main'));
  const figures = main.indexOf('class="key-figures"');
  assert.ok(figures > 0 && figures < main.indexOf('<table'), 'figures before the lists');
  assert.match(main, /Indicators with data/);
});
