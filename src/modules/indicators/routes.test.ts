import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import JSONstat from 'jsonstat-toolkit';
import type { FastifyInstance } from 'fastify';
import { Agent, countRows, createTestApp, type TestApp } from '../../../test/helpers.js';
import { importGeometries } from './index.js';
import { systemActor } from '../../platform/audit.js';
import { waitForImport } from '../imports/index.js';
import { renderCount } from './charts.js';
import { render } from 'preact-render-to-string';
import { organisationIndicatorsSection } from './area-page.js';
import { fixture } from '../../../test/indicators-support.js';
import { directory } from '../directory/index.js';

let t: TestApp;
let app: FastifyInstance;
const ORG = 'vanersborgs-kommun';

const as = async (email?: string) => {
  const a = new Agent(app);
  if (email) await a.signIn(email);
  return a;
};

async function upload(agent: Agent, format: string, filename: string, content: Buffer, meta?: Buffer) {
  return agent.postMultipart('/imports', { format }, [{ name: 'file', filename, content }, ...(meta ? [{ name: 'meta', filename: 'meta.md', content: meta }] : [])]);
}

before(async () => {
  t = await createTestApp({ demo: true });
  app = t.app;
  // Figures for an area are written by editors of the organisation governing it (docs/permissions.md):
  // this editor also works for Växjö, Molde and Älmhult, whose figures the tests below import.
  // The demo may already hold Älmhult (the projects demo's Kronoberg partners do).
  const almhult = await directory.getOrganisation(t.db.orm, 'almhults-kommun').catch(() => null);
  if (!almhult) await directory.createOrganisation(t.db, systemActor('test'), { name: 'Älmhults kommun', slug: 'almhults-kommun', kind: 'municipality', country: 'SE', areaCode: '0765', lang: 'sv', description: '' });
  await t.makeUser({ email: 'editor@example.org', roles: { [ORG]: 'editor', 'vaxjo-kommun': 'editor', 'molde-kommune': 'editor', 'almhults-kommun': 'editor' } });
  await t.makeUser({ email: 'member@example.org', roles: { [ORG]: 'member' } });
  await t.makeUser({ email: 'other-editor@example.org', roles: { [ORG]: 'admin' } });
});
after(async () => {
  if (app && app !== t?.app) await app.close();
  await t?.close();
});

