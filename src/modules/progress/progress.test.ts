/**
 * Targets over HTTP: setting them at each level, who may, what bad input gets,
 * and the statuses, goal scores and index they produce (read back from the API).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, snapshot, type Agent, type TestApp } from '../../../test/helpers.js';
import { systemActor } from '../../platform/audit.js';
import { recomputeAll, recomputeStale, updateTarget } from './index.js';
import { indicatorsTestSupport } from '../indicators/index.js';
// The form routes' rejections are tested in pages.test.ts.
const PAGE_ROUTES = ['POST /organisations/:slug/targets', 'POST /organisations/:slug/targets/:id/delete'];

let t: TestApp;
let netEditor: Agent; // editor of Bærekraftsnettverket
let moldeEditor: Agent; // editor of Molde kommune
let outsider: Agent; // editor of a Swedish municipality
let admin: Agent;
let anon: Agent;
const NET = 'baerekraftsnettverket';
const TABLES = ['prog_targets', 'prog_statuses', 'prog_goal_scores', 'prog_area_index', 'audit_events'];

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'net@example.org', roles: { [NET]: 'editor' } });
  await t.makeUser({ email: 'molde@example.org', roles: { 'molde-kommune': 'editor' } });
  await t.makeUser({ email: 'outsider@example.org', roles: { 'vanersborgs-kommun': 'editor' } });
  await t.makeUser({ email: 'admin@example.org', admin: true });
  netEditor = await t.agent('net@example.org');
  moldeEditor = await t.agent('molde@example.org');
  outsider = await t.agent('outsider@example.org');
  admin = await t.agent('admin@example.org');
  anon = await t.agent();
  await recomputeAll(t.db);
});
after(() => t.close());

const statusOf = async (area: string, code: string) => {
  const res = await anon.api('GET', `/api/areas/${area}/progress`);
  assert.equal(res.statusCode, 200);
  return res.json().statuses.find((s: any) => s.indicator === code && s.breakdown === '');
};

describe('targets and the statuses they produce', () => {
  test('without a target, a status comes from the no-target method; a neutral indicator has none', async () => {
    const s = await statusOf('no-1506', 'demo-renewable-share');
    assert.equal(s.method, 'without_target');
    assert.notEqual(s.status, 'not_available');
    assert.equal(s.details.baseYear, 2015);
    assert.equal(s.details.currentYear, 2023);
    const n = await statusOf('no-1506', 'demo-women-council');
    assert.deepEqual([n.status, n.details.reason], ['not_available', 'no_direction']);
    assert.ok([1, 2, 3, 4].includes(s.quartile), 'relative position among the country’s municipalities');
  });

  test('a network target applies to every member; a member’s own target overrides it', async () => {
    const res = await netEditor.api('POST', '/api/targets', { indicator: 'demo-renewable-share', level: 'network', organisation: NET, value: 95, source: 'Illustrative network target' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().targetYear, 2030);
    assert.equal(res.json().baselineYear, 2015);
    const molde = await statusOf('no-1506', 'demo-renewable-share');
    assert.equal(molde.method, 'with_target');
    assert.equal(molde.targetId, res.json().id);
    assert.equal(molde.details.level, 'network');
    assert.equal(molde.goal, '7');
    assert.ok(typeof molde.details.requiredRate === 'number');
    // Hurdal and Växjö are not members: no target there
    assert.equal((await statusOf('no-3242', 'demo-renewable-share')).method, 'without_target');
    assert.equal((await statusOf('se-0780', 'demo-renewable-share')).method, 'without_target');

    const own = await moldeEditor.api('POST', '/api/targets', { indicator: 'demo-renewable-share', level: 'area', area: 'no-1506', value: 10, baselineYear: 2016 });
    assert.equal(own.statusCode, 201, own.body);
    const m2 = await statusOf('no-1506', 'demo-renewable-share');
    assert.equal(m2.targetId, own.json().id);
    assert.equal(m2.status, 'target_achieved');
    assert.equal(m2.details.baseYear, 2016);
    // Deleting the own target falls back to the network's
    assert.equal((await moldeEditor.api('DELETE', `/api/targets/${own.json().id}`)).statusCode, 204);
    assert.equal((await statusOf('no-1506', 'demo-renewable-share')).targetId, res.json().id);
  });

  test('goal scores and the index come from the network’s set, with the coverage rule', async () => {
    // The network's set: renewable share (above) and the demo's greenhouse-gas target; plus the
    // demo's global recycling benchmark, which carries index bounds and so counts everywhere.
    const p = (await anon.api('GET', '/api/areas/no-1506/progress')).json();
    const g7 = p.goals.find((g: any) => g.goal === '7');
    assert.ok(g7 && g7.score > 0 && g7.score <= 100);
    assert.ok(['green', 'yellow', 'orange', 'red'].includes(g7.colour));
    assert.deepEqual(p.goals.map((g: any) => g.goal).sort(), ['11', '13', '7']);
    assert.equal(p.index.selected, 3);
    assert.equal(p.index.missing, 0);
    const mean = p.goals.reduce((a: number, g: any) => a + g.score, 0) / 3;
    assert.ok(Math.abs(p.index.score - mean) < 1e-9, 'the index is the mean of the goal scores');
    // Tromsø is a member with no data for either: 2 of 2 missing > 20 %.
    const tromso = (await anon.api('GET', '/api/areas/no-5501/progress')).json();
    assert.equal(tromso.index.score, null);
    assert.equal(tromso.index.withheld, 'too_many_missing');
    const ghg = tromso.statuses.find((s: any) => s.indicator === 'demo-ghg-per-capita');
    assert.deepEqual([ghg.status, ghg.details.reason], ['not_available', 'no_data']);
    // The U4SSC demo selection: dimension scores from the benchmarks.
    assert.deepEqual(Object.keys(tromso.index.u4ssc).sort(), ['EC', 'EN', 'SC']);
    assert.equal(tromso.index.u4ssc.EN.counted, 2);
  });

  test('the indicator’s progress API and the CSV/JSON exports read the stored statuses', async () => {
    const res = await anon.api('GET', '/api/indicators/demo-renewable-share/progress?area=no-1506,se-0780');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().statuses.map((s: any) => s.area).sort(), ['no-1506', 'se-0780']);
    assert.ok(res.json().targets.some((x: any) => x.level === 'network' && x.organisation === NET));
    const csv = await anon.get('/api/progress/statuses.csv?area=no-1506');
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] as string, /text\/csv/);
    assert.match(csv.body, /^indicator,area,breakdown,status,method/);
    assert.match(csv.body, /demo-renewable-share,no-1506,,/);
    const json = await anon.api('GET', '/api/progress/statuses.json?area=no-1506');
    assert.ok(json.json().statuses.length >= 3);
    assert.equal((await anon.api('GET', '/api/areas/nowhere/progress')).statusCode, 404);
    const openapi = await anon.get('/api/openapi.json');
    assert.equal(openapi.statusCode, 200, 'the target schemas convert to OpenAPI');
    assert.ok(openapi.json().paths['/api/targets']);
    assert.equal((await anon.api('GET', '/api/indicators/nope/progress')).statusCode, 404);
  });

  test('an import is picked up by the stale check (data_version moved)', async () => {
    assert.equal((await recomputeStale(t.db)).indicators, 0);
    await indicatorsTestSupport.bumpDataVersion(t.db.orm, 'demo-waste-recycled');
    assert.equal((await recomputeStale(t.db)).indicators, 1);
    assert.equal((await recomputeStale(t.db)).indicators, 0);
  });

  test('a manual status overrides and says so; a breakdown target gets its own row', async () => {
    const r = await admin.api('POST', '/api/targets', { indicator: 'demo-waste-recycled', level: 'national', country: 'NO', value: 65, manualStatus: 'moderate_progress', manualReason: 'Illustrative: a break in the series in 2019' });
    assert.equal(r.statusCode, 201, r.body);
    const s = await statusOf('no-1506', 'demo-waste-recycled');
    assert.deepEqual([s.status, s.method, s.details.manualReason], ['moderate_progress', 'manual', 'Illustrative: a break in the series in 2019']);
    const b = await admin.api('POST', '/api/targets', { indicator: 'demo-waste-recycled', level: 'global', breakdown: 'Waste type=Food', value: 40 });
    assert.equal(b.statusCode, 201, b.body);
    const all = (await anon.api('GET', '/api/areas/se-0780/progress')).json().statuses.filter((x: any) => x.indicator === 'demo-waste-recycled');
    assert.deepEqual(all.map((x: any) => x.breakdown).sort(), ['', 'Waste type=Food']);
  });

  test('a manual status is cleared by PATCH null, and the computed status comes back', async () => {
    // The Norwegian target with a manual status from the test above.
    const tg = (await anon.api('GET', '/api/targets?indicator=demo-waste-recycled&level=national')).json().items.find((x: any) => x.country === 'NO' && x.breakdown === '');
    assert.equal(tg.manualStatus, 'moderate_progress');
    assert.equal((await statusOf('no-1506', 'demo-waste-recycled')).method, 'manual');
    const p = await admin.api('PATCH', `/api/targets/${tg.id}`, { manualStatus: null });
    assert.equal(p.statusCode, 200, p.body);
    assert.equal(p.json().manualStatus, null);
    assert.equal((await statusOf('no-1506', 'demo-waste-recycled')).method, 'with_target');
    // Set again, then cleared together with its reason in one change.
    assert.equal((await admin.api('PATCH', `/api/targets/${tg.id}`, { manualStatus: 'deterioration', manualReason: 'Again' })).statusCode, 200);
    const both = await admin.api('PATCH', `/api/targets/${tg.id}`, { manualStatus: null, manualReason: '' });
    assert.equal(both.statusCode, 200, both.body);
    assert.equal(both.json().manualStatus, null);
    assert.equal((await statusOf('no-1506', 'demo-waste-recycled')).method, 'with_target');
    // Clearing the status needs no reason: not a blank one (spaces only, blank once trimmed; the
    // module offers updateTarget to others, who pass raw input)...
    assert.equal((await admin.api('PATCH', `/api/targets/${tg.id}`, { manualStatus: 'deterioration', manualReason: 'Once more' })).statusCode, 200);
    const cleared = await updateTarget(t.db, systemActor('test'), tg.id, { manualStatus: null, manualReason: '   ' });
    assert.equal(cleared.manualStatus, null);
    // ...nor the stored one, which a target may lack (written before a reason was required).
    assert.equal((await admin.api('PATCH', `/api/targets/${tg.id}`, { manualStatus: 'deterioration', manualReason: 'And again' })).statusCode, 200);
    await t.db.query(`UPDATE prog_targets SET manual_reason = '' WHERE id = $1`, [tg.id]);
    const noReason = await admin.api('PATCH', `/api/targets/${tg.id}`, { manualStatus: null });
    assert.equal(noReason.statusCode, 200, noReason.body);
    assert.equal(noReason.json().manualStatus, null);
    assert.equal((await statusOf('no-1506', 'demo-waste-recycled')).method, 'with_target');
  });
});

describe('targets import and export', () => {
  test('CSV: export, edit, import back; a bad row is a 422 naming line and field, nothing written', async () => {
    const csv = await anon.get(`/api/targets.csv?organisation=${NET}`);
    assert.equal(csv.statusCode, 200);
    assert.match(csv.body, /^indicator,level,area,organisation,country,breakdown,value,targetYear/);
    const line = csv.body.split('\n').find((l) => l.startsWith('demo-ghg-per-capita,network'))!;
    const edited = csv.body.replace(line, line.replace(',1.5,', ',1.2,'));
    const bad = `${edited}demo-renewable-share,network,,${NET},,,lots,2030,2015,,,,,,,x\nnope,network,,${NET},,,5,2030,2015,,,,,,,x\n`;
    const before = await snapshot(t.db, TABLES);
    const r = await netEditor.api('POST', '/api/targets/import', { format: 'csv', content: bad });
    assert.equal(r.statusCode, 422, r.body);
    const fields = r.json().errors.map((e: any) => e.field);
    assert.ok(fields.some((f: string) => /^line \d+: value$/.test(f)), fields.join('; '));
    assert.ok(fields.some((f: string) => /^line \d+: indicator$/.test(f)), fields.join('; '));
    assert.deepEqual(await snapshot(t.db, TABLES), before);
    const dry = await netEditor.api('POST', '/api/targets/import', { format: 'csv', content: edited, dryRun: true });
    assert.deepEqual(dry.json(), { created: 0, updated: 2, rows: 2, dryRun: true });
    assert.deepEqual(await snapshot(t.db, TABLES), before, 'a dry run writes nothing');
    assert.equal((await outsider.api('POST', '/api/targets/import', { format: 'csv', content: edited })).statusCode, 403);
    assert.deepEqual(await snapshot(t.db, TABLES), before);
    const ok = await netEditor.api('POST', '/api/targets/import', { format: 'csv', content: edited });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().updated, 2);
    const ghg = (await anon.api('GET', `/api/targets?organisation=${NET}&indicator=demo-ghg-per-capita`)).json().items[0];
    assert.equal(ghg.value, 1.2);
  });

  test('Open SDG metadata: progress_calculation_options, graph_target_lines and progress_status in, and out again', async () => {
    const meta = `---\ngraph_target_lines:\n  - value: 70\n    label: Illustrative line\nprogress_calculation_options:\n  - direction: positive\n    target: 75\n    target_year: 2030\n    base_year: 2016\n    limit: 100\nprogress_status: negligible_progress\n---\nText of the page.\n`;
    const r = await moldeEditor.api('POST', '/api/targets/import', { format: 'opensdg', content: meta, indicator: 'demo-waste-recycled', level: 'area', area: 'no-1506' });
    assert.equal(r.statusCode, 200, r.body);
    const tg = (await anon.api('GET', '/api/targets?area=no-1506&indicator=demo-waste-recycled')).json().items[0];
    assert.deepEqual([tg.value, tg.baselineYear, tg.limit, tg.manualStatus, tg.source], [75, 2016, 100, 'limited_progress', 'Illustrative line']);
    const s = await statusOf('no-1506', 'demo-waste-recycled');
    assert.deepEqual([s.status, s.method], ['limited_progress', 'manual']);
    const out = await anon.get('/api/indicators/demo-waste-recycled/opensdg-meta?area=no-1506');
    assert.equal(out.statusCode, 200);
    assert.match(out.body, /progress_status: limited_progress/);
    assert.match(out.body, /target: 75/);
    assert.match(out.body, /base_year: 2016/);
    const bad = await moldeEditor.api('POST', '/api/targets/import', { format: 'opensdg', content: 'progress_status: brilliant\n', indicator: 'demo-waste-recycled', level: 'area', area: 'no-1506' });
    assert.equal(bad.statusCode, 422);
    assert.ok(bad.json().errors.some((e: any) => e.field === 'value') && bad.json().errors.some((e: any) => e.field === 'manualStatus'), bad.body);
  });
});

describe('bad input: 422 naming the field, nothing written', () => {
  const bad: [string, Record<string, unknown>, string][] = [
    ['no value', { indicator: 'demo-renewable-share', level: 'network', organisation: NET }, 'value'],
    ['target year before baseline', { indicator: 'demo-renewable-share', level: 'network', organisation: NET, value: 5, targetYear: 2014 }, 'targetYear'],
    ['unknown indicator', { indicator: 'nope', level: 'network', organisation: NET, value: 5 }, 'indicator'],
    ['unknown area', { indicator: 'demo-renewable-share', level: 'area', area: 'no-9999', value: 5 }, 'area'],
    ['non-numeric threshold', { indicator: 'demo-renewable-share', level: 'network', organisation: NET, value: 5, green: 'high' }, 'green'],
    ['not a network', { indicator: 'demo-renewable-share', level: 'network', organisation: 'molde-kommune', value: 5 }, 'organisation'],
    ['manual status without reason', { indicator: 'demo-renewable-share', level: 'network', organisation: NET, value: 5, manualStatus: 'deterioration' }, 'manualReason'],
  ];
  for (const [name, body, field] of bad) {
    test(name, async () => {
      const before = await snapshot(t.db, TABLES);
      const res = await netEditor.api('POST', '/api/targets', body);
      assert.equal(res.statusCode, 422, res.body);
      assert.ok(res.json().errors.some((e: any) => e.field === field), res.body);
      assert.deepEqual(await snapshot(t.db, TABLES), before);
    });
  }
  test('a change that puts the target year before the baseline', async () => {
    const [tg] = (await anon.api('GET', `/api/targets?organisation=${NET}`)).json().items;
    const before = await snapshot(t.db, TABLES);
    const res = await netEditor.api('PATCH', `/api/targets/${tg.id}`, { baselineYear: 2031 });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().errors[0].field, 'targetYear');
    assert.deepEqual(await snapshot(t.db, TABLES), before);
  });
});

/**
 * Each write route: anonymous 401, no CSRF 403, an outsider 403, bad body 422,
 * unknown id 404, nothing changed by any of these; then the allowed user succeeds.
 */
