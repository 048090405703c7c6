import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import { XMLParser } from 'fast-xml-parser';
import { countRows, snapshot } from '../../../test/helpers.js';
import { createMeetingsTestApp, postMultipart, type MeetingsTestApp } from '../../../test/fixtures/meetings/app.js';
import { elfBytes, peBytes, tinyDocx, tinyPdf } from '../../../test/fixtures/meetings/make.js';
import { simplePdf } from './pdf.js';

/** Only the demo's closed item contains this word. */
const SECRET = 'Fortroligt';
const MEETING_TABLES = ['meetings', 'meeting_organisations', 'meeting_participants', 'agenda_items', 'cases', 'case_referrals', 'meeting_files', 'audit_events'];

let t: MeetingsTestApp;
let okeMeetingId: string;
let closedItemId: string;
let wgMeetingId: string;

function filesOnDisk(): string[] {
  try {
    return readdirSync(path.join(t.config.dataDir, 'files'), { recursive: true }).map(String).sort();
  } catch {
    return [];
  }
}

before(async () => {
  t = await createMeetingsTestApp();
  await t.makeUser('editor@oke.dk', { 'okonomi-og-erhvervsudvalget': 'editor' });
  await t.makeUser('member@oke.dk', { 'okonomi-og-erhvervsudvalget': 'member' });
  await t.makeUser('editor@wg.se', { 'miljostrategisk-arbetsgrupp': 'editor' });
  await t.makeUser('outsider@example.org', { 'another-network': 'admin' });
  const anon = await t.agent();
  const list = JSON.parse((await anon.get('/api/meetings?organisation=herning-kommune')).body);
  okeMeetingId = list.items[0].id;
  const m = JSON.parse((await anon.get(`/api/meetings/${okeMeetingId}`)).body);
  closedItemId = m.items.find((i: { public: boolean }) => !i.public).id;
  wgMeetingId = JSON.parse((await anon.get('/api/meetings?organisation=miljostrategisk-arbetsgrupp')).body).items[0].id;
});
after(async () => t?.close());

