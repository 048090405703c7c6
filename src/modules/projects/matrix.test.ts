/**
 * Every write route of the projects module against every kind of caller:
 * anonymous (401), a session without the CSRF token (403), a member of the
 * owner who is not an editor, an editor of a partner that was not given
 * editing, and an admin of another organisation (403), a bad body (422 naming
 * a field) and an unknown id (404); nothing may change after any refusal.
 * Then the owner's editor succeeds. A last test proves the list covers every
 * write route under /api/projects and /projects.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, snapshot, type Agent, type TestApp } from '../../../test/helpers.js';
import { directory } from '../directory/index.js';

let t: TestApp;
let editor: Agent;
let member: Agent;
let partner: Agent;
let outsider: Agent;
let anon: Agent;
let admin: Agent;
const TABLES = ['projects', 'project_partners', 'project_milestones', 'project_sdg_targets', 'project_indicators', 'project_links', 'project_documents', 'project_funding_sources', 'project_funding_amounts', 'project_exchange_rates', 'project_reminders_sent', 'project_plan_actions', 'project_challenges', 'search_documents', 'audit_events', 'organisations'];
const id = async (slug: string) => (await directory.getOrganisation(t.db.orm, slug)).id;
let n = 0;

async function projectBody(name = `Matrisprojekt ${++n}`) {
  return {
    name, lang: 'sv', ownerOrgId: await id('vaxjo-kommun'), state: 'running', startDate: '2024-01-01', endDate: '2026-12-31',
    partners: [{ organisationId: await id('alvesta-kommun'), role: 'partner' }],
    funding: [{ funderOrgId: await id('europeiska-socialfonden'), amounts: [{ year: 2024, currency: 'SEK', amount: '100' }] }],
  };
}
async function newProject(): Promise<string> {
  const r = await editor.api('POST', '/api/projects', await projectBody());
  assert.equal(r.statusCode, 201, r.body);
  return r.json().slug;
}
async function newDocument(slug: string): Promise<string> {
  const r = await editor.postMultipart(`/api/projects/${slug}/documents`, { title: 'Dok' }, [{ name: 'file', filename: 'a.txt', content: Buffer.from('text\n') }]);
  assert.equal(r.statusCode, 201, r.body);
  return r.json().id;
}
/** A challenge of Växjö with a response from Alvesta that Växjö's editor accepted: what a project can be started from. */
async function acceptedResponse(): Promise<{ challengeId: string; responseId: string }> {
  const c = await editor.api('POST', '/api/challenges', { organisationId: await id('vaxjo-kommun'), title: `Utmaning ${++n}`, lang: 'sv', problem: 'Ett problem.', sdgTargets: ['8.5'], contactEmail: 'c@vaxjo.example', state: 'open' });
  assert.equal(c.statusCode, 201, c.body);
  const r = await partner.api('POST', `/api/challenges/${c.json().id}/responses`, { responderOrgId: await id('alvesta-kommun'), offer: 'Vi hjälper till.', contactEmail: 'r@alvesta.example' });
  assert.equal(r.statusCode, 201, r.body);
  assert.equal((await editor.api('POST', `/api/challenges/${c.json().id}/responses/${r.json().id}/accept`)).statusCode, 200);
  return { challengeId: c.json().id, responseId: r.json().id };
}
const flat = (b: Record<string, unknown>) => {
  const out: Record<string, string> = {};
  const walk = (v: unknown, k: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${k}.${i}`));
    else if (v && typeof v === 'object') Object.entries(v).forEach(([kk, x]) => walk(x, k ? `${k}.${kk}` : kk));
    else if (v !== null && v !== undefined) out[k] = String(v);
  };
  walk(b, '');
  return out;
};

type Send = (a: Agent, opts?: { csrf?: boolean }) => Promise<LightMyRequestResponse>;
type Case = { route: string; setup: () => Promise<{ ok: Send; bad: Send; missing: Send; missingStatus?: number }> };

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'editor@example.org', roles: { 'vaxjo-kommun': 'editor', 'union-of-the-baltic-cities': 'editor' } });
  await t.makeUser({ email: 'member@example.org', roles: { 'vaxjo-kommun': 'member' } });
  await t.makeUser({ email: 'partner@example.org', roles: { 'alvesta-kommun': 'editor' } });
  await t.makeUser({ email: 'outsider@example.org', roles: { 'herning-kommune': 'admin' } });
  await t.makeUser({ email: 'admin@example.org', admin: true });
  editor = await t.agent('editor@example.org');
  member = await t.agent('member@example.org');
  partner = await t.agent('partner@example.org');
  outsider = await t.agent('outsider@example.org');
  admin = await t.agent('admin@example.org');
  anon = await t.agent();
});
after(() => t.close());

const MISSING = 'no-such-project';
const NOUUID = '00000000-0000-4000-8000-000000000000';

const cases: Case[] = [
  {
    route: 'POST /api/projects',
    setup: async () => {
      const body = await projectBody();
      return {
        ok: (a, o) => a.api('POST', '/api/projects', body, o),
        bad: (a) => a.api('POST', '/api/projects', { ...body, endDate: '2020-01-01' }),
        // Nothing in the address to miss: an unknown owner is a 422 naming the field.
        missing: (a) => a.api('POST', '/api/projects', { ...body, ownerOrgId: NOUUID }),
        missingStatus: 422,
      };
    },
  },
  {
    route: 'POST /api/projects/from-response',
    setup: async () => {
      const ref = await acceptedResponse();
      return {
        ok: (a, o) => a.api('POST', '/api/projects/from-response', ref, o),
        bad: (a) => a.api('POST', '/api/projects/from-response', { ...ref, responseId: 'not-an-id' }),
        missing: (a) => a.api('POST', '/api/projects/from-response', { ...ref, challengeId: NOUUID }),
      };
    },
  },
  {
    route: 'PUT /api/projects/:id',
    setup: async () => {
      const slug = await newProject();
      const body = await projectBody('Ändrat');
      return {
        ok: (a, o) => a.api('PUT', `/api/projects/${slug}`, body, o),
        bad: (a) => a.api('PUT', `/api/projects/${slug}`, { ...body, funding: [{ funderOrgId: body.funding[0]!.funderOrgId, amounts: [{ year: 2024, currency: 'SEK', amount: '-1' }] }] }),
        missing: (a) => a.api('PUT', `/api/projects/${MISSING}`, body),
      };
    },
  },
  {
    route: 'DELETE /api/projects/:id',
    setup: async () => {
      const slug = await newProject();
      return { ok: (a, o) => a.api('DELETE', `/api/projects/${slug}`, undefined, o), bad: async () => ({ statusCode: 422 }) as LightMyRequestResponse, missing: (a) => a.api('DELETE', `/api/projects/${MISSING}`) };
    },
  },
  {
    route: 'POST /api/projects/:id/documents',
    setup: async () => {
      const slug = await newProject();
      const file = [{ name: 'file', filename: 'a.txt', content: Buffer.from('text\n') }];
      return {
        ok: (a, o) => (o?.csrf === false || a === anon ? a.postMultipart(`/api/projects/${slug}/documents`, { title: 'Dok' }, file, o) : a.postMultipart(`/api/projects/${slug}/documents`, { title: 'Dok' }, file)),
        bad: (a) => a.postMultipart(`/api/projects/${slug}/documents`, { title: 'Dok' }, [{ name: 'file', filename: 'a.pdf', content: Buffer.from('not a pdf') }]),
        missing: (a) => a.postMultipart(`/api/projects/${MISSING}/documents`, { title: 'Dok' }, file),
      };
    },
  },
  {
    route: 'DELETE /api/projects/:id/documents/:documentId',
    setup: async () => {
      const slug = await newProject();
      const doc = await newDocument(slug);
      return { ok: (a, o) => a.api('DELETE', `/api/projects/${slug}/documents/${doc}`, undefined, o), bad: async () => ({ statusCode: 422 }) as LightMyRequestResponse, missing: (a) => a.api('DELETE', `/api/projects/${slug}/documents/${NOUUID}`) };
    },
  },
  {
    route: 'PUT /api/projects/networks/:id/rates',
    setup: async () => ({
      ok: (a, o) => a.api('PUT', '/api/projects/networks/union-of-the-baltic-cities/rates', { rates: [{ year: 2024, from: 'EUR', to: 'SEK', rate: '11.2' }] }, o),
      bad: (a) => a.api('PUT', '/api/projects/networks/union-of-the-baltic-cities/rates', { rates: [{ year: 2024, from: 'EUR', to: 'USD', rate: '-1' }] }),
      missing: (a) => a.api('PUT', '/api/projects/networks/no-such-network/rates', { rates: [] }),
    }),
  },
  {
    route: 'POST /projects',
    setup: async () => {
      const body = flat(await projectBody());
      return {
        ok: (a, o) => a.postForm('/projects', body, o),
        bad: (a) => a.postForm('/projects', { ...body, endDate: '2020-01-01' }),
        missing: (a) => a.postForm('/projects', { ...body, ownerOrgId: NOUUID }),
        missingStatus: 422,
      };
    },
  },
  {
    route: 'POST /projects/from-response',
    setup: async () => {
      const ref = await acceptedResponse();
      return {
        ok: (a, o) => a.postForm('/projects/from-response', ref, o),
        bad: (a) => a.postForm('/projects/from-response', { challengeId: ref.challengeId }),
        missing: (a) => a.postForm('/projects/from-response', { challengeId: ref.challengeId, responseId: NOUUID }),
      };
    },
  },
  {
    route: 'POST /projects/:slug/edit',
    setup: async () => {
      const slug = await newProject();
      const body = flat(await projectBody('Ändrat i formulär'));
      return {
        ok: (a, o) => a.postForm(`/projects/${slug}/edit`, body, o),
        bad: (a) => a.postForm(`/projects/${slug}/edit`, { ...body, 'funding.0.amountsText': '2024 USD 5' }),
        missing: (a) => a.postForm(`/projects/${MISSING}/edit`, body),
      };
    },
  },
  {
    route: 'POST /projects/:slug/delete',
    setup: async () => {
      const slug = await newProject();
      return { ok: (a, o) => a.postForm(`/projects/${slug}/delete`, {}, o), bad: async () => ({ statusCode: 422 }) as LightMyRequestResponse, missing: (a) => a.postForm(`/projects/${MISSING}/delete`, {}) };
    },
  },
  {
    route: 'POST /projects/:slug/documents',
    setup: async () => {
      const slug = await newProject();
      const file = [{ name: 'file', filename: 'a.txt', content: Buffer.from('text\n') }];
      return {
        ok: (a, o) => a.postMultipart(`/projects/${slug}/documents`, { title: 'Dok' }, file, o),
        bad: (a) => a.postMultipart(`/projects/${slug}/documents`, { title: '' }, file),
        missing: (a) => a.postMultipart(`/projects/${MISSING}/documents`, { title: 'Dok' }, file),
      };
    },
  },
  {
    route: 'POST /projects/:slug/documents/:id/delete',
    setup: async () => {
      const slug = await newProject();
      const doc = await newDocument(slug);
      return { ok: (a, o) => a.postForm(`/projects/${slug}/documents/${doc}/delete`, {}, o), bad: async () => ({ statusCode: 422 }) as LightMyRequestResponse, missing: (a) => a.postForm(`/projects/${slug}/documents/${NOUUID}/delete`, {}) };
    },
  },
  {
    route: 'POST /projects/networks/:slug/rates',
    setup: async () => ({
      ok: (a, o) => a.postForm('/projects/networks/union-of-the-baltic-cities/rates', { ratesText: '2024 EUR SEK 11.3' }, o),
      bad: (a) => a.postForm('/projects/networks/union-of-the-baltic-cities/rates', { ratesText: '2024 EUR SEK many' }),
      missing: (a) => a.postForm('/projects/networks/no-such-network/rates', { ratesText: '' }),
    }),
  },
];

describe('permission matrix', () => {
  for (const c of cases) {
    test(c.route, async () => {
      const s = await c.setup();
      const before = await snapshot(t.db, TABLES);
      assert.equal((await s.ok(anon)).statusCode, 401, 'anonymous');
      const noCsrf = await s.ok(editor, { csrf: false });
      assert.equal(noCsrf.statusCode, 403, 'no CSRF token');
      for (const [who, a] of [['member', member], ['partner without editing', partner], ['admin of another organisation', outsider]] as const) {
        const r = await s.ok(a);
        assert.equal(r.statusCode, 403, `${who}: ${r.body?.slice(0, 300)}`);
      }
      const bad = await s.bad(editor);
      assert.equal(bad.statusCode, 422, `bad: ${bad.body?.slice(0, 300)}`);
      if (bad.body && bad.headers['content-type']?.toString().includes('json')) assert.ok(bad.json().errors.every((e: { field: string }) => e.field.length > 0));
      const missing = await s.missing(editor);
      assert.equal(missing.statusCode, s.missingStatus ?? 404, `missing: ${missing.body?.slice(0, 300)}`);
      assert.deepEqual(await snapshot(t.db, TABLES), before, 'nothing changed after the refusals');
      const ok = await s.ok(editor);
      assert.ok([200, 201, 204, 303].includes(ok.statusCode), `owner's editor: ${ok.statusCode} ${ok.body?.slice(0, 300)}`);
      assert.notDeepEqual(await snapshot(t.db, TABLES), before);
    });
  }

  test('a platform admin may manage any project', async () => {
    const slug = await newProject();
    assert.equal((await admin.api('PUT', `/api/projects/${slug}`, await projectBody('Admin'))).statusCode, 200);
  });

  test('the matrix covers every write route of the module', () => {
    const covered = new Set(cases.map((c) => c.route));
    const routes = t.app.writeRoutes.filter((r) => /^\/(api\/)?projects\b/.test(r.url)).map((r) => `${r.method} ${r.url}`);
    assert.ok(routes.length >= cases.length);
    assert.deepEqual(routes.filter((r) => !covered.has(r)), []);
  });
});
