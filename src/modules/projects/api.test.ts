import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, snapshot, type Agent, type TestApp } from '../../../test/helpers.js';
import { directory } from '../directory/index.js';

let t: TestApp;
let owner: Agent; // editor of Växjö
let partnerEditor: Agent; // editor of Alvesta... (Vänersborg in the demo), a partner without editing
let outsider: Agent; // editor of Herning
let admin: Agent;
let anon: Agent;
const id = async (slug: string) => (await directory.getOrganisation(t.db.orm, slug)).id;
const TABLES = ['projects', 'project_partners', 'project_milestones', 'project_sdg_targets', 'project_indicators', 'project_links', 'project_documents', 'project_funding_sources', 'project_funding_amounts', 'project_exchange_rates', 'search_documents', 'audit_events'];

let body: Record<string, unknown>;

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'owner@example.org', roles: { 'vaxjo-kommun': 'editor' } });
  await t.makeUser({ email: 'partner@example.org', roles: { 'vanersborgs-kommun': 'editor' } });
  await t.makeUser({ email: 'outsider@example.org', roles: { 'herning-kommune': 'editor' } });
  await t.makeUser({ email: 'admin@example.org', admin: true });
  owner = await t.agent('owner@example.org');
  partnerEditor = await t.agent('partner@example.org');
  outsider = await t.agent('outsider@example.org');
  admin = await t.agent('admin@example.org');
  anon = await t.agent();
  body = {
    name: 'Testprojekt i Kronoberg', acronym: 'TPK', lang: 'sv', description: 'Ett projekt.', objectives: 'Mål.', targetGroup: 'Nyanlända.',
    ownerOrgId: await id('vaxjo-kommun'), state: 'running', startDate: '2020-08-03', endDate: '2022-12-31',
    partners: [
      { organisationId: await id('vanersborgs-kommun'), role: 'partner', startDate: '2020-08-03', endDate: '2021-01-31' },
      { organisationId: await id('energimyndigheten'), role: 'co_financer' },
    ],
    milestones: [
      { kind: 'phase', title: 'Deltagararbete', startDate: '2021-02-01', dueDate: '2022-10-31' },
      { kind: 'deadline', title: 'Slutrapport', dueDate: '2022-12-31' },
    ],
    sdgTargets: ['8.5', '10.2'],
    links: [{ title: 'Projektsida', url: 'https://example.org/tpk' }],
    funding: [
      { funderOrgId: await id('energimyndigheten'), programme: 'Programmet', grantReference: 'EM-1', amounts: [{ year: 2021, currency: 'SEK', amount: '1000000' }, { year: 2022, currency: 'SEK', amount: 500000.5 }] },
      { funderOrgId: await id('trafikverket'), amounts: [{ year: 2021, currency: 'EUR', amount: '20000' }] },
    ],
  };
});
after(() => t.close());

