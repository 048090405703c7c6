import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countRows, createTestApp, drainJobs, snapshot, type TestApp } from '../../../test/helpers.js';
import { fixture } from '../../../test/indicators-support.js';
import { FileFormatError, parseFile } from './importers/index.js';
import { importReference } from './reference.js';
import { startReferenceImport } from './jobs.js';
import { systemActor } from '../../platform/audit.js';
import { ForbiddenError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';

const TABLES = ['areas', 'ind_frameworks', 'ind_framework_nodes', 'ind_indicators', 'ind_indicator_links', 'ind_area_groups', 'ind_area_group_members', 'ind_area_geometries', 'audit_events'];
const ORG = 'vanersborgs-kommun';
const actor = systemActor('test');
const pick = (v: { status: string; progress: number }) => ({ status: v.status, progress: v.progress });
let t: TestApp;

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'admin@example.org', admin: true });
  await t.makeUser({ email: 'editor@example.org', roles: { [ORG]: 'editor' } });
  await t.makeUser({ email: 'other-editor@example.org', roles: { [ORG]: 'admin' } });
  await t.makeUser({ email: 'member@example.org', roles: { [ORG]: 'member' } });
});
after(async () => t?.close());

describe('reference data imports (service)', () => {
  it('reads Kolada files as API v3 JSON and as rKolada CSV snapshots alike', async () => {
    const json = await parseFile('kolada', 'kolada-data.json', fixture('kolada-data.json'));
    const csv = await parseFile('kolada', 'kolada-data.csv', fixture('kolada-data.csv'));
    const strip = (rows: typeof json.rows) => rows.map(({ line: _line, ...r }) => r);
    assert.deepEqual(strip(csv.rows), strip(json.rows));
    assert.deepEqual(csv.errors, []);
    // A value the snapshot cannot hold as a number is named with its row, not turned into NaN.
    const bad = await parseFile('kolada', 'bad.csv', Buffer.from(fixture('kolada-data.csv').toString('utf8').replace('62.8', 'abc')));
    assert.deepEqual(bad.errors.map((e) => [e.field, e.message]), [['value', '"abc" is not a number']]);
  });

  it('imports Kolada groups from a CSV snapshot in one go, naming member codes that match no area', async () => {
    const before = await countRows(t.db, 'ind_area_groups');
    const r = await importReference(t.db, actor, { kind: 'kolada-groups', file: fixture('kolada-groups.csv'), prefix: 'test' });
    assert.deepEqual([r.read, r.created, r.changed, r.unknown], [2, 2, 0, ['se-9999']]);
    assert.equal(await countRows(t.db, 'ind_area_groups'), before + 2);
    const again = await importReference(t.db, actor, { kind: 'kolada-groups', file: fixture('kolada-groups.csv'), prefix: 'test' });
    assert.deepEqual([again.created, again.changed], [0, 0]);
  });

  it('imports a Norwegian area list with its counties, and a second run changes nothing', async () => {
    const r = await importReference(t.db, actor, { kind: 'areas-no', file: fixture('norway-kommuner.csv'), regions: fixture('norway-fylker.geojson') });
    assert.equal(r.read, 5); // the country, two counties, two municipalities
    const [row] = await t.db.query<{ parent: string }>(`SELECT p.key AS parent FROM areas a JOIN areas p ON p.id = a.parent_id WHERE a.key = 'no-3242'`);
    assert.equal(row!.parent, 'no-32');
    const before = await snapshot(t.db, TABLES);
    const again = await importReference(t.db, actor, { kind: 'areas-no', file: fixture('norway-kommuner.csv'), regions: fixture('norway-fylker.geojson') });
    assert.deepEqual([again.created, again.changed], [0, 0]);
    assert.deepEqual(await snapshot(t.db, TABLES), before);
  });

  it('imports a framework and reports the rows it skipped, with their line numbers', async () => {
    const r = await importReference(t.db, actor, { kind: 'framework-u4ssc', file: fixture('u4ssc-taxonomy.csv') });
    assert.equal(r.read, 2);
    assert.deepEqual(r.skipped.map((e) => [e.line, e.field]), [[5, 'notation']]);
  });

  it('rejects unreadable files and bad boundaries, and changes nothing', async () => {
    const before = await snapshot(t.db, TABLES);
    await assert.rejects(importReference(t.db, actor, { kind: 'kolada-kpis', file: Buffer.from('{"values": ') }), FileFormatError);
    await assert.rejects(importReference(t.db, actor, { kind: 'areas-dk', file: Buffer.from('kode,navn\n657,Herning\n') }), /lau_1/);
    await assert.rejects(importReference(t.db, actor, { kind: 'framework-ks', file: Buffer.from('a,b\n1,2\n') }), FileFormatError);
    const broken = JSON.parse(fixture('boundaries.geojson').toString('utf8'));
    broken.features[1].geometry = { type: 'Point', coordinates: [14, 56] };
    await assert.rejects(importReference(t.db, actor, { kind: 'geojson', file: Buffer.from(JSON.stringify(broken)), country: 'SE', property: 'kommunkod' }), (err: unknown) => {
      assert.ok(err instanceof ValidationError);
      assert.match(err.fields[0]!.message, /feature 2: geometry is not a polygon/);
      return true;
    });
    await assert.rejects(importReference(t.db, actor, { kind: 'areas-no', file: fixture('norway-kommuner.csv'), regions: Buffer.from('{"type":"FeatureCollection","features":[{"properties":{"name":"X"}}]}') }), /County feature 1/);
    assert.deepEqual(await snapshot(t.db, TABLES), before);
  });
});

