/**
 * Links from projects to plan actions and challenges (#15), and starting a project from an
 * accepted challenge response (#14): validation, no leak of another organisation's drafts (page,
 * API, form), links kept when an editor who cannot see them saves, the linked projects on the
 * action's and the challenge's pages, and who may start a project.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseCsv } from 'csv-parse/sync';
import { createTestApp, type Agent, type TestApp } from '../../../test/helpers.js';
import { directory } from '../directory/index.js';

let t: TestApp;
let vaxjo: Agent; // editor of Växjö
let vaxjoMember: Agent;
let herning: Agent; // editor of Herning
let herningMember: Agent;
let alvesta: Agent; // editor of Alvesta, the responder
let anon: Agent;
const id = async (slug: string) => (await directory.getOrganisation(t.db.orm, slug)).id;
const NOUUID = '00000000-0000-4000-8000-000000000000';
const DRAFT_ACTION = 'Hemmelig kladdeindsats om fjernvarme';
const DRAFT_CHALLENGE = 'Hemmelig kladdeudfordring om affald';

let publicAction: string; // BC-1 of Herning's adopted plan (demo)
let draftAction: string; // an action of a draft plan of Herning
let draftChallenge: string; // a draft challenge of Herning
let openChallenge: string; // the demo's open challenge of Indre Østfold

async function body(over: Record<string, unknown> = {}) {
  return { name: `Koblet projekt ${Math.random().toString(36).slice(2, 8)}`, lang: 'sv', ownerOrgId: await id('vaxjo-kommun'), state: 'running', ...over };
}

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'vaxjo@example.org', roles: { 'vaxjo-kommun': 'editor' } });
  await t.makeUser({ email: 'vaxjo-member@example.org', roles: { 'vaxjo-kommun': 'member' } });
  await t.makeUser({ email: 'herning@example.org', roles: { 'herning-kommune': 'editor' } });
  await t.makeUser({ email: 'herning-member@example.org', roles: { 'herning-kommune': 'member' } });
  await t.makeUser({ email: 'alvesta@example.org', roles: { 'alvesta-kommun': 'editor' } });
  vaxjo = await t.agent('vaxjo@example.org');
  vaxjoMember = await t.agent('vaxjo-member@example.org');
  herning = await t.agent('herning@example.org');
  herningMember = await t.agent('herning-member@example.org');
  alvesta = await t.agent('alvesta@example.org');
  anon = await t.agent();

  const demo = (await anon.api('GET', '/api/projects/baeredygtighed-herning-2020-2023')).json();
  publicAction = demo.planActions[0].id;
  const herningId = await id('herning-kommune');
  const plan = await herning.api('POST', '/api/plans', { organisationId: herningId, title: 'Kladdeplan', lang: 'da', state: 'draft' });
  assert.equal(plan.statusCode, 201, plan.body);
  const act = await herning.api('POST', `/api/plans/${plan.json().id}/actions`, { identifier: 'K-1', title: DRAFT_ACTION, lang: 'da', primaryOrgId: herningId });
  assert.equal(act.statusCode, 201, act.body);
  draftAction = act.json().id;
  const ch = await herning.api('POST', '/api/challenges', { organisationId: herningId, title: DRAFT_CHALLENGE, lang: 'da', problem: 'Kladde.', contactEmail: 'x@herning.example', state: 'draft' });
  assert.equal(ch.statusCode, 201, ch.body);
  draftChallenge = ch.json().id;
  openChallenge = (await anon.api('GET', '/api/challenges?state=open')).json().items[0].id;
});
after(() => t.close());

describe('links to plan actions and challenges', () => {
  test('a project links to a published action and an open challenge; the project, action and challenge pages show it', async () => {
    const res = await vaxjo.api('POST', '/api/projects', await body({ name: 'Samverkan om bæredygtighedscentret', planActions: [publicAction], challenges: [openChallenge] }));
    assert.equal(res.statusCode, 201, res.body);
    const p = res.json();
    assert.deepEqual(p.planActions.map((a: any) => [a.id, a.identifier, a.plan.title]), [[publicAction, 'BC-1', 'Bæredygtighedscenter i Herning']]);
    assert.deepEqual(p.challenges.map((c: any) => c.id), [openChallenge]);
    assert.match(p.planActions[0].web, new RegExp(`/actions/${publicAction}$`));

    const page = (await anon.get(`/projects/${p.slug}`)).body;
    assert.ok(page.includes(`href="/actions/${publicAction}"`));
    assert.ok(page.includes(`href="/challenges/${openChallenge}"`));
    const action = (await anon.get(`/actions/${publicAction}`)).body;
    assert.ok(action.includes('Projects carrying out this action') && action.includes(`href="/projects/${p.slug}"`));
    const challenge = (await anon.get(`/challenges/${openChallenge}`)).body;
    assert.ok(challenge.includes('Projects answering this challenge') && challenge.includes(`href="/projects/${p.slug}"`));
    assert.deepEqual((await anon.api('GET', `/api/projects?action=${publicAction}`)).json().items.map((x: any) => x.slug).sort(), ['baeredygtighed-herning-2020-2023', p.slug].sort());

    // The edit form offers the links as chosen, and saving it unchanged keeps them.
    const form = (await vaxjo.get(`/projects/${p.slug}/edit`)).body;
    assert.match(form, new RegExp(`<option value="${publicAction}" selected`));

    // The export carries the links, read back with an independent CSV reader.
    const rows = parseCsv((await anon.get('/projects/export.csv')).body, { columns: true, bom: true }) as Record<string, string>[];
    const mine = rows.filter((r) => r.project === p.slug);
    assert.deepEqual(mine.filter((r) => r.record === 'plan_action').map((r) => [r.link, r.link_url]), [['BC-1 Virksomheder og iværksættere (Bæredygtighedscenter i Herning)', `/actions/${publicAction}`]]);
    assert.deepEqual(mine.filter((r) => r.record === 'challenge').map((r) => r.link_url), [`/challenges/${openChallenge}`]);
  });

  test('an unknown id, a malformed one, and another organisation’s drafts are a 422 naming the field, and leak no title', async () => {
    const before = (await anon.api('GET', '/api/projects')).json().items.length;
    for (const [over, field] of [
      [{ planActions: [NOUUID] }, 'planActions.0'],
      [{ planActions: [publicAction, 'nope'] }, 'planActions.1'],
      [{ planActions: [draftAction] }, 'planActions.0'],
      [{ challenges: [draftChallenge] }, 'challenges.0'],
      [{ challenges: [NOUUID] }, 'challenges.0'],
    ] as const) {
      const res = await vaxjo.api('POST', '/api/projects', await body(over));
      assert.equal(res.statusCode, 422, res.body);
      assert.deepEqual(res.json().errors.map((e: any) => e.field), [field]);
      assert.ok(!res.body.includes(DRAFT_ACTION) && !res.body.includes(DRAFT_CHALLENGE));
    }
    // The form route answers the same, with the message at the select.
    const form = await vaxjo.postForm('/projects', { name: 'Formulär', lang: 'sv', ownerOrgId: await id('vaxjo-kommun'), state: 'running', 'planActions.0': draftAction });
    assert.equal(form.statusCode, 422);
    assert.ok(form.body.includes('f-planActions.0') && !form.body.includes(DRAFT_ACTION));
    // The form offers neither draft to Växjö.
    const blank = (await vaxjo.get('/projects/new')).body;
    assert.ok(!blank.includes(DRAFT_ACTION) && !blank.includes(DRAFT_CHALLENGE) && blank.includes('BC-1'));
    assert.equal((await anon.api('GET', '/api/projects')).json().items.length, before, 'nothing written');
  });

  test('the owner links its own drafts; readers who may not see them never see their titles, and a partner’s save keeps them', async () => {
    const herningId = await id('herning-kommune');
    const res = await herning.api('POST', '/api/projects', await body({ ownerOrgId: herningId, lang: 'da', planActions: [publicAction, draftAction], challenges: [draftChallenge], partners: [{ organisationId: await id('vaxjo-kommun'), role: 'partner', canEdit: true }] }));
    assert.equal(res.statusCode, 201, res.body);
    const slug = res.json().slug;
    assert.deepEqual(res.json().planActions.map((a: any) => a.title), ['Virksomheder og iværksættere', DRAFT_ACTION]);
    assert.ok((await herningMember.get(`/projects/${slug}`)).body.includes(DRAFT_ACTION), 'Herning’s members see their draft');
    for (const who of [anon, vaxjo]) {
      const api = await who.api('GET', `/api/projects/${slug}`);
      assert.deepEqual(api.json().planActions.map((a: any) => a.id), [publicAction]);
      assert.deepEqual(api.json().challenges, []);
      for (const text of [api.body, (await who.get(`/projects/${slug}`)).body]) assert.ok(!text.includes(DRAFT_ACTION) && !text.includes(DRAFT_CHALLENGE) && !text.includes(draftAction));
    }
    const form = (await vaxjo.get(`/projects/${slug}/edit`)).body;
    assert.ok(!form.includes(DRAFT_ACTION) && !form.includes(draftAction));
    assert.ok(!(await anon.get('/projects/export.csv')).body.includes(DRAFT_ACTION), 'not in the export either');
    assert.ok((await herningMember.get('/projects/export.csv')).body.includes(DRAFT_ACTION), 'the owner’s members export it');

    // Växjö edits (as a partner given editing) without seeing the drafts: the links stay.
    const put = await vaxjo.api('PUT', `/api/projects/${slug}`, { ...(await body({ ownerOrgId: herningId, lang: 'da', name: 'Ændret af partneren' })), partners: [{ organisationId: await id('vaxjo-kommun'), role: 'partner', canEdit: true }], planActions: [] });
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual(put.json().planActions, []);
    const seen = (await herning.api('GET', `/api/projects/${slug}`)).json();
    assert.deepEqual(seen.planActions.map((a: any) => a.id), [draftAction]);
    assert.deepEqual(seen.challenges.map((c: any) => c.id), [draftChallenge]);
    // The draft action's page (for Herning) lists the project; outsiders get no page at all.
    assert.ok((await herning.get(`/actions/${draftAction}`)).body.includes(`href="/projects/${slug}"`));
    assert.equal((await anon.get(`/actions/${draftAction}`)).statusCode, 404);
  });
});

describe('starting a project from an accepted challenge response', () => {
  let challengeId: string;
  let acceptedId: string;
  let pendingId: string;

  before(async () => {
    const vaxjoId = await id('vaxjo-kommun');
    const c = await vaxjo.api('POST', '/api/challenges', { organisationId: vaxjoId, title: 'Fler praktikplatser för nyanlända', lang: 'sv', problem: 'Vi söker arbetsgivare.', sdgTargets: ['8.5', '10.2'], contactEmail: 'x@vaxjo.example', state: 'open' });
    assert.equal(c.statusCode, 201, c.body);
    challengeId = c.json().id;
    const r = await alvesta.api('POST', `/api/challenges/${challengeId}/responses`, { responderOrgId: await id('alvesta-kommun'), offer: 'Vi delar våra platser.', contactEmail: 'y@alvesta.example' });
    assert.equal(r.statusCode, 201, r.body);
    acceptedId = r.json().id;
    const r2 = await alvesta.api('POST', `/api/challenges/${challengeId}/responses`, { responderOrgId: await id('alvesta-kommun'), offer: 'Och fler.', contactEmail: 'y@alvesta.example' });
    pendingId = r2.json().id;
  });

  test('the button appears for the challenge’s editors once a response is accepted', async () => {
    assert.ok(!(await vaxjo.get(`/challenges/${challengeId}`)).body.includes('Start a project'), 'nothing accepted yet');
    assert.equal((await vaxjo.api('POST', `/api/challenges/${challengeId}/responses/${acceptedId}/accept`)).statusCode, 200);
    const page = (await vaxjo.get(`/challenges/${challengeId}`)).body;
    assert.ok(page.includes('Start a project with Alvesta kommun') && page.includes('action="/projects/from-response"'));
    for (const who of [anon, vaxjoMember, alvesta]) assert.ok(!(await who.get(`/challenges/${challengeId}`)).body.includes('Start a project'));
  });

  test('only the challenge owner’s editors may start it; it is owned by the owner, with the responder, linked, targets copied; once', async () => {
    const ref = { challengeId, responseId: acceptedId };
    for (const who of [vaxjoMember, alvesta, herning]) assert.equal((await who.api('POST', '/api/projects/from-response', ref)).statusCode, 403);
    assert.equal((await anon.api('POST', '/api/projects/from-response', ref)).statusCode, 401);
    assert.equal((await vaxjo.api('POST', '/api/projects/from-response', { challengeId, responseId: pendingId })).statusCode, 404, 'a pending response starts nothing');
    assert.equal((await vaxjo.api('POST', '/api/projects/from-response', { challengeId: draftChallenge, responseId: acceptedId })).statusCode, 404);
    const bad = await vaxjo.api('POST', '/api/projects/from-response', { challengeId, responseId: 'x' });
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(bad.json().errors.map((e: any) => e.field), ['responseId']);

    const res = await vaxjo.postForm('/projects/from-response', ref);
    assert.equal(res.statusCode, 303, res.body);
    assert.match(res.headers.location as string, /^\/projects\/[a-z0-9-]+\/edit\?started=1$/);
    const slug = (res.headers.location as string).split('/')[2]!;
    const p = (await vaxjo.api('GET', `/api/projects/${slug}`)).json();
    assert.equal(p.name, 'Fler praktikplatser för nyanlända');
    assert.equal(p.owner.slug, 'vaxjo-kommun');
    assert.deepEqual(p.partners.map((x: any) => [x.slug, x.role]), [['alvesta-kommun', 'partner']]);
    assert.deepEqual(p.challenges.map((c: any) => c.id), [challengeId]);
    assert.deepEqual(p.sdgTargets, ['8.5', '10.2']);
    assert.equal(p.state, 'planned');
    assert.equal(p.visibility, 'partners');
    assert.equal((await anon.api('GET', `/api/projects/${slug}`)).statusCode, 404, 'not public until the owner says so');
    assert.equal((await alvesta.api('GET', `/api/projects/${slug}`)).statusCode, 200, 'the partner sees it');
    assert.ok((await vaxjo.get(`/projects/${slug}/edit?started=1`)).body.includes('started from the challenge response'));

    assert.equal((await vaxjo.api('POST', '/api/projects/from-response', ref)).statusCode, 409, 'one project per response');
    const page = (await vaxjo.get(`/challenges/${challengeId}`)).body;
    assert.ok(page.includes(`href="/projects/${slug}"`) && !page.includes('Start a project with'));
  });
});