describe('permission matrix over every write route', () => {
  type Case = { route: string; method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: () => Promise<string>; body: unknown; bad?: unknown; missing?: string; who: () => Agent };
  const netTarget = async () => {
    const r = await admin.api('POST', '/api/targets', { indicator: 'demo-women-council', level: 'network', organisation: NET, value: 50 });
    assert.equal(r.statusCode, 201, r.body);
    return r.json().id as string;
  };
  const cases: Case[] = [
    { route: 'POST /api/targets', method: 'POST', url: async () => '/api/targets', body: { indicator: 'demo-waste-recycled', level: 'network', organisation: NET, value: 70 }, bad: { indicator: 'demo-waste-recycled', level: 'network', organisation: NET, value: 'x' }, who: () => netEditor },
    { route: 'POST /api/targets (area)', method: 'POST', url: async () => '/api/targets', body: { indicator: 'demo-ghg-per-capita', level: 'area', area: 'no-1506', value: 2 }, bad: { indicator: 'demo-ghg-per-capita', level: 'area', value: 2 }, who: () => moldeEditor },
    { route: 'POST /api/targets (national)', method: 'POST', url: async () => '/api/targets', body: { indicator: 'demo-ghg-per-capita', level: 'national', country: 'SE', value: 1 }, bad: { indicator: 'demo-ghg-per-capita', level: 'national', value: 1 }, who: () => admin },
    { route: 'PATCH /api/targets/:id', method: 'PATCH', url: async () => `/api/targets/${await netTarget()}`, body: { value: 45 }, bad: { value: 'many' }, missing: '/api/targets/00000000-0000-4000-8000-000000000000', who: () => netEditor },
    { route: 'POST /api/targets/import', method: 'POST', url: async () => '/api/targets/import', body: { format: 'csv', content: `indicator,level,organisation,value\ndemo-renewable-share,network,${NET},90\n` }, bad: { format: 'csv', content: 'indicator,level\nx,y\n' }, who: () => netEditor },
    { route: 'PUT /api/progress/settings/:slug', method: 'PUT', url: async () => `/api/progress/settings/${NET}`, body: { maxMissingShare: 0.8 }, bad: { maxMissingShare: 2 }, missing: '/api/progress/settings/nope', who: () => netEditor },
    { route: 'DELETE /api/targets/:id', method: 'DELETE', url: async () => `/api/targets/${(await anon.api('GET', `/api/targets?organisation=${NET}&indicator=demo-women-council`)).json().items[0].id}`, body: undefined, missing: '/api/targets/00000000-0000-4000-8000-000000000000', who: () => netEditor },
  ];
  for (const c of cases) {
    test(c.route, async () => {
      const url = await c.url();
      const before = await snapshot(t.db, TABLES);
      assert.equal((await anon.api(c.method, url, c.body)).statusCode, 401);
      const noCsrf = await c.who().api(c.method, url, c.body, { csrf: false });
      assert.equal(noCsrf.statusCode, 403);
      const o = await outsider.api(c.method, url, c.body);
      assert.equal(o.statusCode, 403, o.body);
      if (c.route.includes('national')) assert.equal((await netEditor.api(c.method, url, c.body)).statusCode, 403, 'network editors may not set national targets');
      if (c.bad) {
        const b = await c.who().api(c.method, url, c.bad);
        assert.equal(b.statusCode, 422, b.body);
        assert.ok(b.json().errors.length > 0);
      }
      if (c.missing) assert.equal((await c.who().api(c.method, c.missing, c.body)).statusCode, 404);
      assert.deepEqual(await snapshot(t.db, TABLES), before, 'refusals changed nothing');
      const ok = await c.who().api(c.method, url, c.body);
      assert.ok([200, 201, 204].includes(ok.statusCode), `${ok.statusCode} ${ok.body}`);
      assert.notDeepEqual(await snapshot(t.db, TABLES), before);
    });
  }
  test('the network’s coverage share decides whether its members get an index', async () => {
    // Tromsø: 3 of 3 selected indicators without data; with the share at 0.8 after the matrix, still none.
    assert.equal((await anon.api('GET', `/api/progress/settings/${NET}`)).json().maxMissingShare, 0.8);
    const p = (await anon.api('GET', '/api/areas/no-5501/progress')).json();
    assert.equal(p.index.maxMissingShare, 0.8);
    assert.equal(p.index.withheld, 'too_many_missing');
  });
  test('covers every write route under /api/targets and the progress pages', () => {
    const covered = new Set(cases.map((c) => c.route.replace(/ \(.*\)$/, '')).concat(PAGE_ROUTES));
    const routes = t.app.writeRoutes.filter((r) => /^\/api\/(targets|progress)|\/targets|\/progress/.test(r.url)).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(routes.filter((r) => !covered.has(r)), []);
  });
});


describe('a full recompute', () => {
  const indexes = () =>
    t.db.query(`SELECT c.relname AS name, pg_get_indexdef(c.oid) AS def, x.indisprimary AS primary, (SELECT count(*) FROM pg_constraint k WHERE k.conindid = c.oid)::int AS constraints
      FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = 'prog_statuses'::regclass ORDER BY c.relname`);
  test('swaps in a table with the same rows, indexes and primary key, and leaves nothing behind', async () => {
    const before = { indexes: await indexes(), rows: await snapshot(t.db, ['prog_statuses', 'prog_goal_scores']) };
    // The before hook's full recompute swapped the table already: still the indexes of migrations/0400_progress.sql.
    assert.deepEqual(before.indexes.map((i: any) => [i.name, i.primary, i.constraints]), [['prog_statuses_area_idx', false, 0], ['prog_statuses_pk', true, 1]]);
    await recomputeAll(t.db);
    assert.deepEqual(await indexes(), before.indexes);
    assert.deepEqual(await snapshot(t.db, ['prog_statuses', 'prog_goal_scores']), before.rows);
    assert.deepEqual(await t.db.query(`SELECT relname FROM pg_class WHERE relname LIKE 'prog_statuses_next%'`), []);
  });
});