describe('reference data imports (web form and API)', () => {
  const file = (name: string) => [{ name: 'file', filename: name, content: fixture(name) }];
  // The file's own tables; audit_events gains the queuing's row, so "nothing imported" is checked on these.
  const DATA = TABLES.filter((x) => x !== 'audit_events');
  const editorActor = async () => {
    const [u] = await t.db.query<{ id: string }>(`SELECT id FROM users WHERE email = 'editor@example.org'`);
    const [o] = await t.db.query<{ id: string }>(`SELECT id FROM organisations WHERE slug = $1`, [ORG]);
    return { userId: u!.id, label: 'editor', isPlatformAdmin: false, orgRoles: new Map([[o!.id, 'editor' as const]]) };
  };

  // The background loop is stopped so each test sees its import queued, then runs it with drainJobs.
  before(async () => t.app.jobWorker!.stop());

  it('is for platform administrators: anonymous users must sign in, editors are refused', async () => {
    const [anon, editor, admin] = [await t.agent(), await t.agent('editor@example.org'), await t.agent('admin@example.org')];
    const before = await snapshot(t.db, TABLES);
    assert.equal((await anon.get('/imports/reference')).statusCode, 401);
    assert.equal((await anon.postMultipart('/imports/reference', { kind: 'kolada-areas' }, file('kolada-municipality.json'))).statusCode, 401);
    assert.equal((await editor.get('/imports/reference')).statusCode, 403);
    assert.doesNotMatch((await editor.get('/imports')).body, /href="\/imports\/reference"/);
    assert.equal((await editor.postMultipart('/imports/reference', { kind: 'kolada-areas' }, file('kolada-municipality.json'))).statusCode, 403);
    assert.equal((await editor.api('POST', '/api/reference-imports', { kind: 'kolada-areas', content: fixture('kolada-municipality.json').toString('utf8') })).statusCode, 403);
    assert.equal((await anon.api('POST', '/api/reference-imports', { kind: 'kolada-areas', content: '{}' })).statusCode, 401);
    assert.equal((await admin.postMultipart('/imports/reference', { kind: 'kolada-areas' }, file('kolada-municipality.json'), { csrf: false })).statusCode, 403);
    assert.deepEqual(await snapshot(t.db, TABLES), before);
    assert.equal(await countRows(t.db, 'ind_reference_imports'), 0);
    assert.equal((await t.db.query(`SELECT 1 FROM jobs WHERE kind = 'indicators.reference-import'`)).length, 0, 'no import was queued');
    // The use cases check it themselves, whoever calls them.
    const ed = await editorActor();
    await assert.rejects(startReferenceImport(t.db, ed, { kind: 'kolada-groups', file: fixture('kolada-groups.csv') }), ForbiddenError);
    await assert.rejects(importReference(t.db, ed, { kind: 'kolada-groups', file: fixture('kolada-groups.csv') }), ForbiddenError);
    await assert.rejects(importReference(t.db, { userId: null, label: 'anonymous', isPlatformAdmin: false, orgRoles: new Map() }, { kind: 'kolada-groups', file: fixture('kolada-groups.csv') }), UnauthenticatedError);
    assert.deepEqual(await snapshot(t.db, TABLES), before);
  });

  it('queues an administrator’s boundaries, shows the import’s progress, then what was stored', async () => {
    const [anon, editor, admin] = [await t.agent(), await t.agent('editor@example.org'), await t.agent('admin@example.org')];
    const form = await admin.get('/imports/reference');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<label class="ds-label" for="f-file">File<\/label>/);
    assert.match((await admin.get('/imports')).body, /href="\/imports\/reference"/);
    const before = await snapshot(t.db, DATA);
    const res = await admin.postMultipart('/imports/reference', { kind: 'geojson', country: 'SE', property: 'kommunkod' }, file('boundaries.geojson'));
    assert.equal(res.statusCode, 303, res.body);
    const url = res.headers.location as string;
    assert.match(url, /^\/imports\/reference\/[0-9a-f-]{36}$/);
    const id = url.split('/').pop()!;
    // Answered before the import ran: nothing is stored yet, and the page says it is queued.
    assert.deepEqual(await snapshot(t.db, DATA), before);
    const queued = await admin.get(url);
    assert.equal(queued.statusCode, 200);
    assert.match(queued.body, /The file is queued for import/);
    assert.match(queued.body, /hx-trigger="every 1s"/);
    // A worker on any server writes its progress to the job's row; the page reads it from there.
    await t.db.query(`UPDATE jobs SET state = 'running', progress = 42, locked_by = 'elsewhere:1', heartbeat_at = now() WHERE kind = 'indicators.reference-import' AND key = $1`, [id]);
    assert.match((await admin.get(url)).body, /Importing… 42 %/);
    assert.deepEqual(pick((await admin.api('GET', `/api/reference-imports/${id}`)).json()), { status: 'running', progress: 42 });
    await t.db.query(`UPDATE jobs SET state = 'queued', progress = 0, locked_by = NULL, heartbeat_at = NULL WHERE kind = 'indicators.reference-import' AND key = $1`, [id]);
    for (const who of [anon, editor]) {
      assert.equal((await who.get(url)).statusCode, anon === who ? 401 : 403);
      assert.equal((await who.api('GET', `/api/reference-imports/${id}`)).statusCode, anon === who ? 401 : 403);
    }
    await drainJobs(t);
    const done = await admin.get(url);
    assert.doesNotMatch(done.body, /hx-trigger/);
    assert.match(done.body, /2 boundaries stored\./);
    assert.match(done.body, /1 area code in the file matches no area: se-9999/);
    assert.notDeepEqual(await snapshot(t.db, DATA), before);
    const [row] = await t.db.query<{ status: string; size: number }>(`SELECT status, octet_length(content) AS size FROM ind_reference_imports WHERE id = $1`, [id]);
    assert.deepEqual({ ...row, size: Number(row!.size) }, { status: 'done', size: 0 }, 'the file is not kept once imported');
    assert.equal((await admin.get('/imports/reference/00000000-0000-4000-8000-000000000000')).statusCode, 404);
    assert.equal((await admin.api('GET', '/api/reference-imports/nope')).statusCode, 404);
  });

  it('refuses a form with a field wrong at once; records why a file cannot be imported, and imports nothing from it', async () => {
    const admin = await t.agent('admin@example.org');
    const before = await snapshot(t.db, TABLES);
    const noFile = await admin.postMultipart('/imports/reference', { kind: 'areas-se' }, []);
    assert.equal(noFile.statusCode, 422);
    assert.match(noFile.body, /<a class="ds-link" href="#f-file">File: Choose a file\.<\/a>/);
    const badKind = await admin.postMultipart('/imports/reference', { kind: 'nonsense' }, file('kolada-groups.csv'));
    assert.equal(badKind.statusCode, 422);
    assert.match(badKind.body, /href="#f-kind"/);
    const noProperty = await admin.postMultipart('/imports/reference', { kind: 'geojson', country: 'SE', property: '' }, file('boundaries.geojson'));
    assert.equal(noProperty.statusCode, 422);
    assert.match(noProperty.body, /href="#f-property"/);
    assert.deepEqual(await snapshot(t.db, TABLES), before);
    // A file of the wrong shape is found out by the job: it fails once, with the reason, and changes nothing.
    const dataBefore = await snapshot(t.db, DATA);
    const wrongFile = await admin.postMultipart('/imports/reference', { kind: 'areas-dk' }, file('norway-kommuner.csv'));
    assert.equal(wrongFile.statusCode, 303);
    await drainJobs(t);
    const page = await admin.get(wrongFile.headers.location as string);
    assert.match(page.body, /The file was not imported; nothing changed\./);
    assert.match(page.body, /The Danish list needs the columns lau_1 and label_dk\./);
    assert.deepEqual(await snapshot(t.db, DATA), dataBefore);
    const [job] = await t.db.query<{ state: string; attempts: number }>(`SELECT state, attempts FROM jobs WHERE kind = 'indicators.reference-import' AND key = $1`, [(wrongFile.headers.location as string).split('/').pop()]);
    assert.deepEqual({ ...job }, { state: 'done', attempts: 1 }, 'a bad file is not retried');
  });

  it('takes the same files through the API: 202 at once, then the result or the reason at the import’s url', async () => {
    const admin = await t.agent('admin@example.org');
    const before = await snapshot(t.db, DATA);
    const bad = await admin.api('POST', '/api/reference-imports', { kind: 'kolada-kpis', content: 'not json and not a snapshot' });
    assert.equal(bad.statusCode, 202, bad.body);
    assert.equal(bad.json().status, 'queued');
    const badKind = await admin.api('POST', '/api/reference-imports', { kind: 'nope', content: 'x' });
    assert.equal(badKind.statusCode, 422);
    const noCountry = await admin.api('POST', '/api/reference-imports', { kind: 'geojson', content: '{}', property: 'kommunkod' });
    assert.equal(noCountry.statusCode, 422);
    assert.equal(noCountry.json().errors[0].field, 'country');
    await drainJobs(t);
    const failed = (await admin.api('GET', new URL(bad.json().url).pathname)).json();
    assert.equal(failed.status, 'failed');
    assert.equal(failed.result, null);
    assert.equal(failed.error.fields[0].field, 'file');
    assert.match(failed.error.message, /./);
    assert.deepEqual(await snapshot(t.db, DATA), before);
    // Real catalogues are megabytes; the body limit of these routes follows UPLOAD_MAX_BYTES, not the 2 MB of other routes.
    const big = 'group_id,group_title,member_id,member_title\n' + 'G777,Stor grupp,0780,Växjö\n'.repeat(110_000);
    assert.ok(big.length > 2.5 * 1024 * 1024);
    const large = await admin.api('POST', '/api/reference-imports', { kind: 'kolada-groups', content: Buffer.from(big).toString('base64'), encoding: 'base64', prefix: 'big' });
    assert.equal(large.statusCode, 202, large.body.slice(0, 300));
    const ok = await admin.api('POST', '/api/reference-imports', { kind: 'kolada-kpis', content: fixture('kolada-kpi.json').toString('base64'), encoding: 'base64' });
    assert.equal(ok.statusCode, 202, ok.body);
    await drainJobs(t);
    const largeDone = (await admin.api('GET', `/api/reference-imports/${large.json().id}`)).json();
    assert.equal(largeDone.status, 'done');
    assert.equal(largeDone.progress, 100);
    assert.deepEqual([largeDone.result.read, largeDone.result.created], [1, 1]);
    const okDone = (await admin.api('GET', `/api/reference-imports/${ok.json().id}`)).json();
    assert.equal(okDone.status, 'done');
    assert.ok(okDone.result.read > 0);
    assert.notDeepEqual(await snapshot(t.db, DATA), before);
    const [audit] = await t.db.query<{ actor_user_id: string | null }>(`SELECT actor_user_id FROM audit_events WHERE action = 'indicators.groups.import' ORDER BY id DESC LIMIT 1`);
    assert.ok(audit?.actor_user_id, 'the job acts as the administrator who queued it');
  });
});