describe('projects API', () => {
  test('an owner editor creates a project; totals stay per currency', async () => {
    const res = await owner.api('POST', '/api/projects', body);
    assert.equal(res.statusCode, 201, res.body);
    const p = res.json();
    assert.equal(p.slug, 'tpk');
    assert.deepEqual(p.total, [{ currency: 'EUR', amountMinor: 2000000, amount: '20000.00' }, { currency: 'SEK', amountMinor: 150000050, amount: '1500000.50' }]);
    assert.deepEqual(p.totalsByYear.map((y: any) => [y.year, y.amounts.map((a: any) => `${a.amount} ${a.currency}`)]), [[2021, ['20000.00 EUR', '1000000.00 SEK']], [2022, ['500000.50 SEK']]]);
    assert.equal(p.partners.length, 2);
    const list = await anon.api('GET', '/api/projects?partner=vanersborgs-kommun');
    assert.deepEqual(list.json().items.map((x: any) => x.slug), ['tpk']);
    assert.deepEqual((await anon.api('GET', '/api/projects?funder=trafikverket&sdg=10')).json().items.map((x: any) => x.slug), ['tpk']);
    assert.deepEqual((await anon.api('GET', '/api/projects?funder=trafikverket&year=2021&country=SE&state=running')).json().items.map((x: any) => x.slug), ['tpk']);
    assert.deepEqual((await anon.api('GET', '/api/projects?year=2019&funder=trafikverket')).json().items, []);
    assert.deepEqual((await anon.api('GET', '/api/projects?country=DK&funder=trafikverket')).json().items, []);
  });

  test('bad input is a 422 naming the field, and nothing is written', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ endDate: '2019-01-01' }, 'endDate'],
      // No year 0000: PostgreSQL refuses it, so it must be a 422 here, not a server error.
      [{ startDate: '0000-01-01' }, 'startDate'],
      [{ partners: [{ organisationId: (body.partners as any)[0].organisationId, role: 'partner', startDate: '2019-01-01' }] }, 'partners.0.startDate'],
      [{ partners: [{ organisationId: (body.partners as any)[0].organisationId, role: 'partner', endDate: '2023-01-01' }] }, 'partners.0.endDate'],
      [{ funding: [{ funderOrgId: (body.funding as any)[0].funderOrgId, amounts: [{ year: 2021, currency: 'SEK', amount: '-5' }] }] }, 'funding.0.amounts.0.amount'],
      [{ funding: [{ funderOrgId: (body.funding as any)[0].funderOrgId, amounts: [{ year: 2021, currency: 'SEK', amount: 'tusen' }] }] }, 'funding.0.amounts.0.amount'],
      [{ funding: [{ funderOrgId: (body.funding as any)[0].funderOrgId, amounts: [{ year: 2021, currency: 'SEK', amount: 1.005 }] }] }, 'funding.0.amounts.0.amount'],
      [{ funding: [{ funderOrgId: (body.funding as any)[0].funderOrgId, amounts: [{ year: 2021, currency: 'USD', amount: '5' }] }] }, 'funding.0.amounts.0.currency'],
      [{ funding: [{ funderOrgId: '00000000-0000-4000-8000-000000000000', amounts: [] }] }, 'funding.0.funderOrgId'],
      [{ ownerOrgId: '00000000-0000-4000-8000-000000000000' }, 'ownerOrgId'],
      [{ sdgTargets: ['18.1'] }, 'sdgTargets.0'],
      [{ links: [{ title: 'x', url: 'javascript:alert(1)' }] }, 'links.0.url'],
      [{ indicators: ['no-such-indicator'] }, 'indicators.0'],
    ];
    for (const [patch, field] of cases) {
      const before = await snapshot(t.db, TABLES);
      const res = await owner.api('POST', '/api/projects', { ...body, name: 'Annat', slug: 'annat', ...patch });
      assert.equal(res.statusCode, 422, `${field}: ${res.body}`);
      assert.ok(res.json().errors.some((e: any) => e.field === field), `${field}: ${res.body}`);
      assert.deepEqual(await snapshot(t.db, TABLES), before, field);
    }
  });

  test('partners see but cannot edit unless given editing; outsiders cannot edit', async () => {
    const put = { ...body, name: 'Nytt namn' };
    assert.equal((await partnerEditor.api('PUT', '/api/projects/tpk', put)).statusCode, 403);
    assert.equal((await outsider.api('PUT', '/api/projects/tpk', put)).statusCode, 403);
    const withEdit = { ...body, partners: [{ ...(body.partners as any)[0], canEdit: true }, (body.partners as any)[1]] };
    assert.equal((await owner.api('PUT', '/api/projects/tpk', withEdit)).statusCode, 200);
    const res = await partnerEditor.api('PUT', '/api/projects/tpk', { ...withEdit, name: 'Nytt namn' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().name, 'Nytt namn');
    // Editing is not owning: the partner cannot hand the project to itself.
    const steal = await partnerEditor.api('PUT', '/api/projects/tpk', { ...withEdit, ownerOrgId: await id('vanersborgs-kommun') });
    assert.equal(steal.statusCode, 403, steal.body);
  });

  test('a partners-only project is hidden from outsiders and shown to partners', async () => {
    const res = await owner.api('POST', '/api/projects', { ...body, name: 'Internt', slug: 'internt', acronym: null, visibility: 'partners' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal((await anon.api('GET', '/api/projects/internt')).statusCode, 404);
    assert.equal((await outsider.api('GET', '/api/projects/internt')).statusCode, 404);
    assert.equal((await partnerEditor.api('GET', '/api/projects/internt')).statusCode, 200);
    assert.ok(!(await anon.api('GET', '/api/projects')).json().items.some((x: any) => x.slug === 'internt'));
    const [doc] = await t.db.query<{ restricted_to_org: string }>(`SELECT restricted_to_org FROM search_documents WHERE doc_type = 'project' AND url = '/projects/internt'`);
    assert.equal(doc?.restricted_to_org, await id('vaxjo-kommun'));
    assert.equal((await owner.api('DELETE', '/api/projects/internt')).statusCode, 204);
    assert.equal((await t.db.query(`SELECT 1 FROM search_documents WHERE url = '/projects/internt'`)).length, 0);
  });

  test('funding converts only with a network’s rates, and says so', async () => {
    const net = 'union-of-the-baltic-cities';
    assert.equal((await outsider.api('PUT', `/api/projects/networks/${net}/rates`, { rates: [] })).statusCode, 403);
    assert.equal((await admin.api('PUT', `/api/projects/networks/${net}/rates`, { rates: [{ year: 2021, from: 'EUR', to: 'SEK', rate: '10.5' }] })).statusCode, 200);
    const f = (await anon.api('GET', `/api/projects/tpk/funding?network=${net}&currency=SEK`)).json();
    const y2021 = f.byYear.find((y: any) => y.year === 2021);
    assert.equal(y2021.converted.amount, '1210000.00'); // 1 000 000 SEK + 20 000 EUR × 10.5
    assert.equal(y2021.converted.converted, true);
    const eur = (await anon.api('GET', `/api/projects/tpk/funding?network=${net}&currency=EUR`)).json();
    assert.deepEqual(eur.convertedTotal.missingRates, [{ year: 2021, currency: 'SEK' }, { year: 2022, currency: 'SEK' }]);
    const ov = (await anon.api('GET', `/api/projects/networks/${net}/overview?currency=SEK`)).json();
    assert.ok(ov.projects.some((p: any) => p.slug === 'tpk'));
    assert.ok(ov.byFunderAndYear.some((c: any) => c.funder === 'Trafikverket' && c.converted && c.amount === '210000.00'));
  });

  test('indicators are linked by their code through the indicators module', async () => {
    const list = (await anon.api('GET', '/api/indicators')).json();
    const code = (list.items ?? list)[0].code as string;
    const res = await owner.api('PUT', '/api/projects/tpk', { ...body, name: 'Nytt namn', indicators: [code] });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().indicators, [code]);
    assert.ok((await anon.get('/projects/tpk')).body.includes(`/indicators/${encodeURIComponent(code)}`));
  });

  test('broken bodies and forms are refused with a field, never a 500, and change nothing', async () => {
    const before = await snapshot(t.db, TABLES);
    const bodies: unknown[] = [{}, [], 'x', null, { ...body, partners: 'x' }, { ...body, partners: [null] }, { ...body, funding: [{ amounts: 'x' }] },
      { ...body, funding: [{ funderOrgId: (body.funding as any)[0].funderOrgId, amounts: [{ year: 'next', currency: 'SEK', amount: '1' }] }] },
      { ...body, milestones: [{ kind: 'deadline', title: 'x', dueDate: '2022-02-30' }] }, { ...body, sdgTargets: 42 }, { ...body, name: 'x'.repeat(400) }];
    for (const b of bodies) {
      const res = await owner.api('POST', '/api/projects', b);
      assert.ok(res.statusCode === 422 || res.statusCode === 400, `${JSON.stringify(b)?.slice(0, 80)}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    for (const form of [{ 'partners.0': 'x' }, { 'partners.0.__proto__.x': 'y', name: 'x' }, { 'funding.0.amountsText': 'nonsense\n2021', name: 'x' }, { 'milestones.99999.title': 'x' }, { name: '' }]) {
      const res = await owner.postForm('/projects', form);
      assert.equal(res.statusCode, 422, `${JSON.stringify(form)}: ${res.statusCode}`);
      // The form shown again has the rows a person could have sent, not one per index a request
      // names (`milestones.99999` once made a 422 page of 100,000 rows).
      assert.ok(res.body.length < 500_000, `${JSON.stringify(form)}: a ${res.body.length}-character page`);
    }
    assert.deepEqual(await snapshot(t.db, TABLES), before);
  });

  test('the OpenAPI document lists the project routes', async () => {
    const doc = (await anon.get('/api/openapi.json')).json();
    assert.ok(doc.paths['/api/projects']);
    assert.ok(doc.paths['/api/projects/{id}'].put);
  });
});
