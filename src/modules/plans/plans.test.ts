import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTestApp, snapshot, type Agent, type TestApp } from '../../../test/helpers.js';
import { directory } from '../directory/index.js';

let t: TestApp;
let editor: Agent; // editor of Hurdal kommune
let outsider: Agent; // editor of Herning Kommune: signed in, but not Hurdal's
let admin: Agent;
let anon: Agent;
let hurdal: string;
let roadmapId: string;
let hurdalPlanId: string;
let herningPlanId: string;
let item139: string;

export const PLAN_TABLES = [
  'plan_priorities', 'plan_priority_actors', 'plan_plans', 'plan_actions', 'plan_status_updates', 'plan_followups', 'ch_challenges', 'ch_responses',
  'search_documents', 'audit_events', 'organisations',
];
const snap = () => snapshot(t.db, PLAN_TABLES);

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'hurdal@example.org', roles: { 'hurdal-kommune': 'editor' } });
  await t.makeUser({ email: 'herning@example.org', roles: { 'herning-kommune': 'editor' } });
  await t.makeUser({ email: 'admin@example.org', admin: true });
  editor = await t.agent('hurdal@example.org');
  outsider = await t.agent('herning@example.org');
  admin = await t.agent('admin@example.org');
  anon = await t.agent();
  hurdal = (await directory.getOrganisation(t.db.orm, 'hurdal-kommune')).id;
  const all = (await anon.api('GET', '/api/plans')).json().items as { id: string; title: string; organisationId: string; adoptedItemId: string | null }[];
  roadmapId = all.find((p) => p.title.startsWith('Regionalt veikart'))!.id;
  hurdalPlanId = all.find((p) => p.organisationId === hurdal)!.id;
  const herning = all.find((p) => p.title === 'Bæredygtighedscenter i Herning')!;
  herningPlanId = herning.id;
  item139 = herning.adoptedItemId!;
});
after(() => t.close());

