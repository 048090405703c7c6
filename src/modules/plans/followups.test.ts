import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, snapshot, type Agent, type TestApp } from '../../../test/helpers.js';

let t: TestApp;
let herning: Agent; // editor of Herning Kommune, whose committee held the meeting
let hurdal: Agent; // editor elsewhere: signed in, but not an organiser
let anon: Agent;
let meetingId: string;
let item139: string;
let item140: string; // the demo's closed item
let bc2: string;
const MISSING = '00000000-0000-4000-8000-000000000000';
// The tables plans.test.ts fingerprints (importing it from here would run its tests too).
const PLAN_TABLES = ['plan_priorities', 'plan_priority_actors', 'plan_plans', 'plan_actions', 'plan_status_updates', 'plan_followups', 'ch_challenges', 'ch_responses', 'search_documents', 'audit_events', 'organisations'];
const snap = () => snapshot(t.db, PLAN_TABLES);

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'herning@example.org', roles: { 'herning-kommune': 'editor' } });
  await t.makeUser({ email: 'hurdal@example.org', roles: { 'hurdal-kommune': 'editor' } });
  herning = await t.agent('herning@example.org');
  hurdal = await t.agent('hurdal@example.org');
  anon = await t.agent();
  const plans = (await anon.api('GET', '/api/plans')).json().items as { id: string; title: string; adoptedItemId: string; adoptedMeetingId: string }[];
  const plan = plans.find((p) => p.title === 'Bæredygtighedscenter i Herning')!;
  meetingId = plan.adoptedMeetingId;
  item139 = plan.adoptedItemId;
  bc2 = (await anon.api('GET', `/api/plans/${plan.id}`)).json().actions.find((a: { identifier: string }) => a.identifier === 'BC-2').id;
  item140 = (await t.db.query<{ id: string }>(`SELECT id FROM agenda_items WHERE meeting_id = $1 AND number = '140'`, [meetingId]))[0]!.id;
});
after(() => t.close());

