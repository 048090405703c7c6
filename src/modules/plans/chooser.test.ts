import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, drainJobs, type Agent, type TestApp } from '../../../test/helpers.js';

let t: TestApp;
let editor: Agent;

// A few rows in the shape of the KS/Digdir files in ../shared/data/norway-ks.
const KS = `uri,id,notation,title,goals,isIndicatorOf,subject,coverage,periodicity,source
https://example.org/9001,9001,,Andel fornybar energi i kommunen,7,7.2,Energy|Economy,City-level,Yearly,
https://example.org/9002,9002,,Klimagassutslipp per innbygger nasjonalt,13,13.2,Natural_environment,National-level,Yearly,
https://example.org/9003,9003,,Andel avfall til gjenvinning,12,12.5,Water_and_waste,city-level,Yearly,
`;
const listed = (html: string) => [...html.matchAll(/name="indicatorCodes" value="(ks-\d+)"/g)].map((m) => m[1]).sort();

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'hurdal@example.org', roles: { 'hurdal-kommune': 'editor' } });
  await t.makeUser({ email: 'admin@example.org', admin: true });
  editor = await t.agent('hurdal@example.org');
  const admin = await t.agent('admin@example.org');
  const imp = await admin.api('POST', '/api/reference-imports', { kind: 'framework-ks', content: KS });
  // Reference imports run as jobs: queued at once, then done by the worker.
  assert.equal(imp.statusCode, 202, imp.body);
  await drainJobs(t);
  const done = await admin.get(`/api/reference-imports/${imp.json().id}`);
  assert.equal(done.json().status, 'done', done.body);
});
after(() => t.close());

describe('choosing a priority’s indicators with the KS/SSB taxonomy’s dimensions', () => {
  test('the taxonomy’s perspective and measuring level are offered as filters, and each narrows the list', async () => {
    const all = await editor.get('/organisations/hurdal-kommune/priorities?framework=ks');
    assert.equal(all.statusCode, 200);
    assert.deepEqual(listed(all.body), ['ks-9001', 'ks-9002', 'ks-9003']);
    // The dimensions come from the file, with the two casings of "city-level" as one value.
    assert.match(all.body, /<option value="perspective:Energy"[^>]*>Energy \(1\)/);
    assert.match(all.body, /<option value="coverage:City-level"[^>]*>City-level \(2\)/);
    assert.doesNotMatch(all.body, /coverage:city-level/);

    const energy = await editor.get('/organisations/hurdal-kommune/priorities?framework=ks&dim=perspective%3AEnergy');
    assert.deepEqual(listed(energy.body), ['ks-9001']);
    const city = await editor.get('/organisations/hurdal-kommune/priorities?dim=coverage%3ACity-level');
    assert.deepEqual(listed(city.body), ['ks-9001', 'ks-9003']);
    // Dimensions combine with each other and with the SDG goal and target: every filter must hold.
    const both = await editor.get('/organisations/hurdal-kommune/priorities?dim=coverage%3ACity-level&dim=perspective%3AWater_and_waste');
    assert.deepEqual(listed(both.body), ['ks-9003']);
    assert.deepEqual(listed((await editor.get('/organisations/hurdal-kommune/priorities?framework=ks&goal=13')).body), ['ks-9002']);
    assert.deepEqual(listed((await editor.get('/organisations/hurdal-kommune/priorities?target=7.2&framework=ks')).body), ['ks-9001']);
    // An htmx request carries the boxes already ticked: they stay on the list, ticked, whatever the filter.
    const kept = await editor.get('/organisations/hurdal-kommune/priorities?dim=perspective%3AEnergy&indicatorCodes=ks-9002');
    assert.deepEqual(listed(kept.body), ['ks-9001', 'ks-9002']);
    assert.match(kept.body, /value="ks-9002" id="ind-\d+" checked/);
    // A value no indicator has lists nothing, and a malformed filter is refused.
    assert.deepEqual(listed((await editor.get('/organisations/hurdal-kommune/priorities?dim=perspective%3ANothing')).body), []);
    assert.equal((await editor.get('/organisations/hurdal-kommune/priorities?target=13.2.1')).statusCode, 422);
  });

  test('two indicators chosen from the filtered list are saved with the priority, and the edit form filters too', async () => {
    const res = await editor.postForm('/organisations/hurdal-kommune/priorities', { title: 'Fornybar energi og avfall', lang: 'nb', state: 'published', indicatorCodes: 'ks-9001,ks-9003' });
    assert.equal(res.statusCode, 303, res.body);
    const items = (await editor.api('GET', '/api/priorities?organisation=hurdal-kommune')).json().items as { id: string; title: string; indicatorCodes: string[] }[];
    const p = items.find((x) => x.title === 'Fornybar energi og avfall')!;
    assert.deepEqual(p.indicatorCodes, ['ks-9001', 'ks-9003']);
    // Their names show on the priority although they have no data yet.
    assert.match((await editor.get('/organisations/hurdal-kommune/priorities')).body, /Andel avfall til gjenvinning/);
    const edit = await editor.get(`/priorities/${p.id}/edit?dim=perspective%3ANatural_environment`);
    assert.equal(edit.statusCode, 200);
    assert.deepEqual(listed(edit.body), ['ks-9001', 'ks-9002', 'ks-9003']);
    assert.match(edit.body, /value="ks-9001" id="ind-\d+" checked/);
    assert.doesNotMatch(edit.body, /value="ks-9002" id="ind-\d+" checked/);
  });
});