describe('demo data and reading', () => {
  test('Herning’s plan was adopted under item 139, and its first action lists the meeting where it was discussed', async () => {
    assert.ok(item139, 'the plan names the agenda item');
    const page = await anon.get(`/plans/${herningPlanId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /139\. Orientering om den politiske følgegruppes arbejde/);
    const plan = (await anon.api('GET', `/api/plans/${herningPlanId}`)).json();
    assert.deepEqual(plan.actions.map((a: any) => a.identifier), ['BC-1', 'BC-2', 'BC-3', 'BC-4']);
    const bc3 = plan.actions.find((a: any) => a.identifier === 'BC-3');
    assert.equal(bc3.status.status, 'postponed');
    assert.equal(bc3.status.manual, true);
    const bc1 = (await anon.api('GET', `/api/actions/${plan.actions[0].id}`)).json();
    assert.equal(bc1.followups.length, 1);
    const actionPage = await anon.get(`/actions/${plan.actions[0].id}`);
    assert.match(actionPage.body, /Økonomi- og Erhvervsudvalget, møde 27\. april 2020/);
    // The measured change for Herning's area, next to the expected direction.
    assert.ok(bc1.indicatorChanges.length === 2 && bc1.indicatorChanges.every((c: any) => c.change !== null));
    assert.match(actionPage.body, /Measured change since the action started/);
  });

  test('the regional roadmap rolls up its member plans: counts by SDG goal, status and municipality, with budget totals', async () => {
    const ru = (await anon.api('GET', `/api/plans/${roadmapId}/rollup`)).json();
    assert.equal(ru.plans.length, 3);
    assert.equal(ru.total.count, 3);
    assert.equal(ru.total.budget.NOK, 1_200_000 + 1_500_000 + 800_000 + 600_000 + 600_000);
    const goal = Object.fromEntries(ru.byGoal.map((g: any) => [g.goal, g.tally.count]));
    assert.deepEqual(goal, { '7': 2, '11': 1, '12': 1, '13': 1 });
    const byOrg = Object.fromEntries(ru.byOrganisation.map((o: any) => [o.organisation.slug, [o.tally.count, o.tally.budget.NOK]]));
    assert.deepEqual(byOrg, { 'hurdal-kommune': [2, 3_500_000], 'indre-ostfold-kommune': [1, 1_200_000] });
    assert.equal(ru.byStatus.reduce((s: number, x: any) => s + x.tally.count, 0), 3);
    const page = await anon.get(`/plans/${roadmapId}`);
    assert.match(page.body, /Roadmap roll-up/);
    assert.match(page.body, /3 actions from 3 plans/);
    // Each roll-up row is labelled by a row header (the goal, the status or the organisation), not a plain cell.
    const tables = [...page.body.matchAll(/<caption>(By SDG goal|By status|By organisation)<\/caption>[\s\S]*?<\/table>/g)];
    assert.equal(tables.length, 3);
    for (const [table, caption] of tables.map((m) => [m[0], m[1]])) {
      const rows = [...table!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1);
      assert.ok(rows.length > 0, caption);
      for (const r of rows) assert.match(r[1]!, /^<th scope="row"/, `${caption}: ${r[1]}`);
    }
    assert.match(page.body, /<th scope="row" data-label="By organisation"><a class="ds-link" href="\/organisations\/hurdal-kommune">/);
  });

  test('the cohort page shows its members’ priorities side by side', async () => {
    const res = await anon.get('/organisations/baerekraftsloftet-kull-1-viken/priorities');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Members’ priorities side by side/);
    // The indicators table names each indicator in a row header.
    const indicators = /<caption>Indicators<\/caption>[\s\S]*?<\/table>/.exec(res.body)?.[0] ?? '';
    const rows = [...indicators.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1);
    assert.ok(rows.length > 0, 'indicator rows');
    for (const r of rows) assert.match(r[1]!, /^<th scope="row" data-label="Indicators"><a class="ds-link" href="\/indicators\//, r[1]);
    for (const s of ['Klima og energi', 'Sirkulær økonomi og avfall', 'Hurdal kommune', 'Indre Østfold kommune']) assert.ok(res.body.includes(s), s);
    const api = (await anon.api('GET', '/api/organisations/baerekraftsloftet-kull-1-viken/cohort-priorities')).json();
    assert.deepEqual(api.goals, ['7', '11', '12', '13']);
    assert.equal(api.members.length, 2);
  });

  test('the OpenAPI document lists the plans API', async () => {
    const doc = (await anon.api('GET', '/api/openapi.json')).json();
    for (const p of ['/api/plans', '/api/plans/{id}', '/api/plans/{id}/rollup', '/api/actions/{id}', '/api/priorities', '/api/priorities/{id}', '/api/followups', '/api/challenges', '/api/challenges/{id}'])
      assert.ok(doc.paths[p], p);
  });
});

describe('bad input is refused with the field named, and nothing changes', () => {
  const action = () => ({ identifier: 'T-1', title: 'Test', primaryOrgId: hurdal, startDate: '2025-01-01', endDate: '2025-12-31' });
  test('dates in the wrong order, a budget that is not a number, an unknown indicator or organisation', async () => {
    const before = await snap();
    const cases: [unknown, string][] = [
      [{ ...action(), endDate: '2024-12-31' }, 'endDate'],
      [{ ...action(), currency: 'NOK', budget: [{ year: 2025, amount: 'a lot' }] }, 'budget.0.amount'],
      [{ ...action(), currency: 'NOK', budget: '2025 | lots' }, 'budget.0.amount'],
      [{ ...action(), indicators: [{ code: 'no-such-indicator', direction: 'increase' }] }, 'indicators.0.code'],
      [{ ...action(), primaryOrgId: '00000000-0000-4000-8000-000000000000' }, 'primaryOrgId'],
      [{ ...action(), collaboratorIds: ['00000000-0000-4000-8000-000000000000'] }, 'collaboratorIds.0'],
      [{ ...action(), sdgTargets: ['13.99'] }, 'sdgTargets.0'],
      [{ ...action(), manualStatus: 'late' }, 'manualReason'],
      [{ ...action(), milestones: [{ title: 'x', due: '2024-02-30' }] }, 'milestones.0.due'],
    ];
    for (const [body, field] of cases) {
      const res = await editor.api('POST', `/api/plans/${hurdalPlanId}/actions`, body);
      assert.equal(res.statusCode, 422, `${field}: ${res.body}`);
      assert.ok(res.json().errors.some((e: any) => e.field === field), `${field} named in ${res.body}`);
    }
    const plan = await editor.api('POST', '/api/plans', { organisationId: hurdal, title: 'X', periodStart: '2026-01-01', periodEnd: '2025-01-01' });
    assert.equal(plan.json().errors[0].field, 'periodEnd');
    const prio = await editor.api('POST', '/api/priorities', { organisationId: hurdal, title: 'X', indicatorCodes: ['demo-ghg-per-capita', 'nope'] });
    assert.equal(prio.json().errors[0].field, 'indicatorCodes.1');
    const form = await editor.postForm(`/plans/${hurdalPlanId}/actions`, { identifier: 'F-1', title: 'Form', primaryOrgId: hurdal, startDate: '2025-05-01', endDate: '2025-01-01' });
    assert.equal(form.statusCode, 422);
    assert.ok(form.body.includes('value="Form"'), 'typed input kept');
    assert.match(form.body, /The end date is before the start date/);
    const form2 = await editor.postForm(`/plans/${hurdalPlanId}/actions`, { identifier: 'F-1', title: 'Form', primaryOrgId: hurdal, currency: 'NOK', budget: '2025 | mange' });
    assert.equal(form2.statusCode, 422);
    assert.match(form2.body, /The amount must be a number/);
    assert.ok(form2.body.includes('2025 | mange'), 'the budget lines typed are kept');
    assert.deepEqual(await snap(), before);
  });
});

describe('drafts are seen only by their owner', () => {
  test('a draft plan and its actions, and a draft priority, appear nowhere for others', async () => {
    const plan = await editor.api('POST', '/api/plans', { organisationId: hurdal, title: 'Hemmelig utkast til plan', state: 'draft' });
    assert.equal(plan.statusCode, 201);
    const act = await editor.api('POST', `/api/plans/${plan.json().id}/actions`, { identifier: 'D-1', title: 'Hemmelig utkast til tiltak', primaryOrgId: hurdal });
    assert.equal(act.statusCode, 201);
    const prio = await editor.api('POST', '/api/priorities', { organisationId: hurdal, title: 'Hemmelig utkast til prioritering', state: 'draft' });
    assert.equal(prio.statusCode, 201);
    const secrets = ['Hemmelig utkast'];
    const urls = ['/plans', '/api/plans', `/plans/${plan.json().id}`, `/api/plans/${plan.json().id}`, `/actions/${act.json().id}`, `/api/actions/${act.json().id}`,
      `/api/priorities/${prio.json().id}`, '/api/priorities', '/organisations/hurdal-kommune', '/organisations/hurdal-kommune/priorities', '/organisations/hurdal-kommune/history', `/api/organisations/${hurdal}/history`, '/organisations/baerekraftsloftet-kull-1-viken/priorities',
      `/plans/${plan.json().id}/actions.csv`, `/api/organisations/baerekraftsloftet-kull-1-viken/cohort-priorities`, `/api/plans/${roadmapId}/rollup`, '/search?q=Hemmelig'];
    for (const who of [anon, outsider]) {
      for (const u of urls) {
        const res = await who.get(u);
        assert.ok(!secrets.some((s) => res.body.includes(s)), `${u} leaks a draft`);
      }
    }
    for (const u of [`/plans/${plan.json().id}`, `/api/actions/${act.json().id}`, `/api/priorities/${prio.json().id}`]) assert.equal((await outsider.get(u)).statusCode, 404, u);
    const idx = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM search_documents WHERE title LIKE '%Hemmelig%' OR body LIKE '%Hemmelig%'`);
    assert.equal(idx[0]!.n, 0, 'drafts are not in the search index');
    assert.ok((await editor.get(`/plans/${plan.json().id}`)).body.includes('Hemmelig utkast til plan'), 'the owner sees it');
    // Adopting the plan makes it and its action public and searchable.
    const adopt = await editor.api('PUT', `/api/plans/${plan.json().id}`, { organisationId: hurdal, title: 'Vedtatt plan', state: 'adopted' });
    assert.equal(adopt.statusCode, 200);
    const found = await t.db.query<{ doc_type: string }>(`SELECT doc_type FROM search_documents WHERE doc_id IN ($1, $2) ORDER BY doc_type`, [plan.json().id, act.json().id]);
    assert.deepEqual(found.map((f) => f.doc_type), ['action', 'plan']);
  });
});

