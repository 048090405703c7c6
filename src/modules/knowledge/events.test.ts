import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, drainJobs, snapshot, type Agent, type TestApp } from '../../../test/helpers.js';
import { systemActor } from '../../platform/audit.js';
import { directory } from '../directory/index.js';
import { publishEvent, saveEvent } from './events.js';

let t: TestApp;
let editor: Agent;
let outsider: Agent;
let anon: Agent;
let netId: string;
const TABLES = ['knowledge_events', 'knowledge_event_organisers', 'knowledge_event_items', 'knowledge_event_files', 'knowledge_event_registrations', 'audit_events', 'search_documents'];

const future = (days: number, hour = 9) => {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};

before(async () => {
  t = await createTestApp();
  const sys = systemActor('test');
  netId = (await directory.createOrganisation(t.db, sys, { name: 'Hållbar utveckling Väst', slug: 'huv', kind: 'network', lang: 'sv', description: '' })).id;
  await directory.createOrganisation(t.db, sys, { name: 'Annan förening', slug: 'annan', kind: 'ngo', lang: 'sv', description: '' });
  await t.makeUser({ email: 'editor@example.org', roles: { huv: 'editor' } });
  await t.makeUser({ email: 'outsider@example.org', roles: { annan: 'editor' } });
  editor = await t.agent('editor@example.org');
  outsider = await t.agent('outsider@example.org');
  anon = await t.agent();
});
after(() => t.close());

const webinar = (over: Record<string, unknown> = {}) => ({
  kind: 'webinar',
  title: 'Webbinarium om PACT-verktyget',
  description: 'Hur kommuner kan använda PACT för att prioritera klimatåtgärder.',
  lang: 'sv',
  start: future(10, 8),
  end: future(10, 10),
  timeZone: 'Europe/Stockholm',
  onlineUrl: 'https://meet.example.org/pact',
  organisationIds: [netId],
  registrationOpen: true,
  capacity: 1,
  sdgGoals: [13],
  ...over,
});

async function published(over: Record<string, unknown> = {}) {
  const res = await editor.api('POST', '/api/events', webinar(over));
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().id as string;
  assert.equal((await editor.api('POST', `/api/events/${id}/publication`, { publish: true })).statusCode, 200);
  return id;
}