describe('indicator pages', () => {
  it('lists indicators with their SDG goals', async () => {
    const res = await (await as()).get('/indicators?goal=7');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Renewable share of final energy use/);
    assert.doesNotMatch(res.body, /Territorial greenhouse gas/);
  });

  it('shows an indicator with a named chart, its summary, a data table, metadata and downloads; charts are cached', async () => {
    const a = await as();
    const res = await a.get('/indicators/demo-renewable-share?area=se-0780&area=no-1506', { 'accept-language': 'sv' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<div role="img" aria-label="Linjediagram över Renewable share of final energy use\. Molde[^:]*: [\d,]+ år 2015 och [\d,]+ år 2023\. Växjö[^:]*: [\d,]+ år 2015/);
    assert.match(res.body, /<svg aria-hidden="true"/);
    assert.match(res.body, /<table class="ds-table"[^>]*><caption>Datatabell/);
    assert.match(res.body, /Illustrative values for the Samverka demo/);
    assert.match(res.body, /href="\/api\/export\/opensdg\/demo-renewable-share\.csv"/);
    assert.match(res.body, /7\.2/);
    const n = renderCount();
    await a.get('/indicators/demo-renewable-share?area=se-0780&area=no-1506', { 'accept-language': 'sv' });
    assert.equal(renderCount(), n, 'the second view is served from the chart cache');
  });

  it('shows an area page grouped by SDG with latest value, change and a trend chart', async () => {
    const res = await (await as()).get('/areas/se-0780', { 'accept-language': 'en' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Goal 7: Affordable and clean energy/);
    assert.match(res.body, /Goal 13: Climate action/);
    assert.match(res.body, /class="ind-spark" role="img" aria-label="Trend from [\d.]+ in 2015 to [\d.]+ in 2023\."/);
    assert.match(res.body, /\(2023, provisional\)/);
  });

  it('compares across a group with median, rank and percentile', async () => {
    const res = await (await as()).get('/compare?indicator=demo-renewable-share&area=se-0780&group=demo-similar-vaxjo');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Bar chart ranking 6 areas by their latest value\. The median is/);
    assert.match(res.body, /Växjö kommun ranks 2 of 6 with [\d.]+ \(percentile \d+\)\./);
    assert.match(res.body, /aria-current="true"/);
    assert.doesNotMatch(res.body, /Map of/);
    await importGeometries(t.db, systemActor('test'), JSON.parse(fixture('boundaries.geojson').toString('utf8')), { country: 'SE', codeProperty: 'kommunkod' });
    const withMap = await (await as()).get('/compare?indicator=demo-renewable-share&area=se-0780&group=demo-similar-vaxjo');
    assert.match(withMap.body, /<figcaption id="ind-map-cap"[^>]*>Map of 2 areas shaded by their latest value/);
    assert.match(withMap.body, /<a href="\/areas\/se-0780" aria-label="Växjö kommun: [\d.,]+ %"><title>Växjö kommun: [\d.,]+ %<\/title><path /);
    // The boundary itself, as GeoJSON, for other maps.
    const geo = await (await as()).get('/api/areas/se-0780/geometry');
    assert.equal(geo.statusCode, 200);
    assert.match(String(geo.headers['content-type']), /^application\/geo\+json/);
    const f = geo.json();
    assert.deepEqual([f.type, f.id, f.properties.name, f.geometry.type], ['Feature', 'se-0780', 'Växjö kommun', 'Polygon']);
    assert.deepEqual(f.geometry.coordinates[0][0], [14.6, 56.7]);
    assert.equal((await (await as()).get('/api/areas/dk-657/geometry')).statusCode, 404);
  });

  it('answers 404 for unknown or malformed indicators, areas, groups, batches and uploads', async () => {
    const a = await as('editor@example.org');
    for (const url of ['/indicators/nope', '/areas/se-9999', '/areas/%27;drop', '/compare?indicator=nope', '/compare?indicator=demo-renewable-share&group=nope', '/imports/batches/abc', '/imports/batches/999999', '/imports/uploads/not-a-uuid', '/api/indicators/nope', '/api/areas/xx-1', '/api/export/opensdg/nope.csv', '/api/export/jsonstat/nope']) {
      assert.equal((await a.get(url)).statusCode, 404, url);
    }
  });
});

describe('the directory', () => {
  it('gives a municipality’s organisation page a section with its indicators', async () => {
    const org = await directory.getOrganisation(t.db.orm, ORG);
    const node = await organisationIndicatorsSection(t.db)({ locale: 'en' } as never, org);
    assert.ok(node);
    const html = render(node);
    assert.match(html, /<h2 class="ds-heading" data-size="sm" id="org-indicators">Indicators<\/h2>/);
    assert.match(html, /href="\/areas\/se-1487"/);
    const network = await directory.getOrganisation(t.db.orm, 'baerekraftsnettverket');
    assert.equal(await organisationIndicatorsSection(t.db)({ locale: 'en' } as never, network), null);
  });
});

describe('indicator API and exports', () => {
  it('serves an area with every indicator that has data', async () => {
    const res = await (await as()).get('/api/areas/se-0780');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.area.name, 'Växjö kommun');
    assert.equal(body.indicators.length, 4);
    assert.ok(body.indicators.every((i: { series: unknown[] }) => i.series.length === 9));
  });

  it('lists frameworks and the crosswalk from an SDG target to indicators', async () => {
    const a = await as();
    const list = (await a.get('/api/frameworks')).json();
    assert.deepEqual(list.items.find((f: { key: string }) => f.key === 'sdg'), { key: 'sdg', names: { en: 'Sustainable Development Goals', sv: 'Globala målen', nb: 'Bærekraftsmålene', da: 'Verdensmålene' }, source: 'United Nations', nodes: 186, indicators: 0 });
    const sdg = (await a.get('/api/frameworks/sdg')).json();
    const t116 = sdg.nodes.find((n: { code: string }) => n.code === '11.6');
    assert.deepEqual([t116.level, t116.parent, t116.indicators], ['target', '11', ['demo-waste-recycled']]);
    assert.equal(sdg.nodes.find((n: { code: string }) => n.code === '13').shortNames.sv, 'Bekämpa klimatförändringarna');
    assert.equal((await a.get('/api/frameworks/nope')).statusCode, 404);
  });

  it('exports Open SDG CSV that imports back unchanged', async () => {
    const a = await as('editor@example.org');
    const csv = await a.get('/api/export/opensdg/demo-waste-recycled.csv?areas=se-0780,no-1506');
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] as string, /text\/csv/);
    assert.equal(csv.body.split('\n')[0], 'Year,Waste type,GeoCode,Units,Status,Value');
    const before = await countRows(t.db, 'ind_import_batches');
    const res = await a.api('POST', '/api/imports', { format: 'opensdg', filename: 'indicator_demo-waste-recycled.csv', content: csv.body });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual([res.json().inserted, res.json().updated, res.json().unchanged], [0, 0, 24]);
    assert.equal(await countRows(t.db, 'ind_import_batches'), before);
  });

  it('exports JSON-stat 2.0 that jsonstat-toolkit reads', async () => {
    const res = await (await as()).get('/api/export/jsonstat/demo-ghg-per-capita,demo-women-council?areas=dk-657');
    assert.equal(res.statusCode, 200);
    const j = JSONstat(res.json());
    assert.deepEqual(j.Dimension('indicator').id, ['demo-ghg-per-capita', 'demo-women-council']);
    assert.deepEqual(j.Dimension('area').id, ['dk-657']);
    const obs = (await (await as()).get('/api/indicators/demo-women-council/observations?areas=dk-657')).json().observations;
    const y2020 = obs.find((o: { period: string }) => o.period === '2020');
    assert.equal(j.Data({ indicator: 'demo-women-council', area: 'dk-657', period: '2020', breakdown: '_T' }).value, y2020.value);
  });
});