describe('follow-up items from meetings', () => {
  test('an editor of the meeting’s organiser records a follow-up on the action page; the action lists the meeting', async () => {
    const plan = (await anon.api('GET', `/api/plans/${herningPlanId}`)).json();
    const bc2 = plan.actions.find((a: any) => a.identifier === 'BC-2').id;
    const page = await outsider.get(`/actions/${bc2}`);
    assert.match(page.body, /Record a follow-up item from a meeting/);
    assert.ok(!(await anon.get(`/actions/${bc2}`)).body.includes('Record a follow-up item'), 'not offered to others');
    const bad = await outsider.postForm(`/actions/${bc2}/followups`, { agendaItemId: item139, what: '', dueDate: '2020-02-30' });
    assert.equal(bad.statusCode, 422);
    const ok = await outsider.postForm(`/actions/${bc2}/followups`, { agendaItemId: item139, what: 'Status på uddannelsesfeltet', who: 'Følgegruppen', dueDate: '2020-09-30', state: 'open' });
    assert.equal(ok.statusCode, 303);
    const after = await anon.get(`/actions/${bc2}`);
    assert.match(after.body, /Status på uddannelsesfeltet/);
    assert.match(after.body, /Økonomi- og Erhvervsudvalget, møde 27\. april 2020, 139/);
    const list = (await anon.api('GET', `/api/followups?meeting=${plan.adoptedMeetingId}`)).json();
    assert.ok(list.items.some((f: any) => f.what === 'Status på uddannelsesfeltet'));
  });

  test('pages in the reader’s language', async () => {
    const sv = await anon.get('/plans', { cookie: 'samverka_lang=sv' });
    assert.match(sv.body, /<h1[^>]*>Planer<\/h1>/);
    const nb = await anon.get(`/plans/${roadmapId}`, { cookie: 'samverka_lang=nb' });
    assert.match(nb.body, /Samlet veikart/);
    const da = await anon.get(`/plans/${herningPlanId}`, { cookie: 'samverka_lang=da' });
    assert.match(da.body, /Indsatser/);
  });
});