describe('the SDG crosswalk by hand', () => {
  const sdgOf = async (code: string) =>
    (
      await t.db.query<{ code: string }>(
        `SELECT n.code FROM ind_indicator_links l JOIN ind_framework_nodes n ON n.id = l.node_id JOIN ind_frameworks f ON f.id = n.framework_id JOIN ind_indicators i ON i.id = l.indicator_id
         WHERE f.key = 'sdg' AND i.code = $1 ORDER BY n.sort_key`,
        [code],
      )
    ).map((r) => r.code);

  it('refuses anonymous users, editors, forms without the CSRF token, unknown indicators and unknown targets, changing nothing', async () => {
    const [anon, editor, admin] = [await t.agent(), await t.agent('editor@example.org'), await t.agent('admin@example.org')];
    const url = '/indicators/demo-renewable-share/sdg-targets';
    const before = await snapshot(t.db, TABLES);
    assert.equal((await anon.get(url)).statusCode, 401);
    assert.equal((await anon.postForm(url, { targets: '7.2' })).statusCode, 401);
    assert.equal((await editor.get(url)).statusCode, 403);
    assert.equal((await editor.postForm(url, { targets: '7.2' })).statusCode, 403);
    assert.equal((await admin.postForm(url, { targets: '7.2' }, { csrf: false })).statusCode, 403);
    assert.equal((await admin.postForm('/indicators/nope/sdg-targets', { targets: '7.2' })).statusCode, 404);
    const bad = await admin.postForm(url, { targets: '7.2, 99.9' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /href="#f-targets">SDG goals and targets: Not an SDG goal or target: 99\.9<\/a>/);
    assert.match(bad.body, /value="7\.2, 99\.9"/);
    assert.equal((await editor.api('PUT', '/api/indicators/demo-renewable-share/sdg-targets', { targets: ['7.2'] })).statusCode, 403);
    assert.equal((await anon.api('PUT', '/api/indicators/demo-renewable-share/sdg-targets', { targets: ['7.2'] })).statusCode, 401);
    assert.equal((await admin.api('PUT', '/api/indicators/nope/sdg-targets', { targets: ['7.2'] })).statusCode, 404);
    const badApi = await admin.api('PUT', '/api/indicators/demo-renewable-share/sdg-targets', { targets: ['x'] });
    assert.equal(badApi.statusCode, 422);
    assert.match(badApi.json().errors[0].field, /targets/);
    assert.equal((await admin.api('PUT', '/api/indicators/demo-renewable-share/sdg-targets', { targets: ['17.99'] })).statusCode, 422);
    assert.deepEqual(await snapshot(t.db, TABLES), before);
  });

  it('lets an administrator change an indicator’s goals and targets; the indicator page shows them', async () => {
    const admin = await t.agent('admin@example.org');
    const page = await admin.get('/indicators/demo-renewable-share');
    assert.match(page.body, /href="\/indicators\/demo-renewable-share\/sdg-targets"/);
    const form = await admin.get('/indicators/demo-renewable-share/sdg-targets');
    assert.equal(form.statusCode, 200);
    const current = await sdgOf('demo-renewable-share');
    assert.match(form.body, new RegExp(`value="${current.join(', ').replaceAll('.', '\\.')}"`));
    const res = await admin.postForm('/indicators/demo-renewable-share/sdg-targets', { targets: '7.2, 13.2' });
    assert.equal(res.statusCode, 303);
    assert.deepEqual(await sdgOf('demo-renewable-share'), ['7.2', '13.2']);
    assert.match((await admin.get('/indicators/demo-renewable-share')).body, /13\.2 Integrate climate change measures/);
    const api = await admin.api('PUT', '/api/indicators/demo-renewable-share/sdg-targets', { targets: ['13.2', '7.2'] });
    assert.deepEqual(api.json(), { code: 'demo-renewable-share', targets: ['7.2', '13.2'], changed: false });
    const [audit] = await t.db.query<{ changes: { sdgTargets: { from: string[]; to: string[] } } }>(`SELECT changes FROM audit_events WHERE action = 'indicators.indicator.sdg_links' ORDER BY id DESC LIMIT 1`);
    assert.deepEqual(audit!.changes.sdgTargets, { from: current, to: ['7.2', '13.2'] });
  });
});

describe('saved mappings', () => {
  const MTABLES = ['ind_mappings', 'audit_events'];
  let id = '';

  before(async () => {
    // Saved the way users save them: on an upload's mapping step.
    const owner = await t.agent('editor@example.org');
    const up = await owner.postMultipart('/imports', { format: 'long' }, [{ name: 'file', filename: 'k.csv', content: Buffer.from('Indikator,Kommun,År,Värde\ndemo-renewable-share,se-0765,2024,81.5\n') }]);
    const url = up.headers.location as string;
    await owner.postForm(url, { 'col:Indikator': 'indicator', 'col:Kommun': 'area', 'col:År': 'period', 'col:Värde': 'value', saveAs: 'Kommunfil', action: 'check' });
    await owner.postForm(url, { 'col:Indikator': 'indicator', 'col:Kommun': 'area', 'col:År': 'period', 'col:Värde': 'value', saveAs: 'Andra filen', action: 'check' });
    const [m] = await t.db.query<{ id: string }>(`SELECT id FROM ind_mappings WHERE name = 'Kommunfil'`);
    id = m!.id;
  });

  it('lists mappings for people who import; only the owner or a platform admin gets the buttons', async () => {
    assert.equal((await (await t.agent()).get('/imports/mappings')).statusCode, 401);
    assert.equal((await (await t.agent('member@example.org')).get('/imports/mappings')).statusCode, 403);
    const mine = await (await t.agent('editor@example.org')).get('/imports/mappings');
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, /<th scope="row"[^>]*>Kommunfil<\/th><td[^>]*>long<\/td>/);
    assert.match(mine.body, new RegExp(`action="/imports/mappings/${id}/rename"`));
    const theirs = await (await t.agent('other-editor@example.org')).get('/imports/mappings');
    assert.match(theirs.body, /Kommunfil/);
    assert.doesNotMatch(theirs.body, /\/rename"/);
    assert.match((await (await t.agent('editor@example.org')).get('/imports')).body, /href="\/imports\/mappings"/);
  });

  it('refuses others, forms without the CSRF token, unknown ids, empty and taken names, changing nothing', async () => {
    const [anon, other, owner] = [await t.agent(), await t.agent('other-editor@example.org'), await t.agent('editor@example.org')];
    const before = await snapshot(t.db, MTABLES);
    assert.equal((await anon.postForm(`/imports/mappings/${id}/rename`, { name: 'X' })).statusCode, 401);
    assert.equal((await other.postForm(`/imports/mappings/${id}/rename`, { name: 'X' })).statusCode, 403);
    assert.equal((await other.postForm(`/imports/mappings/${id}/delete`)).statusCode, 403);
    assert.equal((await owner.postForm(`/imports/mappings/${id}/delete`, {}, { csrf: false })).statusCode, 403);
    assert.equal((await owner.postForm('/imports/mappings/00000000-0000-4000-8000-000000000000/delete')).statusCode, 404);
    const empty = await owner.postForm(`/imports/mappings/${id}/rename`, { name: '  ' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /href="#f-name"/);
    const taken = await owner.postForm(`/imports/mappings/${id}/rename`, { name: 'Andra filen' });
    assert.equal(taken.statusCode, 422);
    assert.match(taken.body, /Another long mapping is called “Andra filen”\./);
    assert.equal((await other.api('PATCH', `/api/imports/mappings/${id}`, { name: 'X' })).statusCode, 403);
    assert.equal((await other.api('DELETE', `/api/imports/mappings/${id}`)).statusCode, 403);
    assert.equal((await anon.api('DELETE', `/api/imports/mappings/${id}`)).statusCode, 401);
    assert.equal((await owner.api('PATCH', `/api/imports/mappings/${id}`, { name: '' })).statusCode, 422);
    assert.equal((await owner.api('PATCH', '/api/imports/mappings/nope', { name: 'X' })).statusCode, 404);
    assert.deepEqual(await snapshot(t.db, MTABLES), before);
  });

  it('does not let another importer overwrite a mapping by saving one under its name', async () => {
    const other = await t.agent('other-editor@example.org');
    const up = await other.postMultipart('/imports', { format: 'long' }, [{ name: 'file', filename: 'o.csv', content: Buffer.from('Indikator,Kommun,År,Värde\ndemo-renewable-share,se-0765,2024,81.5\n') }]);
    const url = up.headers.location as string;
    const [mine] = await t.db.query<{ name: string; mapping: unknown }>('SELECT name, mapping FROM ind_mappings WHERE id = $1', [id]);
    const before = await snapshot(t.db, MTABLES);
    const res = await other.postForm(url, { 'col:Indikator': 'ignore', 'col:Kommun': 'area', 'col:År': 'period', 'col:Värde': 'value', indicator: 'demo-ghg-per-capita', saveAs: mine!.name, action: 'check' });
    assert.equal(res.statusCode, 409, res.body.slice(0, 300));
    // The upload's form again, as it was sent, with the reason beside the name and in the summary.
    assert.match(res.body, /<p class="ds-validation-message" id="f-saveAs-err"[^>]*>Another long mapping is called/);
    assert.match(res.body, /href="#f-saveAs"/);
    assert.match(res.body, /id="f-saveAs"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-saveAs"/);
    assert.match(res.body, /name="col:Indikator"[\s\S]*?<option value="ignore" selected/);
    assert.match(res.body, /name="indicator" value="demo-ghg-per-capita"/);
    assert.deepEqual(await snapshot(t.db, MTABLES), before);
    // The owner may still save over their own mapping.
    const ownUp = await (await t.agent('editor@example.org')).postMultipart('/imports', { format: 'long' }, [{ name: 'file', filename: 'k.csv', content: Buffer.from('Indikator,Kommun,År,Värde\ndemo-renewable-share,se-0765,2024,81.5\n') }]);
    const again = await (await t.agent('editor@example.org')).postForm(ownUp.headers.location as string, { 'col:Indikator': 'indicator', 'col:Kommun': 'area', 'col:År': 'period', 'col:Värde': 'value', saveAs: mine!.name, action: 'check' });
    assert.equal(again.statusCode, 303);
  });

  it('lets the owner rename and a platform admin delete, in the browser and through the API', async () => {
    const owner = await t.agent('editor@example.org');
    const renamed = await owner.postForm(`/imports/mappings/${id}/rename`, { name: 'Kommunfil 2024' });
    assert.equal(renamed.statusCode, 303);
    assert.match((await owner.get(renamed.headers.location as string)).body, /The mapping was renamed\.[\s\S]*Kommunfil 2024/);
    const api = await owner.api('PATCH', `/api/imports/mappings/${id}`, { name: 'Kommunfil (KPI)' });
    assert.equal(api.statusCode, 200);
    assert.equal(api.json().name, 'Kommunfil (KPI)');
    assert.deepEqual((await owner.api('GET', '/api/imports/mappings')).json().items.map((m: { name: string }) => m.name), ['Andra filen', 'Kommunfil (KPI)']);
    const admin = await t.agent('admin@example.org');
    assert.equal((await admin.api('DELETE', `/api/imports/mappings/${id}`)).statusCode, 204);
    assert.equal((await admin.api('DELETE', `/api/imports/mappings/${id}`)).statusCode, 404);
    const [other] = await t.db.query<{ id: string }>(`SELECT id FROM ind_mappings WHERE name = 'Andra filen'`);
    const del = await owner.postForm(`/imports/mappings/${other!.id}/delete`);
    assert.equal(del.statusCode, 303);
    assert.equal(await countRows(t.db, 'ind_mappings'), 0);
  });

  it('a mapping step with its fields sent twice takes the first value of each, not a server error', async () => {
    const owner = await t.agent('editor@example.org');
    const up = await owner.postMultipart('/imports', { format: 'long' }, [{ name: 'file', filename: 'k.csv', content: Buffer.from('Indikator,Kommun,År,Värde\ndemo-renewable-share,se-0765,2024,81.5\n') }]);
    const body = new URLSearchParams({ 'col:Indikator': 'indicator', 'col:Kommun': 'area', 'col:År': 'period', 'col:Värde': 'value', action: 'check', _csrf: owner.csrf });
    body.append('saveAs', 'Två gånger');
    body.append('saveAs', 'Andra namnet');
    body.append('indicator', 'demo-renewable-share');
    body.append('indicator', 'demo-ghg-per-capita');
    const res = await t.app.inject({ method: 'POST', url: up.headers.location as string, headers: { cookie: [...owner.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
    assert.equal(res.statusCode, 303, res.body);
    assert.deepEqual(await t.db.query(`SELECT name FROM ind_mappings WHERE name IN ('Två gånger', 'Andra namnet')`), [{ name: 'Två gånger' }]);
  });
});

describe('indicators write routes', () => {
  it('are each covered by the rejection tests (401, 403, CSRF, 422, nothing changed)', () => {
    // routes.test.ts covers the observation imports; this file the reference imports and the crosswalk.
    const covered = new Set([
      'POST /imports',
      'POST /imports/uploads/:id',
      'POST /api/imports',
      'POST /imports/reference',
      'POST /api/reference-imports',
      'POST /indicators/:code/sdg-targets',
      'PUT /api/indicators/:code/sdg-targets',
      'POST /imports/mappings/:id/rename',
      'POST /imports/mappings/:id/delete',
      'PATCH /api/imports/mappings/:id',
      'DELETE /api/imports/mappings/:id',
      // headline-labels.test.ts: the headline series, by API and page.
      'PUT /api/indicators/:code/headline',
      'POST /indicators/:code/headline',
    ]);
    const routes = t.app.writeRoutes.filter((r) => /^\/(imports|indicators|areas|compare|api\/(imports|reference-imports|indicators|areas|area-groups|frameworks|compare|export))/.test(r.url)).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(routes.filter((r) => !covered.has(r)), []);
    assert.deepEqual([...covered].filter((r) => !routes.includes(r)), []);
  });
});
