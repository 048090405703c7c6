/**
 * The progress pages over HTTP: what they show, the network target form and its
 * rejections (the form routes of the permission matrix).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, snapshot, type Agent, type TestApp } from '../../../test/helpers.js';
import { recomputeAll } from './index.js';

let t: TestApp;
let netEditor: Agent;
let outsider: Agent;
let anon: Agent;
const NET = 'baerekraftsnettverket';
const TABLES = ['prog_targets', 'prog_statuses', 'prog_goal_scores', 'prog_area_index', 'audit_events'];

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'net@example.org', roles: { [NET]: 'editor' } });
  await t.makeUser({ email: 'outsider@example.org', roles: { 'vanersborgs-kommun': 'editor' } });
  netEditor = await t.agent('net@example.org');
  outsider = await t.agent('outsider@example.org');
  anon = await t.agent();
  await recomputeAll(t.db);
});
after(() => t.close());

describe('progress pages', () => {
  test('the indicator page draws each area’s target as a dashed line, lists it in the table and shows the status per area', async () => {
    const res = await anon.get('/indicators/demo-ghg-per-capita?area=no-1506&area=se-0780');
    assert.equal(res.statusCode, 200);
    const html = res.body;
    // Chart: one dashed line per target (Molde: the network's 1.5, Växjö: its own 0.5), named in the legend.
    assert.ok((html.match(/stroke-dasharray/g) ?? []).length >= 2, 'dashed target lines in the SVG');
    assert.ok(html.includes('Molde kommune: Network target, 2030') && html.includes('Växjö kommun: Own target, 2030'), 'target series named');
    // Summary text and table.
    assert.match(html, /Dashed lines show the targets: [^<]*Molde[^<]*1\.5[^<]* by 2030/);
    assert.match(html, /<th scope="row"[^>]*>Target<\/th><td[^>]*>1\.5 \(Network target, 2030\)<\/td><td[^>]*>0\.5 \(Own target, 2030\)<\/td>/);
    // Status per area, in words with an icon, linking to the area's progress page.
    assert.ok(html.includes('Progress towards the targets'));
    assert.ok(html.includes('href="/areas/no-1506/progress"') && html.includes('href="/areas/se-0780/progress"'));
    assert.ok(/prog-icon[^>]*>[^<]+<\/span><span>(Target achieved|Substantial progress|Moderate progress|Limited progress|Deterioration|Not available)/.test(html), 'status words with an icon');
    const sv = await anon.get('/indicators/demo-ghg-per-capita?area=no-1506', { 'accept-language': 'sv' });
    assert.ok(sv.body.includes('Streckade linjer visar målen') && sv.body.includes('Framsteg mot målen'));
  });

  test('an area’s progress page: index, 17 goal tiles, each indicator with status words and an explanation', async () => {
    const res = await anon.get('/areas/no-1506/progress');
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.equal((html.match(/class="prog-goal"/g) ?? []).length, 17);
    assert.ok(html.includes('Goal 13: Climate action'));
    assert.ok(html.includes('Territorial greenhouse gas emissions per inhabitant'));
    assert.ok(/Substantial progress|Moderate progress|Limited progress|Deterioration/.test(html), 'status words');
    assert.ok(html.includes('With no target, the yearly change from'), 'one-sentence explanation');
    const sv = await anon.get('/areas/no-1506/progress', { 'accept-language': 'sv' });
    assert.ok(sv.body.includes('Framsteg mot 2030: Molde'));
  });

  test('the network status page and the network target form', async () => {
    const page = await netEditor.get(`/organisations/${NET}/status`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('Molde kommune'));
    assert.ok(page.body.includes('U4SSC dimension scores') && page.body.includes('<th scope="col">Environment</th>'), 'U4SSC dimension scores per member');
    assert.ok(page.body.includes(`action="/organisations/${NET}/targets"`), 'editors see the form');
    assert.ok(!(await anon.get(`/organisations/${NET}/status`)).body.includes('name="value"'), 'others do not');

    const before = await snapshot(t.db, TABLES);
    const body = { indicator: 'demo-renewable-share', value: '95', targetYear: '2030', baselineYear: '2015', limit: '', bound: '', green: '', red: '', source: 'Illustrative' }; // empty optional fields, as a browser sends them
    assert.equal((await anon.postForm(`/organisations/${NET}/targets`, body)).statusCode, 401);
    assert.equal((await netEditor.postForm(`/organisations/${NET}/targets`, body, { csrf: false })).statusCode, 403);
    assert.equal((await outsider.postForm(`/organisations/${NET}/targets`, body)).statusCode, 403);
    const bad = await netEditor.postForm(`/organisations/${NET}/targets`, { ...body, value: 'lots' });
    assert.equal(bad.statusCode, 422);
    assert.ok(bad.body.includes('href="#f-value"'), 'the error summary names the field');
    assert.ok(bad.body.includes('value="lots"'), 'the input is kept');
    const years = await netEditor.postForm(`/organisations/${NET}/targets`, { ...body, targetYear: '2010' });
    assert.equal(years.statusCode, 422);
    assert.ok(years.body.includes('href="#f-targetYear"'));
    assert.equal((await netEditor.postForm(`/organisations/no-such-network/targets`, body)).statusCode, 404);
    assert.deepEqual(await snapshot(t.db, TABLES), before);

    const ok = await netEditor.postForm(`/organisations/${NET}/targets`, body);
    assert.equal(ok.statusCode, 303);
    const after = await anon.get(`/organisations/${NET}/status`);
    assert.ok(after.body.includes('95 by 2030'));
    const molde = await anon.get('/areas/no-1506/progress');
    assert.ok(molde.body.includes('Network target'));
    assert.ok(molde.body.includes('so it moves at'), 'the with-target explanation');

    const id = (await anon.api('GET', `/api/targets?organisation=${NET}&indicator=demo-renewable-share`)).json().items[0].id;
    const del = `/organisations/${NET}/targets/${id}/delete`;
    const b2 = await snapshot(t.db, TABLES);
    assert.equal((await anon.postForm(del)).statusCode, 401);
    assert.equal((await netEditor.postForm(del, {}, { csrf: false })).statusCode, 403);
    assert.equal((await outsider.postForm(del)).statusCode, 403);
    assert.equal((await netEditor.postForm(`/organisations/${NET}/targets/00000000-0000-4000-8000-000000000000/delete`)).statusCode, 404);
    assert.equal((await netEditor.postForm(`/organisations/molde-kommune/targets/${id}/delete`)).statusCode, 404, 'a target of another organisation');
    assert.deepEqual(await snapshot(t.db, TABLES), b2);
    assert.equal((await netEditor.postForm(del)).statusCode, 303);
    assert.notDeepEqual(await snapshot(t.db, TABLES), b2);
  });

  test('the goal page shows members × indicators for a network, sortable', async () => {
    await netEditor.api('POST', '/api/targets', { indicator: 'demo-renewable-share', level: 'network', organisation: NET, value: 80 });
    const res = await anon.get(`/goals/7?network=${NET}&sort=demo-renewable-share`);
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes('Goal 7: Affordable and clean energy'));
    assert.ok(res.body.includes('Molde kommune'));
    assert.ok(res.body.includes('aria-sort="ascending"'));
    assert.equal((await anon.get('/goals/18')).statusCode, 422);
    assert.equal((await anon.get('/goals/7?network=nope')).statusCode, 404);
  });

  test('links: the organisation page of a municipality and of a network', async () => {
    assert.ok((await anon.get('/organisations/molde-kommune')).body.includes('/areas/no-1506/progress'));
    assert.ok((await anon.get(`/organisations/${NET}`)).body.includes(`/organisations/${NET}/status`));
    assert.ok((await anon.get('/organisations/molde-kommune/status')).body.includes('for networks only'));
  });
});