describe('actions import and export', () => {
  test('CSV and XLSX round trip; a file with bad rows is refused with row and reason, and nothing changes', async () => {
    const csv = await anon.get(`/plans/${hurdalPlanId}/actions.csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(csv.body, /^\ufeffidentifier,title/);
    assert.match(csv.body, /H-1,Energieffektivisering i kommunale bygg/);
    const xlsx = await anon.get(`/plans/${hurdalPlanId}/actions.xlsx`);
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');

    const before = await snap();
    const bad = [
      'identifier,title,primary_organisation,start,end,budget,currency,indicators',
      'N-1,Nytt tiltak,hurdal-kommune,2025-01-01,2025-12-31,2025 | 1000,NOK,',
      'N-2,Feil datoer,hurdal-kommune,2025-06-01,2025-01-01,,,',
      'N-3,Ukjent organisasjon,no-such-org,,,,,',
      'N-4,Ukjent indikator,hurdal-kommune,,,,,no-such | increase',
      'N-5,Budsjett,hurdal-kommune,,,2025 | mye,NOK,',
    ].join('\n');
    const res = await editor.api('POST', `/api/plans/${hurdalPlanId}/actions/import`, { format: 'csv', content: Buffer.from(bad).toString('base64') });
    assert.equal(res.statusCode, 422, res.body);
    const fields = res.json().errors.map((e: any) => e.field);
    assert.deepEqual(fields, ['rows.3.end', 'rows.4.primary_organisation', 'rows.5.indicators', 'rows.6.budget']);
    assert.deepEqual(await snap(), before, 'all or nothing');
    const page = await editor.postMultipart(`/plans/${hurdalPlanId}/actions/import`, {}, [{ name: 'file', filename: 'actions.csv', content: Buffer.from(bad) }]);
    assert.equal(page.statusCode, 422);
    assert.match(page.body, /No organisation “no-such-org” in the directory/);
    assert.deepEqual(await snap(), before);

    // The exported XLSX imports again (updating the same actions), and a good CSV adds one.
    const again = await editor.api('POST', `/api/plans/${hurdalPlanId}/actions/import`, { format: 'xlsx', content: xlsx.rawPayload.toString('base64') });
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(again.json(), { created: 0, updated: 2 });
    const good = ['identifier,title,primary_organisation,start,end,budget,currency,sdg_targets', 'N-1,Nytt tiltak,hurdal-kommune,2025-01-01,2025-12-31,2025 | 1000,NOK,"13.2, 7.2"'].join('\n');
    const ok = await editor.postMultipart(`/plans/${hurdalPlanId}/actions/import`, {}, [{ name: 'file', filename: 'a.csv', content: Buffer.from(good) }]);
    assert.equal(ok.statusCode, 303);
    const plan = (await anon.api('GET', `/api/plans/${hurdalPlanId}`)).json();
    assert.deepEqual(plan.actions.map((a: any) => a.identifier), ['H-1', 'H-2', 'N-1']);
    assert.deepEqual(plan.actions[2].sdgTargets, ['13.2', '7.2']);
  });

  test('exported cells that look like formulas are defused', async () => {
    const res = await editor.api('POST', `/api/plans/${hurdalPlanId}/actions`, { identifier: 'X-1', title: '=HYPERLINK("http://evil")', primaryOrgId: hurdal });
    assert.equal(res.statusCode, 201);
    const csv = await anon.get(`/plans/${hurdalPlanId}/actions.csv`);
    assert.ok(csv.body.includes(`"'=HYPERLINK(""http://evil"")"`));
  });
});

/**
 * Every write route of the plans API: anonymous → 401, no CSRF → 403, an editor of another
 * organisation → 403, bad body → 422 naming a field, unknown id → 404; none of it changes
 * anything, and the allowed request then does.
 */
describe('every write route rejects bad requests and changes nothing', () => {
  type Case = { route: string; method: 'POST' | 'PUT' | 'PATCH'; url: () => Promise<string>; body: () => Promise<unknown>; bad: unknown; missing?: string; as?: () => Agent; out?: () => Agent };
  const actionId = async () => (await anon.api('GET', `/api/plans/${hurdalPlanId}`)).json().actions[0].id as string;
  const priorityId = async () => (await anon.api('GET', '/api/priorities?organisation=hurdal-kommune')).json().items[0].id as string;
  const MISSING = '00000000-0000-4000-8000-000000000000';
  const cases: Case[] = [
    { route: 'POST /api/priorities', method: 'POST', url: async () => '/api/priorities', body: async () => ({ organisationId: hurdal, title: 'Ny prioritering', sdgGoals: ['3'], state: 'published' }), bad: { organisationId: hurdal, title: '', sdgGoals: ['18'] } },
    { route: 'PUT /api/priorities/:id', method: 'PUT', url: async () => `/api/priorities/${await priorityId()}`, body: async () => ({ organisationId: hurdal, title: 'Klima og energi', sdgGoals: ['13'], state: 'published' }), bad: { organisationId: hurdal, title: 'x', sdgTargets: ['nope'] }, missing: `/api/priorities/${MISSING}` },
    { route: 'POST /api/plans', method: 'POST', url: async () => '/api/plans', body: async () => ({ organisationId: hurdal, title: 'Ny plan', state: 'adopted' }), bad: { organisationId: hurdal, title: 'x', state: 'approved' } },
    { route: 'PUT /api/plans/:id', method: 'PUT', url: async () => `/api/plans/${hurdalPlanId}`, body: async () => ({ organisationId: hurdal, title: 'Hurdal kommune – tiltak', state: 'adopted', parentId: roadmapId }), bad: { organisationId: hurdal, title: 'x', parentId: 'nope' }, missing: `/api/plans/${MISSING}` },
    { route: 'POST /api/plans/:id/actions', method: 'POST', url: async () => `/api/plans/${hurdalPlanId}/actions`, body: async () => ({ identifier: 'M-1', title: 'Matrisetiltak', primaryOrgId: hurdal }), bad: { identifier: '', title: 'x', primaryOrgId: hurdal }, missing: `/api/plans/${MISSING}/actions` },
    { route: 'POST /api/plans/:id/actions/import', method: 'POST', url: async () => `/api/plans/${hurdalPlanId}/actions/import`, body: async () => ({ format: 'csv', content: Buffer.from('identifier,title,primary_organisation\nI-1,Importert,hurdal-kommune\n').toString('base64') }), bad: { format: 'pdf', content: '' }, missing: `/api/plans/${MISSING}/actions/import` },
    { route: 'PUT /api/actions/:id', method: 'PUT', url: async () => `/api/actions/${await actionId()}`, body: async () => ({ identifier: 'H-1', title: 'Energieffektivisering', primaryOrgId: hurdal }), bad: { identifier: 'H-1', title: 'x', primaryOrgId: hurdal, currency: 'kroner' }, missing: `/api/actions/${MISSING}` },
    { route: 'POST /api/actions/:id/updates', method: 'POST', url: async () => `/api/actions/${await actionId()}/updates`, body: async () => ({ onDate: '2025-10-01', body: 'Første bygg ferdig.' }), bad: { onDate: '2025-13-01', body: '' }, missing: `/api/actions/${MISSING}/updates` },
    {
      route: 'POST /api/followups', method: 'POST', url: async () => '/api/followups',
      body: async () => ({ agendaItemId: item139, what: 'Følg op på uddannelsesfeltet', who: 'Følgegruppen', dueDate: '2020-09-30', actionId: (await anon.api('GET', `/api/plans/${herningPlanId}`)).json().actions[1].id }),
      bad: { agendaItemId: item139, what: '' }, as: () => outsider, out: () => editor,
    },
    {
      route: 'PATCH /api/followups/:id', method: 'PATCH', url: async () => `/api/followups/${(await anon.api('GET', `/api/followups?meeting=${(await anon.api('GET', `/api/plans/${herningPlanId}`)).json().adoptedMeetingId}`)).json().items[0].id}`,
      body: async () => ({ state: 'cancelled' }), bad: { state: 'finished' }, as: () => outsider, out: () => editor, missing: `/api/followups/${MISSING}`,
    },
  ];

  for (const c of cases) {
    test(c.route, async () => {
      const who = c.as?.() ?? editor;
      const other = c.out?.() ?? outsider;
      const url = await c.url();
      const body = await c.body();
      const before = await snap();
      const a = await anon.api(c.method, url, body);
      assert.equal(a.statusCode, 401, `anonymous: ${a.body}`);
      const noCsrf = await who.api(c.method, url, body, { csrf: false });
      assert.equal(noCsrf.statusCode, 403);
      assert.equal(noCsrf.json().code, 'csrf_invalid');
      const o = await other.api(c.method, url, body);
      assert.equal(o.statusCode, 403, `outsider: ${o.body}`);
      assert.equal(o.json().code, 'forbidden');
      const bad = await who.api(c.method, url, c.bad);
      assert.equal(bad.statusCode, 422, `bad body: ${bad.body}`);
      assert.ok(bad.json().errors.length > 0 && bad.json().errors.every((e: any) => typeof e.field === 'string' && e.field.length > 0));
      if (c.missing) {
        const m = await who.api(c.method, c.missing, body);
        assert.equal(m.statusCode, 404, `missing: ${m.body}`);
      }
      assert.deepEqual(await snap(), before, 'rejected requests changed nothing');
      const ok = await who.api(c.method, url, body);
      assert.ok(ok.statusCode === 200 || ok.statusCode === 201, `allowed: ${ok.statusCode} ${ok.body}`);
      assert.notDeepEqual(await snap(), before);
      const byAdmin = await admin.api(c.method, url, c.method === 'POST' && c.route.endsWith('/actions') ? { ...(body as object), identifier: 'M-2' } : body);
      assert.ok(byAdmin.statusCode < 300 || byAdmin.statusCode === 409, `platform admin: ${byAdmin.statusCode}`);
    });
  }

  test('the matrix covers every plans API write route', () => {
    const covered = new Set(cases.map((c) => c.route));
    // Uploaded plan documents take multipart bodies: their own matrix is in files.test.ts.
    const routes = t.app.writeRoutes.filter((r) => /^\/api\/(priorities|plans|actions|followups)/.test(r.url) && !r.url.includes('/files')).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(routes.filter((r) => !covered.has(r)), []);
  });

  test('HTML form writes: anonymous gets a sign-in page, outsiders a 403, no token a 403, unknown ids a 404, and nothing changes', async () => {
    const before = await snap();
    const aid = await actionId();
    const pid = await priorityId();
    const forms: [string, Record<string, string>][] = [
      ['/plans', { organisationId: hurdal, title: 'X' }],
      [`/plans/${hurdalPlanId}/edit`, { organisationId: hurdal, title: 'X' }],
      [`/plans/${hurdalPlanId}/actions`, { identifier: 'Z', title: 'X', primaryOrgId: hurdal }],
      [`/actions/${aid}/edit`, { identifier: 'Z', title: 'X', primaryOrgId: hurdal }],
      [`/actions/${aid}/updates`, { onDate: '2025-01-01', body: 'x' }],
      ['/organisations/hurdal-kommune/priorities', { title: 'X' }],
      [`/priorities/${pid}/edit`, { organisationId: hurdal, title: 'X' }],
    ];
    for (const [url, fields] of forms) {
      assert.equal((await anon.postForm(url, fields)).statusCode, 401, url);
      assert.equal((await outsider.postForm(url, fields)).statusCode, 403, url);
      assert.equal((await editor.postForm(url, fields, { csrf: false })).statusCode, 403, url);
    }
    assert.equal((await editor.postForm(`/plans/${MISSING}/actions`, { identifier: 'Z', title: 'X', primaryOrgId: hurdal })).statusCode, 404);
    assert.equal((await editor.postForm(`/actions/${MISSING}/edit`, { identifier: 'Z', title: 'X', primaryOrgId: hurdal })).statusCode, 404);
    assert.equal((await editor.postMultipart(`/plans/${hurdalPlanId}/actions/import`, {}, [{ name: 'file', filename: 'a.csv', content: Buffer.from('x') }], { csrf: false })).statusCode, 403);
    assert.equal((await outsider.postMultipart(`/plans/${hurdalPlanId}/actions/import`, {}, [{ name: 'file', filename: 'a.csv', content: Buffer.from('identifier,title,primary_organisation\nA,B,hurdal-kommune') }])).statusCode, 403);
    // A malformed file is refused for who sends it, and into which plan, before its faults are read.
    const malformed = { format: 'csv', content: Buffer.from('identifier\n\u0000,"').toString('base64') };
    assert.equal((await outsider.api('POST', `/api/plans/${hurdalPlanId}/actions/import`, malformed)).statusCode, 403);
    assert.equal((await outsider.postMultipart(`/plans/${hurdalPlanId}/actions/import`, {}, [{ name: 'file', filename: 'a.csv', content: Buffer.from('identifier\n\u0000,"') }])).statusCode, 403);
    assert.equal((await editor.api('POST', `/api/plans/${MISSING}/actions/import`, malformed)).statusCode, 404);
    assert.equal((await editor.api('POST', `/api/plans/${hurdalPlanId}/actions/import`, malformed)).statusCode, 422);
    assert.deepEqual(await snap(), before);
    // Follow-up items: written by the editors of the meeting's organisers (Herning's), not the action's owner.
    const fu = { agendaItemId: item139, what: 'Følg op' };
    assert.equal((await anon.postForm(`/actions/${aid}/followups`, fu)).statusCode, 401);
    assert.equal((await editor.postForm(`/actions/${aid}/followups`, fu)).statusCode, 403);
    assert.equal((await outsider.postForm(`/actions/${aid}/followups`, fu, { csrf: false })).statusCode, 403);
    assert.equal((await outsider.postForm(`/actions/${MISSING}/followups`, fu)).statusCode, 404);
    assert.deepEqual(await snap(), before);
    const coveredHtml = new Set([...forms.map(([u]) => u), `/plans/${hurdalPlanId}/actions/import`, `/actions/${aid}/followups`]);
    // Uploaded plan documents (/plans/:id/files…) have their own matrix in files.test.ts.
    const htmlRoutes = t.app.writeRoutes.filter((r) => /^\/(plans|actions|priorities|organisations\/:slug\/priorities)/.test(r.url) && !r.url.includes('/files'));
    assert.equal(htmlRoutes.length, coveredHtml.size, htmlRoutes.map((r) => r.url).join(' '));
  });
});

describe('actor mapping', () => {
  test('actors are named by their address in the directory; an unknown one is named in the error', async () => {
    const before = await snap();
    const bad = await editor.postForm('/organisations/hurdal-kommune/priorities', { title: 'Skog', actors: 'nho | contributor | Kari\nno-such-org | affected' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /No organisation “no-such-org” in the directory/);
    assert.deepEqual(await snap(), before);
    const ok = await editor.postForm('/organisations/hurdal-kommune/priorities', { title: 'Skog', state: 'published', actors: 'nho | contributor | Kari\nks | affected' });
    assert.equal(ok.statusCode, 303);
    const p = (await anon.api('GET', '/api/priorities?organisation=hurdal-kommune')).json().items.find((x: any) => x.title === 'Skog');
    assert.deepEqual(p.actors.map((a: any) => a.role), ['contributor', 'affected']);
    const edit = await editor.get(`/priorities/${p.id}/edit`);
    assert.match(edit.body, /nho \| contributor \| Kari/);
  });
});

describe('links, dates, imported text and what the public may read', () => {
  test('a priority’s web address (the API’s `web`) leads to its place on its organisation’s page; a draft stays a 404 for others', async () => {
    const p = (await anon.api('GET', '/api/priorities?organisation=hurdal-kommune')).json().items[0];
    const res = await anon.get(new URL(p.web).pathname);
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, `/organisations/hurdal-kommune/priorities#p-${p.id}`);
    const draft = (await editor.api('POST', '/api/priorities', { organisationId: hurdal, title: 'Utkast med adresse', state: 'draft' })).json();
    assert.equal((await outsider.get(`/priorities/${draft.id}`)).statusCode, 404);
    assert.equal((await editor.get(`/priorities/${draft.id}`)).statusCode, 302);
    assert.equal((await anon.get('/priorities/00000000-0000-4000-8000-000000000000')).statusCode, 404);
  });

  test('a date in the year 0000 is refused with the field named, not a server error', async () => {
    const before = await snap();
    const plan = await editor.api('POST', '/api/plans', { organisationId: hurdal, title: 'År null', periodStart: '0000-01-01' });
    assert.equal(plan.statusCode, 422, plan.body);
    assert.equal(plan.json().errors[0].field, 'periodStart');
    const act = await editor.api('POST', `/api/plans/${hurdalPlanId}/actions`, { identifier: 'Y-0', title: 'År null', primaryOrgId: hurdal, milestones: [{ title: 'x', due: '0000-06-01' }] });
    assert.equal(act.statusCode, 422, act.body);
    assert.equal(act.json().errors[0].field, 'milestones.0.due');
    assert.deepEqual(await snap(), before);
  });

  test('an imported file whose text holds a control character is refused with row and column, and nothing changes', async () => {
    const before = await snap();
    const csv = 'identifier,title,primary_organisation\nZ-1,Godt tiltak,hurdal-kommune\nZ-2,Bad\u0000title,hurdal-kommune\n';
    const res = await editor.api('POST', `/api/plans/${hurdalPlanId}/actions/import`, { format: 'csv', content: Buffer.from(csv).toString('base64') });
    assert.equal(res.statusCode, 422, res.body);
    assert.deepEqual(res.json().errors.map((e: any) => e.field), ['rows.3.title']);
    assert.deepEqual(await snap(), before);
  });

  test('a plan adopted under an item of an agenda not yet published does not name the item to others', async () => {
    const m = (await editor.api('POST', '/api/meetings', { title: 'Kommunestyret i juni', start: '2031-06-10T09:00:00+02:00', end: '2031-06-10T12:00:00+02:00', timeZone: 'Europe/Oslo', organisationIds: [hurdal] })).json();
    const item = (await editor.api('POST', `/api/meetings/${m.id}/items`, { title: 'Ikke publisert sak om klimaplanen', isPublic: true })).json();
    const plan = await editor.api('POST', '/api/plans', { organisationId: hurdal, title: 'Klimaplan vedtatt i juni', state: 'adopted', adoptedItemId: item.id });
    assert.equal(plan.statusCode, 201, plan.body);
    assert.ok(!(await anon.get(`/meetings/${m.id}`)).body.includes('Ikke publisert sak'), 'the meeting page does not show it either');
    for (const who of [anon, outsider]) assert.ok(!(await who.get(`/plans/${plan.json().id}`)).body.includes('Ikke publisert sak'), 'the plan page names an unpublished item');
    assert.ok((await editor.get(`/plans/${plan.json().id}`)).body.includes('Ikke publisert sak'), 'the organiser’s editor sees it');
  });

  test('a follow-up item of a closed agenda item stays off the public history of the meeting’s organiser', async () => {
    const meetingId = (await anon.api('GET', `/api/plans/${herningPlanId}`)).json().adoptedMeetingId;
    const closed = (await outsider.api('GET', `/api/meetings/${meetingId}`)).json().items.find((i: any) => i.number === '140').id;
    const secret = await outsider.api('POST', '/api/followups', { agendaItemId: closed, what: 'Fortrolig opfølgning på forhandlingen', indicatorCode: 'demo-waste-recycled' });
    assert.equal(secret.statusCode, 201, secret.body);
    const open = await outsider.api('POST', '/api/followups', { agendaItemId: item139, what: 'Offentlig opfølgning på centret', indicatorCode: 'demo-waste-recycled' });
    assert.equal(open.statusCode, 201, open.body);
    for (const u of ['/organisations/okonomi-og-erhvervsudvalget/history', `/meetings/${meetingId}`, `/api/followups?meeting=${meetingId}`]) {
      assert.ok(!(await anon.get(u)).body.includes('Fortrolig opfølgning'), `${u} leaks a closed item’s follow-up`);
    }
    assert.ok((await anon.get('/organisations/okonomi-og-erhvervsudvalget/history')).body.includes('Offentlig opfølgning på centret'), 'a public item’s follow-up is still in the history');
  });

  test('the priorities page: its breadcrumb in the reader’s language, and each priority a heading right below the page’s', async () => {
    const sv = await anon.get('/organisations/hurdal-kommune/priorities', { cookie: 'samverka_lang=sv' });
    assert.equal(sv.statusCode, 200);
    assert.ok(sv.body.includes('>Organisationer<') && !sv.body.includes('>Organisations<'), 'the breadcrumb is translated');
    const levels = [...sv.body.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
    assert.equal(levels[0], 1);
    for (let i = 1; i < levels.length; i++) assert.ok(levels[i]! <= levels[i - 1]! + 1, `heading levels skip: ${levels.join(',')}`);
  });
});

describe('who signed a status update', () => {
  test('a status update is signed with its author’s name, never their email address; migration 0880 mends those signed before', async () => {
    const action = (await anon.api('GET', `/api/plans/${hurdalPlanId}`)).json().actions[0].id as string;
    const res = await editor.api('POST', `/api/actions/${action}/updates`, { onDate: '2026-02-01', body: 'Halvveis.' });
    assert.equal(res.statusCode, 201, res.body);
    const shown = async () => (await anon.api('GET', `/api/actions/${action}`)).json().updates.map((u: any) => u.authorLabel) as string[];
    assert.ok((await shown()).length > 0);
    assert.ok((await shown()).every((a) => !a.includes('@')), `${await shown()}`);
    assert.ok(!(await anon.get(`/actions/${action}`)).body.includes('hurdal@example.org'));
    await t.db.query(`INSERT INTO plan_status_updates (action_id, on_date, body, author_label) VALUES ($1, '2026-01-01', 'Før.', 'Hanne Hurdal <hurdal@example.org>')`, [action]);
    await t.db.exec(readFileSync(path.resolve(import.meta.dirname, '../../../migrations/0880_public_names_without_addresses.sql'), 'utf8'));
    assert.ok((await shown()).includes('Hanne Hurdal'));
    assert.ok((await shown()).every((a) => !a.includes('@')));
  });
});