describe('follow-up items on the meeting page', () => {
  test('the organiser’s editor sees the form; others see the list only', async () => {
    const page = await herning.get(`/meetings/${meetingId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h2[^>]*id="followups-h"[^>]*>Follow-up items/);
    assert.match(page.body, new RegExp(`action="/meetings/${meetingId}/followups"`));
    assert.match(page.body, /Orientering om den politiske følgegruppes arbejde/);
    for (const who of [anon, hurdal]) {
      const other = await who.get(`/meetings/${meetingId}`);
      assert.match(other.body, /Follow-up items/, 'the demo’s follow-up is listed');
      assert.doesNotMatch(other.body, /\/followups"/, 'no form to add');
      assert.doesNotMatch(other.body, /\/state"/, 'no form to change the state');
    }
  });

  test('bad input is refused with the field named and the input kept, and nothing changes', async () => {
    const before = await snap();
    const cases: [Record<string, string>, RegExp][] = [
      [{ agendaItemId: item139, what: 'Opfølgning', dueDate: '2020-02-30', actionId: bc2 }, /Use a real date/],
      [{ agendaItemId: item139, what: 'Opfølgning', actionId: MISSING }, /No such action/],
      [{ agendaItemId: item139, what: 'Opfølgning', indicatorCode: 'no-such-indicator' }, /No indicator with the code no-such-indicator/],
      [{ agendaItemId: item139, what: 'Opfølgning' }, /Link the follow-up to an action, a priority or an indicator/],
      [{ agendaItemId: MISSING, what: 'Opfølgning', actionId: bc2 }, /No such agenda item/],
      [{ agendaItemId: item139, what: '', actionId: bc2 }, /required/],
    ];
    for (const [fields, message] of cases) {
      const res = await herning.postForm(`/meetings/${meetingId}/followups`, { who: 'Følgegruppen', ...fields });
      assert.equal(res.statusCode, 422, JSON.stringify(fields));
      assert.match(res.body, message);
      assert.match(res.body, /value="Følgegruppen"/, 'typed input kept');
    }
    // An agenda item of another meeting is not one of this meeting's.
    const other = (await t.db.query<{ id: string }>(`SELECT id FROM agenda_items WHERE meeting_id <> $1 AND deleted_at IS NULL LIMIT 1`, [meetingId]))[0];
    if (other) assert.equal((await herning.postForm(`/meetings/${meetingId}/followups`, { agendaItemId: other.id, what: 'x', actionId: bc2 })).statusCode, 422);
    assert.equal((await herning.postForm(`/followups/${(await followupIds())[0]}/state`, { state: 'finished' })).statusCode, 422);
    assert.deepEqual(await snap(), before);
  });

  test('adding an item linked to an action, then marking it done; the action lists the meeting', async () => {
    const ok = await herning.postForm(`/meetings/${meetingId}/followups`, { agendaItemId: item139, what: 'Status på energirenoveringen', who: 'Følgegruppen', dueDate: '2020-10-31', state: 'open', actionId: bc2 });
    assert.equal(ok.statusCode, 303, ok.body);
    assert.match(ok.headers.location as string, new RegExp(`^/meetings/${meetingId}#followup-`));
    const id = (ok.headers.location as string).split('#followup-')[1]!;
    const page = await anon.get(`/meetings/${meetingId}`);
    assert.match(page.body, /Status på energirenoveringen/);
    assert.match(page.body, new RegExp(`href="/actions/${bc2}"`));
    assert.match((await anon.get(`/actions/${bc2}`)).body, /Status på energirenoveringen/);
    const done = await herning.postForm(`/followups/${id}/state`, { state: 'done' });
    assert.equal(done.statusCode, 303);
    const f = (await anon.api('GET', `/api/followups?meeting=${meetingId}`)).json().items.find((x: { id: string }) => x.id === id);
    assert.equal(f.state, 'done');
    const patched = await herning.api('PATCH', `/api/followups/${id}`, { state: 'cancelled' });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().state, 'cancelled');
  });

  test('a follow-up of a closed item is shown only to those who may read closed content', async () => {
    const res = await herning.api('POST', '/api/followups', { agendaItemId: item140, what: 'Fortrolig opfølgning på forhandlingen', actionId: bc2 });
    assert.equal(res.statusCode, 201, res.body);
    for (const u of [`/meetings/${meetingId}`, `/api/followups?meeting=${meetingId}`, `/actions/${bc2}`, `/api/actions/${bc2}`]) {
      for (const who of [anon, hurdal]) assert.ok(!(await who.get(u)).body.includes('Fortrolig opfølgning'), `${u} leaks a closed item's follow-up`);
    }
    assert.ok((await herning.get(`/meetings/${meetingId}`)).body.includes('Fortrolig opfølgning'), 'the organiser sees it');
  });

  test('permission matrix of the meeting page’s form writes: 401, 403, CSRF, 404, and nothing changes', async () => {
    const id = (await followupIds())[0]!;
    const before = await snap();
    const fu = { agendaItemId: item139, what: 'Følg op', actionId: bc2 };
    assert.equal((await anon.postForm(`/meetings/${meetingId}/followups`, fu)).statusCode, 401);
    assert.equal((await hurdal.postForm(`/meetings/${meetingId}/followups`, fu)).statusCode, 403);
    assert.equal((await herning.postForm(`/meetings/${meetingId}/followups`, fu, { csrf: false })).statusCode, 403);
    assert.equal((await herning.postForm(`/meetings/${MISSING}/followups`, fu)).statusCode, 404);
    assert.equal((await anon.postForm(`/followups/${id}/state`, { state: 'done' })).statusCode, 401);
    assert.equal((await hurdal.postForm(`/followups/${id}/state`, { state: 'done' })).statusCode, 403);
    assert.equal((await herning.postForm(`/followups/${id}/state`, { state: 'done' }, { csrf: false })).statusCode, 403);
    assert.equal((await herning.postForm(`/followups/${MISSING}/state`, { state: 'done' })).statusCode, 404);
    assert.deepEqual(await snap(), before);
    const routes = t.app.writeRoutes.filter((r) => /^\/(meetings\/:id\/followups|followups)/.test(r.url)).map((r) => r.url).sort();
    assert.deepEqual(routes, ['/followups/:id/state', '/meetings/:id/followups'], 'every follow-up form route is in this matrix');
  });
});

async function followupIds() {
  return (await t.db.query<{ id: string }>(`SELECT id FROM plan_followups WHERE meeting_id = $1 ORDER BY created_at`, [meetingId])).map((r) => r.id);
}