describe('public pages', () => {
  test('the Herning meeting shows item 139 with its case and decision, and the closed item by title only', async () => {
    const anon = await t.agent();
    const res = await anon.get(`/meetings/${okeMeetingId}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /00\.16\.02-A00-1-19/);
    assert.match(res.body, /Indstillingen er tiltrådt/);
    assert.match(res.body, /Lukket punkt/);
    assert.ok(!res.body.includes(SECRET));
    const item = await anon.get(`/meetings/${okeMeetingId}/items/${closedItemId}`);
    assert.equal(item.statusCode, 200);
    assert.ok(!item.body.includes(SECRET));
    for (const url of [`/meetings/${okeMeetingId}/agenda`, `/meetings/${okeMeetingId}/minutes`, '/meetings', '/meetings/bodies/okonomi-og-erhvervsudvalget', '/meetings/bodies/herning-kommune']) {
      const r = await anon.get(url);
      assert.equal(r.statusCode, 200, url);
      assert.ok(!r.body.includes(SECRET), url);
    }
  });

  test('printable views carry the print stylesheet', async () => {
    const anon = await t.agent();
    const res = await anon.get(`/meetings/${okeMeetingId}/minutes`);
    assert.match(res.body, /\/meetings\/assets\/print\.css/);
    const css = await anon.get('/meetings/assets/print.css');
    assert.equal(css.statusCode, 200);
    assert.match(css.body, /@media print/);
  });

  test('members of the body see the closed item’s content; outsiders do not', async () => {
    const member = await t.agent('member@oke.dk');
    assert.ok((await member.get(`/meetings/${okeMeetingId}/items/${closedItemId}`)).body.includes(SECRET));
    assert.ok((await member.api('GET', `/api/meetings/${okeMeetingId}`)).body.includes(SECRET));
    const outsider = await t.agent('outsider@example.org');
    assert.ok(!(await outsider.get(`/meetings/${okeMeetingId}/items/${closedItemId}`)).body.includes(SECRET));
    assert.ok(!(await outsider.api('GET', `/api/meetings/${okeMeetingId}`)).body.includes(SECRET));
  });

  test('the working group page lists meetings, latest minutes and Vänersborg’s follow-up document', async () => {
    const res = await (await t.agent()).get('/meetings/bodies/miljostrategisk-arbetsgrupp');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Uppföljningsdokument från Vänersborg/);
    assert.match(res.body, /uppföljning av miljömål och indikatorer/);
  });

  test('unknown and malformed ids give 404', async () => {
    const anon = await t.agent();
    for (const url of ['/meetings/00000000-0000-4000-8000-000000000000', '/meetings/not-a-uuid', `/meetings/${okeMeetingId}/items/nope`, '/api/meetings/nope', '/meetings/files/nope/download', '/oparl/v1/meetings/nope', '/oparl/v1/bodies/00000000-0000-4000-8000-000000000000', '/meetings/bodies/no-such-org/feed.atom']) {
      assert.equal((await anon.get(url)).statusCode, 404, url);
    }
  });
});

describe('feeds and calendars', () => {
  test('every .ics parses with ical.js and carries the join link and location', async () => {
    const anon = await t.agent();
    for (const url of [`/meetings/${okeMeetingId}/calendar.ics`, `/meetings/${wgMeetingId}/calendar.ics`, '/meetings/bodies/herning-kommune/calendar.ics', '/meetings/bodies/kommunnatverket-for-hallbar-utveckling/calendar.ics', '/meetings/bodies/another-network/calendar.ics']) {
      const res = await anon.get(url);
      assert.equal(res.statusCode, 200, url);
      assert.match(res.headers['content-type'] as string, /^text\/calendar/);
      assert.ok(!res.body.includes(SECRET), url);
      assert.ok(!/[^\r]\n/.test(res.body), `${url}: CRLF line endings`);
      for (const line of res.body.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `${url}: line too long: ${line}`);
      const comp = new ICAL.Component(ICAL.parse(res.body));
      assert.equal(comp.name, 'vcalendar');
    }
    const wg = new ICAL.Component(ICAL.parse((await anon.get(`/meetings/${wgMeetingId}/calendar.ics`)).body));
    const ev = new ICAL.Event(wg.getFirstSubcomponent('vevent')!);
    assert.match(ev.location, /Vänersborg/);
    assert.equal(ev.startDate.toJSDate().toISOString(), '2020-09-10T07:30:00.000Z');
    assert.match(ev.uid, new RegExp(wgMeetingId));
    const herning = new ICAL.Component(ICAL.parse((await anon.get('/meetings/bodies/herning-kommune/calendar.ics')).body));
    assert.equal(herning.getAllSubcomponents('vevent').length, 1);
  });

  test('the Atom feed parses and lists published agendas and minutes', async () => {
    const res = await (await t.agent()).get('/meetings/bodies/herning-kommune/feed.atom', { 'accept-language': 'da' });
    assert.equal(res.statusCode, 200);
    assert.ok(!res.body.includes(SECRET));
    const doc = new XMLParser({ ignoreAttributes: false }).parse(res.body);
    const entries = [doc.feed.entry].flat();
    assert.equal(entries.length, 2);
    assert.deepEqual(entries.map((e: { category: { '@_term': string } }) => e.category['@_term']).sort(), ['agenda', 'minutes']);
    const minutes = entries.find((e: { category: { '@_term': string } }) => e.category['@_term'] === 'minutes');
    assert.match(minutes.content['#text'], /Indstillingen er tiltrådt/);
    assert.match(minutes.content['#text'], /Lukket punkt/);
  });
});

describe('OParl', () => {
  test('a crawl of the whole API never meets closed content and every link resolves', async () => {
    const anon = await t.agent();
    const base = t.config.publicUrl;
    const seen = new Set<string>();
    const queue = [`${base}/oparl/v1/`];
    const downloads = new Set<string>();
    while (queue.length && seen.size < 400) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const res = await anon.get(url.slice(base.length));
      assert.equal(res.statusCode, 200, url);
      assert.ok(!res.body.includes(SECRET), url);
      assert.equal(res.headers['access-control-allow-origin'], '*');
      for (const m of res.body.matchAll(/"(https?:\/\/[^"]+)"/g)) {
        const link = m[1]!;
        if (link.startsWith(`${base}/oparl/v1/`)) queue.push(link);
        else if (link.includes('/download')) downloads.add(link);
      }
    }
    assert.ok(seen.size > 20, `crawled ${seen.size}`);
    assert.ok(downloads.size >= 2);
    for (const d of downloads) {
      const res = await anon.get(d.slice(base.length));
      assert.equal(res.statusCode, 200, d);
      assert.ok(!res.rawPayload.toString('latin1').includes(SECRET), d);
    }
  });

  test('lists paginate and filter by modification time', async () => {
    const anon = await t.agent();
    const bodies = JSON.parse((await anon.get('/oparl/v1/bodies')).body);
    assert.equal(bodies.data.length, 2);
    const herning = bodies.data.find((b: { name: string }) => b.name === 'Herning Kommune');
    const items = JSON.parse((await anon.get(`/oparl/v1/bodies/${herning.id.split('/').pop()}/agenda-items?limit=1`)).body);
    assert.equal(items.pagination.totalElements, 2);
    assert.equal(items.pagination.totalPages, 2);
    assert.equal(items.data.length, 1);
    assert.ok(items.links.next.includes('page=2'));
    const future = JSON.parse((await anon.get(`/oparl/v1/bodies/${herning.id.split('/').pop()}/meetings?modified_since=2999-01-01T00:00:00Z`)).body);
    assert.equal(future.data.length, 0);
    const bad = await anon.get(`/oparl/v1/bodies/${herning.id.split('/').pop()}/meetings?created_since=yesterday`);
    assert.equal(bad.statusCode, 422);
  });

  test('a removed meeting stays as deleted: true', async () => {
    const editor = await t.agent('editor@wg.se');
    const created = await editor.api('POST', '/api/meetings', { title: 'Att ta bort', start: '2031-01-01T09:00:00+01:00', organisationIds: [t.orgs.wg.id] });
    assert.equal(created.statusCode, 201, created.body);
    const id = JSON.parse(created.body).id;
    assert.equal((await editor.api('DELETE', `/api/meetings/${id}`)).statusCode, 200);
    const o = JSON.parse((await (await t.agent()).get(`/oparl/v1/meetings/${id}`)).body);
    assert.equal(o.deleted, true);
    assert.equal((await (await t.agent()).get(`/meetings/${id}`)).statusCode, 404);
  });
});

describe('files', () => {
  test('a closed item’s file downloads for members only', async () => {
    const editor = await t.agent('editor@oke.dk');
    const res = await postMultipart(editor, `/api/meetings/${okeMeetingId}/files`, { agendaItemId: closedItemId, role: 'attachment' }, { data: tinyPdf('Fortroligt bilag'), name: 'bilag.pdf' }, { accept: 'application/json' });
    assert.equal(res.statusCode, 201, res.body);
    const file = JSON.parse(res.body);
    assert.equal((await (await t.agent()).get(`/meetings/files/${file.id}/download`)).statusCode, 404);
    assert.equal((await (await t.agent('outsider@example.org')).get(`/meetings/files/${file.id}/download`)).statusCode, 404);
    const ok = await (await t.agent('member@oke.dk')).get(`/meetings/files/${file.id}/download`);
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.headers['content-type'], 'application/pdf');
    assert.match(String(ok.headers['cache-control']), /no-store/);
  });

  test('rejected uploads (wrong type, too large, renamed executable, no permission) store nothing', async () => {
    const [editor, outsider, anon] = [await t.agent('editor@wg.se'), await t.agent('outsider@example.org'), await t.agent()];
    const before = await snapshot(t.db, MEETING_TABLES);
    const disk = filesOnDisk();
    const big = simplePdf([Array.from({ length: 60 }, (_, i) => `Rad ${i} `.repeat(20))]);
    const cases: [string, { data: Uint8Array; name: string }, number][] = [
      ['renamed ELF', { data: elfBytes(), name: 'minnesanteckningar.pdf' }, 422],
      ['renamed EXE', { data: peBytes(), name: 'rapport.docx' }, 422],
      ['HTML', { data: new TextEncoder().encode('<html><script>alert(1)</script></html>\u0000'), name: 'a.txt' }, 422],
      ['mismatch', { data: tinyDocx(), name: 'sheet.xlsx' }, 422],
    ];
    for (const [label, file, status] of cases) {
      const res = await postMultipart(editor, `/meetings/${wgMeetingId}/files`, { role: 'attachment' }, file);
      assert.equal(res.statusCode, status, label);
      assert.match(res.body, /aria-invalid="true"/, label);
    }
    // Over the configured limit but within the body limit: a form error. Far over it: 413 before reading.
    const small = await createMeetingsTestApp({ config: { UPLOAD_MAX_BYTES: '2048' }, demo: false });
    try {
      await small.makeUser('e@wg.se', { 'miljostrategisk-arbetsgrupp': 'editor' });
      const a = await small.agent('e@wg.se');
      const m = await a.api('POST', '/api/meetings', { title: 'Liten', start: '2031-02-01T09:00:00+01:00', organisationIds: [small.orgs.wg.id] });
      const mid = JSON.parse(m.body).id;
      const snap = await snapshot(small.db, MEETING_TABLES);
      assert.ok(big.byteLength > 2048);
      assert.equal((await postMultipart(a, `/meetings/${mid}/files`, {}, { data: big, name: 'stor.pdf' })).statusCode, 422);
      const huge = new Uint8Array(600 * 1024).fill(65);
      assert.equal((await postMultipart(a, `/api/meetings/${mid}/files`, {}, { data: huge, name: 'huge.txt' }, { accept: 'application/json' })).statusCode, 413);
      assert.deepEqual(await snapshot(small.db, MEETING_TABLES), snap);
    } finally {
      await small.close();
    }
    assert.equal((await postMultipart(outsider, `/api/meetings/${wgMeetingId}/files`, {}, { data: tinyPdf(), name: 'a.pdf' }, { accept: 'application/json' })).statusCode, 403);
    assert.equal((await postMultipart(anon, `/api/meetings/${wgMeetingId}/files`, {}, { data: tinyPdf(), name: 'a.pdf' }, { accept: 'application/json' })).statusCode, 401);
    assert.deepEqual(await snapshot(t.db, MEETING_TABLES), before);
    assert.deepEqual(filesOnDisk(), disk);
  });

  test('an accepted upload is stored with its checksum and text', async () => {
    const editor = await t.agent('editor@wg.se');
    const res = await postMultipart(editor, `/meetings/${wgMeetingId}/files`, { role: 'attachment', title: 'Indikatorlista' }, { data: tinyDocx('Gemensamma indikatorer'), name: 'indikatorer.docx' });
    assert.equal(res.statusCode, 303, res.body);
    const [row] = await t.db.query<{ sha512: string; extracted_text: string; file_name: string }>(`SELECT sha512, extracted_text, file_name FROM meeting_files WHERE title = 'Indikatorlista'`);
    assert.equal(row!.extracted_text, 'Gemensamma indikatorer');
    assert.equal(row!.sha512.length, 128);
    const page = await (await t.agent()).get(`/meetings/${wgMeetingId}`);
    assert.match(page.body, /Indikatorlista/);
  });
});

describe('writes through the API and forms', () => {
  test('without permission: 401 or 403, and nothing changes', async () => {
    // Signing in writes audit rows of its own, so the agents sign in first.
    const [anon, outsider, member, editor] = [await t.agent(), await t.agent('outsider@example.org'), await t.agent('member@oke.dk'), await t.agent('editor@oke.dk')];
    const before = await snapshot(t.db, MEETING_TABLES);
    const body = { title: 'Intrång', start: '2031-01-01T09:00:00+01:00', organisationIds: [t.orgs.oke.id] };
    assert.equal((await anon.api('POST', '/api/meetings', body)).statusCode, 401);
    assert.equal((await outsider.api('POST', '/api/meetings', body)).statusCode, 403);
    assert.equal((await outsider.api('PUT', `/api/meetings/${okeMeetingId}`, body)).statusCode, 403);
    assert.equal((await outsider.api('DELETE', `/api/meetings/${okeMeetingId}`)).statusCode, 403);
    assert.equal((await outsider.api('POST', `/api/meetings/${okeMeetingId}/items`, { title: 'x' })).statusCode, 403);
    assert.equal((await outsider.api('PUT', `/api/meetings/${okeMeetingId}/items/${closedItemId}`, { title: 'x' })).statusCode, 403);
    assert.equal((await outsider.api('POST', `/api/meetings/${okeMeetingId}/items/${closedItemId}/move`, { to: 'up' })).statusCode, 403);
    assert.equal((await outsider.api('DELETE', `/api/meetings/${okeMeetingId}/items/${closedItemId}`)).statusCode, 403);
    assert.equal((await outsider.api('POST', `/api/meetings/${okeMeetingId}/publication`, { what: 'minutes', publish: false })).statusCode, 403);
    assert.equal((await outsider.api('PUT', `/api/meetings/${okeMeetingId}/minutes`, { items: [] })).statusCode, 403);
    assert.equal((await outsider.api('POST', `/api/meetings/${okeMeetingId}/copy`, { start: '2031-01-01T09:00:00+01:00' })).statusCode, 403);
    assert.equal((await member.api('PUT', `/api/meetings/${okeMeetingId}/items/${closedItemId}`, { title: 'x' })).statusCode, 403);
    assert.equal((await member.postForm(`/meetings/${okeMeetingId}/publish`, { what: 'agenda', publish: '0' })).statusCode, 403);
    assert.equal((await member.postForm(`/meetings/${okeMeetingId}/items/${closedItemId}/delete`)).statusCode, 403);
    assert.equal((await editor.postForm(`/meetings/${okeMeetingId}/publish`, { what: 'agenda', publish: '0' }, { csrf: false })).statusCode, 403);
    assert.deepEqual(await snapshot(t.db, MEETING_TABLES), before);
  });

  test('bad input: 422 naming the field, nothing changes, forms keep what was typed', async () => {
    const editor = await t.agent('editor@wg.se');
    const before = await snapshot(t.db, MEETING_TABLES);
    const bad = async (body: unknown, field: string) => {
      const res = await editor.api('POST', '/api/meetings', body);
      assert.equal(res.statusCode, 422, res.body);
      assert.ok(JSON.parse(res.body).errors.some((e: { field: string }) => e.field.includes(field)), `${field}: ${res.body}`);
    };
    await bad({ title: '', start: '2031-01-01T09:00:00+01:00', organisationIds: [t.orgs.wg.id] }, 'title');
    await bad({ title: 'x', start: '1 januari', organisationIds: [t.orgs.wg.id] }, 'start');
    await bad({ title: 'x', start: '2031-01-01T09:00:00+01:00', end: '2030-01-01T09:00:00+01:00', organisationIds: [t.orgs.wg.id] }, 'endsAt');
    await bad({ title: 'x', start: '2031-01-01T09:00:00+01:00', organisationIds: [] }, 'organisationIds');
    await bad({ title: 'x', start: '2031-01-01T09:00:00+01:00', onlineUrl: 'javascript:alert(1)', organisationIds: [t.orgs.wg.id] }, 'onlineUrl');
    const item = await editor.api('POST', `/api/meetings/${wgMeetingId}/items`, { title: 'x', case: { caseDate: '2020-13-45' } });
    assert.equal(item.statusCode, 422);
    assert.match(item.body, /case\.caseDate/);
    const form = await editor.postForm('/meetings', { title: 'Mitt möte', organisationId: t.orgs.wg.id, startsAt: 'igår', timeZone: 'Europe/Stockholm' });
    assert.equal(form.statusCode, 422);
    assert.match(form.body, /value="Mitt möte"/);
    assert.match(form.body, /id="f-startsAt"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-startsAt"/);
    assert.deepEqual(await snapshot(t.db, MEETING_TABLES), before);
  });

  test('an unknown time zone or a day that does not exist is refused by field, never a 500, and nothing changes', async () => {
    const editor = await t.agent('editor@wg.se');
    const before = await snapshot(t.db, MEETING_TABLES);
    const form = await editor.postForm('/meetings', { title: 'Mitt möte', organisationId: t.orgs.wg.id, startsAt: '2031-01-01T09:00', timeZone: 'Mars/Olympus_Mons' });
    assert.equal(form.statusCode, 422);
    assert.match(form.body, /id="f-timeZone"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-timeZone"/);
    const apiItem = await editor.api('POST', `/api/meetings/${wgMeetingId}/items`, { title: 'x', case: { caseDate: '2020-02-31' } });
    assert.equal(apiItem.statusCode, 422, apiItem.body);
    assert.match(apiItem.body, /case\.caseDate/);
    const formItem = await editor.postForm(`/meetings/${wgMeetingId}/items`, { title: 'x', caseDate: '2020-02-31' });
    assert.equal(formItem.statusCode, 422);
    assert.match(formItem.body, /id="f-caseDate"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-caseDate"/);
    // 31 February is refused, not moved to 3 March.
    const start = await editor.api('POST', '/api/meetings', { title: 'x', start: '2031-02-31T09:00:00+01:00', organisationIds: [t.orgs.wg.id] });
    assert.equal(start.statusCode, 422, start.body);
    assert.ok(JSON.parse(start.body).errors.some((e: { field: string }) => e.field === 'start'), start.body);
    const copy = await editor.api('POST', `/api/meetings/${wgMeetingId}/copy`, { start: '2031-04-31T09:00:00+02:00' });
    assert.equal(copy.statusCode, 422, copy.body);
    const oparl = await editor.get('/oparl/v1/bodies?modified_since=2020-02-30');
    assert.equal(oparl.statusCode, 422, oparl.body);
    assert.deepEqual(await snapshot(t.db, MEETING_TABLES), before);
  });

  test('a meeting in a zone the form does not list keeps its zone and times when saved by form', async () => {
    const editor = await t.agent('editor@wg.se');
    const made = await editor.api('POST', '/api/meetings', { title: 'Study visit', start: '2031-06-10T09:00:00-04:00', end: '2031-06-11T17:00:00-04:00', timeZone: 'America/New_York', organisationIds: [t.orgs.wg.id] });
    assert.equal(made.statusCode, 201, made.body);
    const m = JSON.parse(made.body);
    const page = await editor.get(`/meetings/${m.id}/edit`);
    // What a browser sends for each field: the selected option (else the first), or the input's value.
    const select = (name: string) => {
      const opts = [...new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(page.body)![1]!.matchAll(/<option value="([^"]*)"( selected)?/g)];
      return (opts.find((o) => o[2]) ?? opts[0])![1]!;
    };
    const input = (name: string) => new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(page.body)![1]!;
    const saved = await editor.postForm(`/meetings/${m.id}/edit`, { title: 'Study visit', organisationId: select('organisationId'), startsAt: input('startsAt'), endsAt: input('endsAt'), timeZone: select('timeZone'), state: 'planned', lang: 'en' });
    assert.equal(saved.statusCode, 303, saved.body);
    const after = JSON.parse((await editor.api('GET', `/api/meetings/${m.id}`)).body);
    assert.equal(after.timeZone, 'America/New_York');
    assert.equal(after.start, '2031-06-10T13:00:00.000Z');
    assert.equal(after.end, '2031-06-11T21:00:00.000Z');
    // Over two days, the end is shown in the meeting's zone too (17:00 in New York, not 23:00 in Stockholm).
    const shown = await editor.get(`/meetings/${m.id}`, { 'accept-language': 'en' });
    assert.match(shown.body, /11 Jun 2031, 17:00/);
    assert.equal((await editor.api('DELETE', `/api/meetings/${m.id}`)).statusCode, 200);
  });

  test('the meeting page an editor sees gives each field its own id, and the participant form saves the role chosen', async () => {
    const editor = await t.agent('editor@wg.se');
    const made = await editor.api('POST', '/api/meetings', { title: 'Arbetsmöte', start: '2031-09-01T09:00:00+02:00', organisationIds: [t.orgs.wg.id] });
    const id = JSON.parse(made.body).id;
    const page = await editor.get(`/meetings/${id}`);
    const ids = [...page.body.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(ids.filter((x, i) => ids.indexOf(x) !== i), [], 'ids used twice');
    const personId = /<select[^>]*name="personId"[^>]*>[\s\S]*?<option value="([0-9a-f-]{36})"/.exec(page.body)![1]!;
    const role = /<select[^>]*id="([^"]+)"[^>]*>(?:(?!<\/select>)[\s\S])*value="chair"/.exec(page.body)![1]!;
    assert.match(page.body, new RegExp(`<label class="ds-label" for="${role}">Role</label>`), 'the participant’s role has its own label');
    const name = new RegExp(`<select[^>]*id="${role}"[^>]*name="([^"]+)"`).exec(page.body)![1]!;
    assert.equal((await editor.postForm(`/meetings/${id}/participants`, { personId, [name]: 'chair', attendance: 'present' })).statusCode, 303);
    const v = JSON.parse((await editor.api('GET', `/api/meetings/${id}`)).body);
    assert.deepEqual(v.participants.map((p: { role: string; attendance: string }) => [p.role, p.attendance]), [['chair', 'present']]);
    assert.equal((await editor.api('DELETE', `/api/meetings/${id}`)).statusCode, 200);
  });

  test('replacing an item through the API without isPublic keeps a closed item closed', async () => {
    const editor = await t.agent('editor@wg.se');
    const created = await editor.api('POST', `/api/meetings/${wgMeetingId}/items`, { title: 'Stängt ärende', isPublic: false, description: 'Sekretessbelagd text' });
    assert.equal(created.statusCode, 201, created.body);
    const itemId = JSON.parse(created.body).id;
    const url = `/api/meetings/${wgMeetingId}/items/${itemId}`;
    const replaced = await editor.api('PUT', url, { title: 'Stängt ärende, ändrat', description: 'Sekretessbelagd text, ändrad' });
    assert.equal(replaced.statusCode, 200, replaced.body);
    assert.equal(JSON.parse(replaced.body).public, false);
    const [row] = await t.db.query<{ is_public: boolean }>('SELECT is_public FROM agenda_items WHERE id = $1', [itemId]);
    assert.equal(row!.is_public, false);
    // Saying so still opens it, and closes it again.
    assert.equal(JSON.parse((await editor.api('PUT', url, { title: 'Öppet ärende', isPublic: true })).body).public, true);
    assert.equal(JSON.parse((await editor.api('PUT', url, { title: 'Öppet ärende' })).body).public, true);
    assert.equal(JSON.parse((await editor.api('PUT', url, { title: 'Stängt igen', isPublic: false })).body).public, false);
    assert.equal((await editor.api('DELETE', url)).statusCode, 200);
  });

  test('an editor creates a meeting by form, adds items, reorders them and publishes', async () => {
    const editor = await t.agent('editor@wg.se');
    const res = await editor.postForm('/meetings', { title: 'Höstmöte', organisationId: t.orgs.wg.id, startsAt: '2031-10-01T09:00', endsAt: '2031-10-01T12:00', timeZone: 'Europe/Stockholm', state: 'invited', lang: 'sv', onlinePlatform: 'Teams', onlineUrl: 'https://teams.example.org/join/1' });
    assert.equal(res.statusCode, 303, res.body);
    const id = String(res.headers.location).split('/').pop()!;
    assert.equal((await editor.postForm(`/meetings/${id}/items`, { title: 'Första', isPublic: 'on', lang: 'sv', caseReference: 'KS 2031/12', caseLeadBodyId: t.orgs.wg.id })).statusCode, 303);
    assert.equal((await editor.postForm(`/meetings/${id}/items`, { title: 'Andra', lang: 'sv', description: 'Hemlig text' })).statusCode, 303);
    const v1 = JSON.parse((await editor.api('GET', `/api/meetings/${id}`)).body);
    assert.deepEqual(v1.items.map((i: { title: string }) => i.title), ['Första', 'Andra']);
    assert.equal(v1.items[0].case.reference, 'KS 2031/12');
    assert.equal(v1.items[1].public, false);
    assert.equal(v1.start, '2031-10-01T07:00:00.000Z');
    assert.equal((await editor.postForm(`/meetings/${id}/items/${v1.items[1].id}/move`, { to: 'up' })).statusCode, 303);
    assert.equal((await editor.postForm(`/meetings/${id}/publish`, { what: 'agenda', publish: '1' })).statusCode, 303);
    const dec = await editor.postForm(`/meetings/${id}/decisions`, { [`decision_${v1.items[0].id}`]: 'Godkänt.', [`result_${v1.items[0].id}`]: 'Bifall', markHeld: 'on' });
    assert.equal(dec.statusCode, 303, dec.body);
    assert.equal((await editor.postForm(`/meetings/${id}/publish`, { what: 'minutes', publish: '1' })).statusCode, 303);
    const pub = JSON.parse((await (await t.agent()).api('GET', `/api/meetings/${id}`)).body);
    assert.deepEqual(pub.items.map((i: { title: string }) => i.title), ['Andra', 'Första']);
    assert.equal(pub.items[0].withheld, true);
    assert.equal(pub.items[0].description, null);
    assert.equal(pub.items[1].decision, '<p>Godkänt.</p>');
    assert.equal(pub.state, 'held');
    assert.ok(!JSON.stringify(pub).includes('Hemlig'));
    const copy = await editor.postForm(`/meetings/${id}/copy`, { startsAt: '2031-11-01T09:00' });
    assert.equal(copy.statusCode, 303);
    const c = JSON.parse((await editor.api('GET', String(copy.headers.location).replace('/meetings/', '/api/meetings/'))).body);
    assert.equal(c.items.length, 2);
    assert.equal(c.agendaPublishedAt, null);
    assert.equal(c.items.every((i: { decision: string }) => !i.decision), true);
  });

  test('pages render in every language', async () => {
    for (const lang of ['sv', 'nb', 'da', 'en']) {
      const res = await (await t.agent()).get(`/meetings/${okeMeetingId}`, { 'accept-language': lang });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, new RegExp(`<html lang="${lang}"`));
    }
    assert.ok((await countRows(t.db, 'meetings')) >= 2);
  });
});