describe('events', () => {
  test('bad input: an event that ends before it starts, or with neither place nor link: 422 naming the field, nothing written', async () => {
    const before = await snapshot(t.db, TABLES);
    const r1 = await editor.api('POST', '/api/events', webinar({ end: future(9) }));
    assert.equal(r1.statusCode, 422);
    assert.ok(r1.json().errors.some((e: { field: string }) => e.field === 'endsAt'));
    const r2 = await editor.api('POST', '/api/events', webinar({ onlineUrl: undefined }));
    assert.equal(r2.statusCode, 422);
    assert.ok(r2.json().errors.some((e: { field: string }) => e.field === 'place'));
    const r3 = await editor.api('POST', '/api/events', webinar({ start: 'tomorrow' }));
    assert.equal(r3.statusCode, 422);
    const form = await editor.postForm('/events', { kind: 'gathering', title: 'Träff', lang: 'sv', startsAt: '2026-06-15T10:00', endsAt: '2026-06-15T09:00', timeZone: 'Europe/Oslo', place: 'Hurdal', organisationIds: netId });
    assert.equal(form.statusCode, 422);
    assert.match(form.body, /must end after it starts/);
    assert.deepEqual(await snapshot(t.db, TABLES), before);
  });

  test('a form-made gathering keeps its wall-clock time in its own zone', async () => {
    const res = await editor.postForm('/events', { kind: 'gathering', title: 'Samling i Hurdal', lang: 'nb', startsAt: '2026-06-15T10:00', endsAt: '2026-06-15T15:30', timeZone: 'Europe/Oslo', place: 'Hurdal', organisationIds: netId });
    assert.equal(res.statusCode, 303, res.body);
    const id = String(res.headers.location).split('/').pop();
    const e = (await editor.api('GET', `/api/events/${id}`)).json();
    assert.equal(e.startsAt, '2026-06-15T08:00:00.000Z');
    assert.equal(e.status, 'draft');
    assert.equal((await anon.get(`/events/${id}`)).statusCode, 404, 'a draft is not public');
  });

  test('a published webinar: pages, calendar, registration with capacity, participants only for organisers, sign-off', async () => {
    const id = await published();
    const page = await anon.get(`/events/${id}`);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('Webbinarium om PACT-verktyget'));
    assert.ok((await anon.get('/events')).body.includes('Webbinarium om PACT'));
    assert.ok((await anon.get('/organisations/huv')).body.includes('Webbinarium om PACT'));
    const ics = await anon.get(`/events/${id}/calendar.ics`);
    assert.match(String(ics.headers['content-type']), /text\/calendar/);
    assert.match(ics.body, /SUMMARY:Webbinarium om PACT-verktyget/);
    assert.match((await anon.get('/events/feeds/huv')).body, /BEGIN:VEVENT/);

    await drainJobs(t);
    const sent = t.mailer.sent.length;
    const reg = await anon.postForm(`/events/${id}/register`, { name: 'Per Persson', email: 'per@example.org', organisationName: 'Hurdal kommune' });
    assert.equal(reg.statusCode, 303, reg.body);
    await drainJobs(t);
    const mail = t.mailer.sent[sent]!;
    assert.equal(mail.to, 'per@example.org');
    const token = /\/events\/signoff\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    // Full now: a second sign-up is refused and nothing is written.
    const before = await snapshot(t.db, TABLES);
    const full = await anon.postForm(`/events/${id}/register`, { name: 'Kari', email: 'kari@example.org' });
    assert.equal(full.statusCode, 409);
    assert.match(full.body, /full/i);
    assert.equal((await anon.api('POST', `/api/events/${id}/registrations`, { name: 'Kari', email: 'kari@example.org' })).statusCode, 409);
    assert.equal((await anon.api('POST', `/api/events/${id}/registrations`, { name: '', email: 'not-an-email' })).statusCode, 422);
    assert.deepEqual(await snapshot(t.db, TABLES), before);
    // Participants: organisers only.
    assert.equal((await anon.get(`/events/${id}/participants`)).statusCode, 401);
    assert.equal((await outsider.get(`/events/${id}/participants`)).statusCode, 403);
    assert.equal((await outsider.api('GET', `/api/events/${id}/registrations`)).statusCode, 403);
    const list = await editor.get(`/events/${id}/participants`);
    assert.ok(list.body.includes('per@example.org'));
    assert.ok(!page.body.includes('per@example.org') && !(await anon.get(`/events/${id}`)).body.includes('per@example.org'));
    // Sign off by the link: the place is free again.
    assert.equal((await anon.get(`/events/signoff/${token}`)).statusCode, 200);
    assert.equal((await anon.postForm(`/events/signoff/${token}`, {})).statusCode, 200);
    assert.equal((await anon.api('POST', `/api/events/${id}/registrations`, { name: 'Kari', email: 'kari@example.org' })).statusCode, 201);
    assert.equal((await anon.get('/events/signoff/not-a-real-token-at-all')).statusCode, 400);
  });

  test('registration past the deadline, or after the event: a clear refusal', async () => {
    const late = await published({ capacity: null, registrationDeadline: new Date(Date.now() - 86_400_000).toISOString() });
    const r = await anon.postForm(`/events/${late}/register`, { name: 'Sen', email: 'sen@example.org' });
    assert.equal(r.statusCode, 409);
    assert.match(r.body, /deadline/i);
    const over = await published({ start: '2024-03-01T09:00:00+01:00', end: '2024-03-01T10:00:00+01:00', capacity: null });
    assert.equal((await anon.api('POST', `/api/events/${over}/registrations`, { name: 'Sen', email: 'sen@example.org' })).statusCode, 409);
  });

  test('programme with a presentation, then a recording and materials: found by a word from the materials', async () => {
    const id = await published({ capacity: null, title: 'Webbinarium: klimatfärdplaner' });
    assert.equal((await editor.postForm(`/events/${id}/items`, { title: 'Så arbetar Hurdal', speakerName: 'Ola Nordmann', speakerOrganisationId: netId, slidesUrl: 'https://example.org/slides' })).statusCode, 303);
    const item = (await editor.api('GET', `/api/events/${id}`)).json().programme[0];
    assert.equal(item.speakerName, 'Ola Nordmann');
    const up = await editor.postMultipart(`/events/${id}/files`, { role: 'presentation', itemId: item.id, title: 'Hurdals presentation' }, [{ name: 'file', filename: 'hurdal.txt', content: Buffer.from('Hurdal bygger en fossilfri vedfyringssentral.') }]);
    assert.equal(up.statusCode, 303, up.body);
    const mat = await editor.postMultipart(`/events/${id}/files`, { role: 'material', title: 'Handledning' }, [{ name: 'file', filename: 'handledning.txt', content: Buffer.from('Handledningen beskriver utsläppsbudgetar och koldioxidbudgeten steg för steg.') }]);
    assert.equal(mat.statusCode, 303, mat.body);
    assert.equal((await editor.postForm(`/events/${id}/recording`, { recordingUrl: 'https://video.example.org/pact' })).statusCode, 303);
    const badUrl = await editor.postForm(`/events/${id}/recording`, { recordingUrl: 'javascript:alert(1)' });
    assert.equal(badUrl.statusCode, 422);
    const e = (await anon.api('GET', `/api/events/${id}`)).json();
    assert.equal(e.recordingUrl, 'https://video.example.org/pact');
    assert.equal(e.files.length, 2);
    const file = await anon.get(e.files[1].url);
    assert.equal(file.statusCode, 200);
    const s = (await anon.api('GET', '/api/search?q=koldioxidbudget')).json();
    assert.deepEqual(s.items.map((i: { id: string }) => i.id), [id]);
    assert.equal((await anon.api('GET', '/api/search?q=vedfyringssentral')).json().items[0].id, id);
    // An executable posing as a document is refused, nothing written.
    const before = await snapshot(t.db, TABLES);
    const exe = await editor.postMultipart(`/events/${id}/files`, { role: 'material' }, [{ name: 'file', filename: 'x.pdf', content: Buffer.from('MZ\x90\x00not a pdf') }]);
    assert.equal(exe.statusCode, 422);
    assert.deepEqual(await snapshot(t.db, TABLES), before);
  });

  test('a presentation without a programme item is shown on the page; uploaded recordings have a remove button, as materials do', async () => {
    const id = await published({ capacity: null, title: 'Webbinarium: lösa filer' });
    const upload = async (role: string, title: string) => {
      const res = await editor.postMultipart(`/api/events/${id}/files`, { role, title }, [{ name: 'file', filename: `${role}.txt`, content: Buffer.from(`${title}.`) }]);
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; url: string };
    };
    const pres = await upload('presentation', 'Inledande bilder');
    const rec = await upload('recording', 'Inspelad session');
    const remove = (f: { id: string }) => `action="/events/${id}/files/${f.id}/delete"`;
    const page = (await anon.get(`/events/${id}`)).body;
    assert.ok(page.includes(`href="${pres.url}"`) && page.includes('Inledande bilder'), 'the presentation is linked');
    assert.ok(page.includes(`href="${rec.url}"`));
    assert.ok(!page.includes(remove(pres)) && !page.includes(remove(rec)), 'no remove buttons for readers');
    assert.ok(!(await outsider.get(`/events/${id}`)).body.includes(remove(rec)), 'nor for another organisation’s editor');
    const own = (await editor.get(`/events/${id}`)).body;
    assert.ok(own.includes(remove(rec)), 'the recording has a remove button');
    assert.ok(own.includes(remove(pres)), 'so has the presentation');
    assert.equal((await editor.postForm(`/events/${id}/files/${rec.id}/delete`, {})).statusCode, 303);
    assert.ok(!(await anon.get(`/events/${id}`)).body.includes(`href="${rec.url}"`), 'the recording is gone');
  });

  test('the JSON API: programme item, presentation, material and recording upload, recording link; same use cases as the forms', async () => {
    const id = await published({ capacity: null, title: 'Webbinarium: PACT i praktiken' });
    const withItem = await editor.api('POST', `/api/events/${id}/items`, { title: 'Så använder Växjö PACT', speakerName: 'Anna Andersson', speakerOrganisationId: netId, startsAt: future(10, 8), slidesUrl: 'https://example.org/vaxjo' });
    assert.equal(withItem.statusCode, 201, withItem.body);
    const item = withItem.json().programme.find((i: { title: string }) => i.title === 'Så använder Växjö PACT');
    assert.equal(item.speakerName, 'Anna Andersson');
    const pres = await editor.postMultipart(`/api/events/${id}/files`, { role: 'presentation', itemId: item.id, title: 'Växjös bilder' }, [{ name: 'file', filename: 'vaxjo.txt', content: Buffer.from('Växjö prioriterar åtgärder med PACT-verktyget och laddinfrastruktur.') }]);
    assert.equal(pres.statusCode, 201, pres.body);
    assert.equal(pres.json().itemId, item.id);
    const mat = await editor.postMultipart(`/api/events/${id}/files`, { role: 'material', title: 'Övningsblad' }, [{ name: 'file', filename: 'ovning.txt', content: Buffer.from('Övningen handlar om vätgasbussarnas livscykelkostnader.') }]);
    assert.equal(mat.statusCode, 201, mat.body);
    const rec = await editor.postMultipart(`/api/events/${id}/files`, { role: 'recording', title: 'Inspelning' }, [{ name: 'file', filename: 'inspelning.txt', content: Buffer.from('Transkribering av inspelningen.') }]);
    assert.equal(rec.statusCode, 201, rec.body);
    const link = await editor.api('PUT', `/api/events/${id}/recording`, { recordingUrl: 'https://video.example.org/pact-praktiken' });
    assert.equal(link.statusCode, 200, link.body);
    const e = link.json();
    assert.equal(e.recordingUrl, 'https://video.example.org/pact-praktiken');
    assert.deepEqual(e.files.map((f: { role: string }) => f.role).sort(), ['material', 'presentation', 'recording']);
    assert.equal((await anon.get(mat.json().url)).statusCode, 200);
    assert.deepEqual((await anon.api('GET', '/api/search?q=vätgasbussarnas')).json().items.map((i: { id: string }) => i.id), [id]);
    // Bad input: nothing written.
    const before = await snapshot(t.db, TABLES);
    assert.equal((await editor.api('PUT', `/api/events/${id}/recording`, { recordingUrl: 'javascript:alert(1)' })).statusCode, 422);
    assert.equal((await editor.api('POST', `/api/events/${id}/items`, { title: '' })).statusCode, 422);
    assert.equal((await editor.api('POST', `/api/events/${id}/items`, { title: 'Punkt', startsAt: 'soon' })).statusCode, 422);
    assert.equal((await editor.postMultipart(`/api/events/${id}/files`, { role: 'material' }, [{ name: 'file', filename: 'x.pdf', content: Buffer.from('MZ\x90\x00not a pdf') }])).statusCode, 422);
    assert.equal((await editor.postMultipart(`/api/events/${id}/files`, { role: 'slides' }, [{ name: 'file', filename: 'a.txt', content: Buffer.from('a') }])).statusCode, 422);
    assert.equal((await editor.postMultipart(`/api/events/${id}/files`, { role: 'material' }, [])).statusCode, 422);
    assert.deepEqual(await snapshot(t.db, TABLES), before);
    // Removing: the material's text leaves the index with it.
    assert.equal((await editor.api('DELETE', `/api/events/${id}/files/${mat.json().id}`)).statusCode, 204);
    assert.equal((await anon.api('GET', '/api/search?q=vätgasbussarnas')).json().total, 0);
    const gone = await editor.api('DELETE', `/api/events/${id}/items/${item.id}`);
    assert.equal(gone.statusCode, 200);
    assert.ok(!gone.json().programme.some((i: { id: string }) => i.id === item.id));
    assert.ok(!gone.json().files.some((f: { role: string }) => f.role === 'presentation'), 'its presentation goes with it');
  });

  test('a refused sign-up is explained in the reader’s language', async () => {
    const id = await published({ title: 'Svenskt webbinarium', capacity: 2 });
    const sv = await t.agent();
    sv.cookies.set('samverka_lang', 'sv');
    assert.equal((await sv.postForm(`/events/${id}/register`, { name: 'Per', email: 'per.sv@example.org' })).statusCode, 303);
    const again = await sv.postForm(`/events/${id}/register`, { name: 'Per', email: 'PER.sv@example.org' });
    assert.equal(again.statusCode, 409);
    assert.ok(again.body.includes('E-postadressen är redan anmäld') && !again.body.includes('already registered'), 'already registered, in Swedish');
    assert.equal((await sv.postForm(`/events/${id}/register`, { name: 'Kari', email: 'kari.sv@example.org' })).statusCode, 303);
    const full = await sv.postForm(`/events/${id}/register`, { name: 'Lisa', email: 'lisa.sv@example.org' });
    assert.equal(full.statusCode, 409);
    assert.ok(full.body.includes('Evenemanget är fullt') && !full.body.includes('The event is full'), 'full, in Swedish');
    // The form is gone once the event is full: the refusal links to no field that is not on the page.
    for (const [, target] of full.body.matchAll(/href="#([^"]+)"/g)) assert.ok(full.body.includes(`id="${target}"`), `a link to #${target}, which is not on the page`);
  });

  test('the past events pager names its links in words', async () => {
    const sys = systemActor('test');
    const past = (days: number, hour: number) => new Date(Date.now() - days * 86_400_000 + hour * 3_600_000);
    for (let i = 1; i <= 21; i++) {
      const e = await saveEvent(t.db, sys, null, { kind: 'course', title: `Kurs ${i}`, lang: 'sv', startsAt: past(i, 0), endsAt: past(i, 1), place: 'Borås', organisationIds: [netId] });
      await publishEvent(t.db, sys, e.id, { publish: true });
    }
    assert.match((await anon.get('/events')).body, /<a class="ds-link" rel="next" href="\/events\?page=2">Next<\/a>/);
    assert.match((await anon.get('/events?page=2')).body, /<a class="ds-link" rel="prev" href="\/events\?page=1">Previous<\/a>/);
  });

  test('co-organisers: an editor adds only bodies they manage, and the edit form keeps the others', async () => {
    const annanId = (await directory.getOrganisation(t.db.orm, 'annan')).id;
    const before = await snapshot(t.db, TABLES);
    assert.equal((await editor.api('POST', '/api/events', webinar({ title: 'Samarrangemang', organisationIds: [netId, annanId] }))).statusCode, 403);
    assert.equal((await outsider.api('POST', '/api/events', webinar({ title: 'Samarrangemang', organisationIds: [annanId, netId] }))).statusCode, 403);
    assert.deepEqual(await snapshot(t.db, TABLES), before);
    // Made by someone who manages both, the event has both organisers; each side's editors keep the other.
    const ev = await saveEvent(t.db, systemActor('test'), null, { kind: 'gathering', title: 'Gemensam träff', lang: 'sv', startsAt: new Date(future(20, 8)), endsAt: new Date(future(20, 10)), place: 'Borås', organisationIds: [netId, annanId] });
    const form = (await editor.get(`/events/${ev.id}/edit`)).body;
    assert.match(form, new RegExp(`<option value="${annanId}" selected`), 'the co-organiser is offered, selected');
    assert.match(form, new RegExp(`<option value="${netId}" selected`));
    const put = await editor.api('PUT', `/api/events/${ev.id}`, webinar({ title: 'Gemensam träff', organisationIds: [netId, annanId] }));
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual(put.json().organisers.map((o: { id: string }) => o.id), [netId, annanId]);
  });

  test('write permission matrix: 401, 403 without CSRF, 403 for outsiders, 404; nothing changes; every write route covered', async () => {
    const id = await published({ title: 'Matrisevenemang', capacity: null });
    assert.equal((await editor.postForm(`/events/${id}/items`, { title: 'Punkt' })).statusCode, 303);
    await editor.postMultipart(`/events/${id}/files`, { role: 'material' }, [{ name: 'file', filename: 'm.txt', content: Buffer.from('material') }]);
    const ev = (await editor.api('GET', `/api/events/${id}`)).json();
    const itemId = ev.programme[0].id as string;
    const fileId = ev.files[0].id as string;
    const missing = '00000000-0000-4000-8000-000000000000';
    type C = { route: string; method: 'POST' | 'PUT' | 'DELETE'; url: string; body?: Record<string, unknown>; form?: boolean; multipart?: boolean; open?: boolean };
    const cases: C[] = [
      { route: 'POST /api/events', method: 'POST', url: '/api/events', body: webinar() },
      { route: 'PUT /api/events/:id', method: 'PUT', url: `/api/events/${id}`, body: webinar() },
      { route: 'POST /api/events/:id/publication', method: 'POST', url: `/api/events/${id}/publication`, body: { publish: false } },
      { route: 'DELETE /api/events/:id', method: 'DELETE', url: `/api/events/${id}` },
      { route: 'POST /api/events/:id/items', method: 'POST', url: `/api/events/${id}/items`, body: { title: 'Y' } },
      { route: 'DELETE /api/events/:id/items/:itemId', method: 'DELETE', url: `/api/events/${id}/items/${itemId}` },
      { route: 'PUT /api/events/:id/recording', method: 'PUT', url: `/api/events/${id}/recording`, body: { recordingUrl: 'https://v.example.org' } },
      { route: 'POST /api/events/:id/files', method: 'POST', url: `/api/events/${id}/files`, body: { role: 'material' }, multipart: true },
      { route: 'DELETE /api/events/:id/files/:fileId', method: 'DELETE', url: `/api/events/${id}/files/${fileId}` },
      { route: 'POST /events', method: 'POST', url: '/events', body: { kind: 'webinar', title: 'X', lang: 'sv', startsAt: '2030-01-01T10:00', endsAt: '2030-01-01T11:00', onlineUrl: 'https://x.example', organisationIds: netId }, form: true },
      { route: 'POST /events/:id/edit', method: 'POST', url: `/events/${id}/edit`, body: { kind: 'webinar', title: 'X', lang: 'sv', startsAt: '2030-01-01T10:00', endsAt: '2030-01-01T11:00', onlineUrl: 'https://x.example', organisationIds: netId }, form: true },
      { route: 'POST /events/:id/publish', method: 'POST', url: `/events/${id}/publish`, body: { publish: 'false' }, form: true },
      { route: 'POST /events/:id/delete', method: 'POST', url: `/events/${id}/delete`, body: {}, form: true },
      { route: 'POST /events/:id/items', method: 'POST', url: `/events/${id}/items`, body: { title: 'Y' }, form: true },
      { route: 'POST /events/:id/items/:itemId/delete', method: 'POST', url: `/events/${id}/items/${itemId}/delete`, body: {}, form: true },
      { route: 'POST /events/:id/files', method: 'POST', url: `/events/${id}/files`, body: { role: 'material' }, multipart: true },
      { route: 'POST /events/:id/files/:fileId/delete', method: 'POST', url: `/events/${id}/files/${fileId}/delete`, body: {}, form: true },
      { route: 'POST /events/:id/recording', method: 'POST', url: `/events/${id}/recording`, body: { recordingUrl: 'https://v.example.org' }, form: true },
    ];
    const send = (a: Agent, c: C, url = c.url, csrf = true) =>
      c.multipart
        ? a.postMultipart(url, c.body as Record<string, string>, [{ name: 'file', filename: 'n.txt', content: Buffer.from('new') }], { csrf })
        : c.form
          ? a.postForm(url, c.body as Record<string, string>, { csrf })
          : a.api(c.method, url, c.body, { csrf });
    const before = await snapshot(t.db, TABLES);
    for (const c of cases) {
      assert.equal((await send(anon, c)).statusCode, 401, `${c.route} anonymous`);
      assert.equal((await send(editor, c, c.url, false)).statusCode, 403, `${c.route} without CSRF`);
      assert.equal((await send(outsider, c)).statusCode, 403, `${c.route} outsider`);
      if (c.url.includes(id)) assert.equal((await send(editor, c, c.url.replace(id, missing))).statusCode, 404, `${c.route} unknown event`);
    }
    assert.deepEqual(await snapshot(t.db, TABLES), before);
    // Sign-ups and sign-offs are open to everyone and tested above; they still need the CSRF token.
    assert.equal((await anon.api('POST', `/api/events/${id}/registrations`, { name: 'A', email: 'a@example.org' }, { csrf: false })).statusCode, 403);
    const covered = new Set([...cases.map((c) => c.route), 'POST /api/events/:id/registrations', 'POST /events/:id/register', 'POST /events/signoff/:token']);
    const routes = t.app.writeRoutes.filter((r) => /^\/(api\/)?events(\/|$)/.test(r.url)).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(routes.filter((r) => !covered.has(r)), []);
  });

  test('a draft is not found by outsiders, for writes and the participant list too; a published event is theirs to read, not to change', async () => {
    const draft = (await editor.api('POST', '/api/events', webinar({ title: 'Hemligt utkast' }))).json().id as string;
    const before = await snapshot(t.db, TABLES);
    for (const [method, url, body] of [
      ['GET', `/api/events/${draft}/registrations`, undefined],
      ['PUT', `/api/events/${draft}`, webinar({ title: 'Ändrat' })],
      ['POST', `/api/events/${draft}/publication`, { publish: true }],
      ['DELETE', `/api/events/${draft}`, undefined],
    ] as const) {
      assert.equal((await outsider.api(method, url, body)).statusCode, 404, `${method} ${url}`);
      assert.equal((await anon.api(method, url, body)).statusCode, 401, `anonymous ${method} ${url}`);
    }
    assert.equal((await outsider.get(`/events/${draft}/participants`)).statusCode, 404);
    assert.deepEqual(await snapshot(t.db, TABLES), before);
    const open = await published({ title: 'Öppet webbinarium' });
    assert.equal((await outsider.api('GET', `/api/events/${open}/registrations`)).statusCode, 403);
    assert.equal((await outsider.api('PUT', `/api/events/${open}`, webinar({ title: 'Ändrat' }))).statusCode, 403);
  });

  test('an editor sees all of their draft events on /events, however many drafts other organisations have', async () => {
    const res = await editor.api('POST', '/api/events', webinar({ title: 'Utkast bland många evenemang' }));
    assert.equal(res.statusCode, 201, res.body);
    const other = (await directory.getOrganisation(t.db.orm, 'annan')).id;
    // 201 drafts of another organisation that start sooner: they came first among everyone's drafts.
    await t.db.query(
      `WITH e AS (INSERT INTO knowledge_events (kind, title, lang, starts_at, ends_at) SELECT 'webinar', 'Annans evenemang ' || g, 'sv', now(), now() + interval '1 hour' FROM generate_series(1, 201) g RETURNING id)
       INSERT INTO knowledge_event_organisers (event_id, organisation_id) SELECT id, $1 FROM e`,
      [other],
    );
    const page = (await editor.get('/events')).body;
    assert.ok(page.includes('Utkast bland många evenemang'), 'the editor’s own draft is listed');
    assert.ok(!page.includes('Annans evenemang'), 'another organisation’s drafts are not');
    assert.ok(!(await outsider.get('/events')).body.includes('Utkast bland många evenemang'));
  });
});