describe('imports through the API', () => {
  const good = 'indicator,area,period,value\ndemo-renewable-share,se-1487,2024,77.5\n';
  it('needs a signed-in user with an editor or admin role; others change nothing', async () => {
    const before = await countRows(t.db, 'ind_observations');
    assert.equal((await (await as()).api('POST', '/api/imports', { format: 'long', content: good })).statusCode, 401);
    assert.equal((await (await as('member@example.org')).api('POST', '/api/imports', { format: 'long', content: good })).statusCode, 403);
    assert.equal(await countRows(t.db, 'ind_observations'), before);
  });
  it('rejects bad rows with 422 naming each row, and changes nothing', async () => {
    const before = await countRows(t.db, 'ind_observations');
    const res = await (await as('editor@example.org')).api('POST', '/api/imports', { format: 'long', content: fixture('long-bad.csv').toString('utf8') });
    assert.equal(res.statusCode, 422);
    const b = res.json();
    assert.equal(b.code, 'validation_failed');
    assert.deepEqual(b.errors.map((e: { field: string }) => e.field), ['row 3: period', 'row 4: value', 'row 6: row']);
    assert.equal(await countRows(t.db, 'ind_observations'), before);
  });
  it('refuses a confidential row that carries a value, which every page and export would show', async () => {
    const before = await countRows(t.db, 'ind_observations');
    const a = await as('editor@example.org');
    const csv = await a.api('POST', '/api/imports', { format: 'long', content: 'indicator,area,period,value,status\ndemo-renewable-share,se-1487,2025,12,confidential\ndemo-renewable-share,se-1487,2026,,confidential\n' });
    assert.equal(csv.statusCode, 422, csv.body);
    assert.deepEqual(csv.json().errors.map((e: { field: string }) => e.field), ['row 2: value']);
    const ds = { version: '2.0', class: 'dataset', id: ['Region', 'Tid'], size: [1, 2], dimension: { Region: { category: { index: ['se-1487'] } }, Tid: { category: { index: ['2025', '2026'] } } }, value: [5, null], status: [':', ':'] };
    const js = await a.api('POST', '/api/imports', { format: 'jsonstat', content: JSON.stringify(ds), mapping: { indicator: 'demo-renewable-share' } });
    assert.equal(js.statusCode, 422, js.body);
    assert.deepEqual(js.json().errors.map((e: { field: string }) => e.field), ['row 1: value']);
    assert.equal(await countRows(t.db, 'ind_observations'), before);
  });
  it('answers a mapping whose code lines are not text, or a file code such as "toString", with 422, not 500', async () => {
    const before = await countRows(t.db, 'ind_observations');
    const a = await as('editor@example.org');
    const wrongType = await a.api('POST', '/api/imports', { format: 'long', content: good.replace('se-1487', '1487'), mapping: { country: 'SE', codes: { '1487': 5 } } });
    assert.equal(wrongType.statusCode, 422, wrongType.body);
    assert.equal(wrongType.json().errors[0].field, 'mapping.codes.1487');
    const inherited = await a.api('POST', '/api/imports', { format: 'long', content: good.replace('se-1487', 'toString'), mapping: { codes: { TOTAL: 'skip' } } });
    assert.equal(inherited.statusCode, 422, inherited.body);
    assert.deepEqual(inherited.json().errors, [{ field: 'row 2: area', message: '"toString" is not an area code' }]);
    assert.equal(await countRows(t.db, 'ind_observations'), before);
  });
  it('imports for an editor, and a batch page shows what a re-import changed', async () => {
    const a = await as('editor@example.org');
    const r1 = await a.api('POST', '/api/imports', { format: 'long', content: good, filename: 'first.csv' });
    assert.equal(r1.statusCode, 200, r1.body);
    const r2 = await a.api('POST', '/api/imports', { format: 'long', content: good.replace('77.5', '78.25'), filename: 'second.csv' });
    const batch = r2.json().batchId;
    const detail = (await a.get(`/api/imports/batches/${batch}`)).json();
    assert.deepEqual(detail.changes, [{ indicator: 'demo-renewable-share', area: 'se-1487', period: '2024', breakdown: {}, before: 77.5, after: 78.25, fromBatch: String(r1.json().batchId) }]);
    const page = await a.get(`/imports/batches/${batch}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /77\.5/);
  });
});

describe('imports through the web', () => {
  it('upload, map, see the bad row, fix it and import; the area page shows the value', async () => {
    const a = await as('editor@example.org');
    const bad = Buffer.from('Indikator,Kommun,År,Värde\ndemo-renewable-share,se-0765,2024,81.5\ndemo-renewable-share,se-0765,2025,n/a\n');
    const up = await upload(a, 'long', 'mine.csv', bad);
    assert.equal(up.statusCode, 303, up.body);
    const url = up.headers.location as string;
    const page = await a.get(url);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Column “Kommun”/);
    // The headers are not in the guessed vocabulary: the user maps them.
    const mapping = { 'col:Indikator': 'indicator', 'col:Kommun': 'area', 'col:År': 'period', 'col:Värde': 'value', action: 'check' };
    const check = await a.postForm(url, mapping);
    assert.equal(check.statusCode, 303);
    const report = await a.get(url);
    assert.match(report.body, /1 row has errors\. Nothing was imported\./);
    // Cells carry their column's name (data-label) so that narrow screens can show the table as a list.
    assert.match(report.body, /<td[^>]*>3<\/td><td[^>]*>Värde<\/td><td lang="en"[^>]*>&quot;n\/a&quot; is not a number<\/td>/);
    assert.doesNotMatch(report.body, /value="commit"/);

    const up2 = await upload(a, 'long', 'mine.csv', Buffer.from(bad.toString().replace('n/a', '82.0')));
    const url2 = up2.headers.location as string;
    await a.postForm(url2, mapping);
    const checked = await a.get(url2);
    assert.match(checked.body, /2 rows are valid: 2 new, 0 changed, 0 unchanged\./);
    assert.match(checked.body, /value="commit"/);
    const commit = await a.postForm(url2, { action: 'commit' });
    assert.equal(commit.statusCode, 303);
    await waitForImport(t.db, url2.split('/').pop()!);
    const done = await a.get(url2);
    assert.match(done.body, /Import finished\./);
    const area = await a.get('/areas/se-0765');
    assert.match(area.body, /82\.0 \(2025\)/);
    const cmp = await a.get('/compare?indicator=demo-renewable-share&area=se-0765&group=demo-similar-vaxjo');
    assert.match(cmp.body, /Älmhult<\/strong>: 82\.0 \(2025\)/);
  });

  it('imports an Open SDG file with its metadata: the indicator gets its name and SDG target', async () => {
    const a = await as('editor@example.org');
    const csv = Buffer.from(fixture('indicator_11-6-1.csv').toString('utf8').replaceAll('se-1487', 'se-0765'));
    const up = await upload(a, 'opensdg', 'indicator_11-6-1.csv', csv, fixture('11-6-1.md'));
    assert.equal(up.statusCode, 303, up.body);
    const url = up.headers.location as string;
    assert.match((await a.get(url)).body, /value="11-6-1"/);
    await a.postForm(url, { 'col:Year': 'period', 'col:Waste type': 'breakdown', 'col:GeoCode': 'area', 'col:Units': 'unit', 'col:Value': 'value', indicator: '11-6-1', action: 'check' });
    assert.match((await a.get(url)).body, /8 rows are valid: 8 new/);
    await a.postForm(url, { action: 'commit' });
    await waitForImport(t.db, url.split('/').pop()!);
    const page = await a.get('/indicators/11-6-1');
    assert.equal(page.statusCode, 200);
    // An English reader sees English names unmarked (a reader in another language gets lang and a note: sdg-i18n.test.ts).
    assert.match(page.body, /<h1 class="ds-heading" data-size="lg">Share of municipal solid waste recycled<\/h1>/);
    assert.match(page.body, /11\.6 By 2030, reduce the adverse per capita environmental impact of cities/);
    assert.match(page.body, /Avfall Sverige/);
  });

  it('passes the uploaded Open SDG metadata’s target and manual status to progress for the file’s area', async () => {
    const a = await as('editor@example.org');
    const csv = Buffer.from('Year,Value\n2016,40\n2018,48\n2020,55\n');
    const meta = Buffer.from('---\r\nindicator_name: Renewable heat share\r\ngraph_target_lines:\r\n  - value: 80\r\nprogress_status: moderate_progress\r\n---\r\n');
    const up = await upload(a, 'opensdg', 'indicator_7-2-9.csv', csv, meta);
    assert.equal(up.statusCode, 303, up.body);
    const url = up.headers.location as string;
    await a.postForm(url, { 'col:Year': 'period', 'col:Value': 'value', indicator: '7-2-9', area: 'no-1506', action: 'check' });
    await a.postForm(url, { action: 'commit' });
    await waitForImport(t.db, url.split('/').pop()!);
    const done = await a.get(url);
    assert.match(done.body, /<p class="ds-paragraph" lang="en">[^<]*target/i, 'the report says what progress did');
    const [target] = await t.db.query<{ value: number; manual_status: string | null }>(
      `SELECT t.value, t.manual_status FROM prog_targets t JOIN ind_indicators i ON i.id = t.indicator_id JOIN areas ar ON ar.id = t.area_id
       WHERE i.code = '7-2-9' AND ar.key = 'no-1506' AND t.level = 'area'`,
    );
    assert.equal(target?.value, 80);
    assert.equal(target?.manual_status, 'moderate_progress');
  });

  it('a saved mapping applied to a later upload keeps that upload’s own Open SDG metadata', async () => {
    const a = await as('editor@example.org');
    const meta = (target: number) => Buffer.from(`---\nindicator_name: District heat share\ngraph_target_lines:\n  - value: ${target}\n---\n`);
    const first = (await upload(a, 'opensdg', 'indicator_7-2-8.csv', Buffer.from('Year,Value\n2016,40\n2018,48\n'), meta(80))).headers.location as string;
    await a.postForm(first, { 'col:Year': 'period', 'col:Value': 'value', indicator: '7-2-8', area: 'no-1506', saveAs: 'Heat share, Molde', action: 'check' });
    await a.postForm(first, { action: 'commit' });
    await waitForImport(t.db, first.split('/').pop()!);
    const [saved] = await t.db.query<{ id: string }>(`SELECT id FROM ind_mappings WHERE name = 'Heat share, Molde'`);
    // A year later: the new file's metadata raises the target; the saved mapping describes its columns.
    const next = (await upload(a, 'opensdg', 'indicator_7-2-8.csv', Buffer.from('Year,Value\n2020,55\n'), meta(90))).headers.location as string;
    await a.postForm(next, { useSaved: saved!.id, action: 'check' });
    await a.postForm(next, { action: 'commit' });
    await waitForImport(t.db, next.split('/').pop()!);
    const [target] = await t.db.query<{ value: number }>(
      `SELECT t.value FROM prog_targets t JOIN ind_indicators i ON i.id = t.indicator_id JOIN areas ar ON ar.id = t.area_id WHERE i.code = '7-2-8' AND ar.key = 'no-1506' AND t.level = 'area'`,
    );
    assert.equal(target?.value, 90);
  });

  it('hides one user’s upload from another and refuses anonymous and member users', async () => {
    const owner = await as('editor@example.org');
    const up = await upload(owner, 'long', 'x.csv', Buffer.from('indicator,area,period,value\ndemo-renewable-share,se-0765,2026,1\n'));
    const url = up.headers.location as string;
    assert.equal((await (await as('other-editor@example.org')).get(url)).statusCode, 404);
    assert.equal((await (await as('member@example.org')).get(url)).statusCode, 403);
    assert.equal((await (await as()).get(url)).statusCode, 401);
    const before = await countRows(t.db, 'ind_uploads');
    assert.equal((await upload(await as('member@example.org'), 'long', 'x.csv', Buffer.from('a'))).statusCode, 403);
    assert.equal(await countRows(t.db, 'ind_uploads'), before);
  });

  it('rejects a form without the CSRF token', async () => {
    const a = await as('editor@example.org');
    const up = await upload(a, 'long', 'x.csv', Buffer.from('indicator,area,period,value\ndemo-renewable-share,se-0765,2027,1\n'));
    const res = await a.postForm(up.headers.location as string, { action: 'check' }, { csrf: false });
    assert.equal(res.statusCode, 403);
  });
});

describe('the compare page’s ranking table', () => {
  it('gives tied values the same rank, as the summary counts it', async () => {
    const a = await as('editor@example.org');
    // The latest year for three areas, two of them tied at the top.
    const res = await a.api('POST', '/api/imports', { format: 'long', content: 'indicator,area,period,value\ndemo-renewable-share,se-0780,2031,90\ndemo-renewable-share,se-0765,2031,90\ndemo-renewable-share,se-1487,2031,80\n' });
    assert.equal(res.statusCode, 200, res.body);
    const page = await a.get('/compare?indicator=demo-renewable-share&areas=se-0780,se-0765,se-1487&area=se-0780');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Växjö kommun ranks 1 of 3/);
    const ranks = [...page.body.matchAll(/<tr[^>]*><td data-label="Rank">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    assert.deepEqual(ranks, [1, 1, 3]);
  });
});
