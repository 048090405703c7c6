import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { count, eq } from 'drizzle-orm';
import type { Database } from '../../platform/db/index.js';
import { auditEvents, systemActor, type Actor } from '../../platform/audit.js';
import { MemoryStorage } from '../../platform/storage/index.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../platform/errors.js';
import { directory } from '../directory/index.js';
import { seedMeetingsDemo } from './demo.js';
import { Oparl } from './oparl.js';
import { meetingIcs, organisationAtom, organisationIcs } from './feeds.js';
import { fileForDownload, listMeetings, meetingView, publicMeetingView } from './queries.js';
import { agendaItems, meetingFiles, meetings } from './schema.js';
import { createMeeting, setPublication } from './service.js';
import { addFile } from './files.js';
import { addItem, deleteItem, moveItem, recordDecisions, updateItem } from './agenda.js';
import { elfBytes, tinyPdf } from '../../../test/fixtures/meetings/make.js';
import { createTestDatabase, testConfig } from '../../../test/helpers.js';

/** Words that only the demo's closed item contains. */
const SECRET = 'Fortroligt';

let db: Database;
let drop: () => Promise<void>;
const storage = new MemoryStorage();
const admin = systemActor('test');
let orgs: Record<string, string>;

async function user(email: string): Promise<string> {
  const [row] = await db.query<{ id: string }>(`INSERT INTO users (email, display_name, password_hash) VALUES ($1, $1, 'x') RETURNING id`, [email]);
  return row!.id;
}
const actorWith = (userId: string, roles: [string, 'admin' | 'editor' | 'member'][]): Actor => ({ userId, label: userId, isPlatformAdmin: false, orgRoles: new Map(roles) });
const anonymous: Actor = { userId: null, label: 'anonymous', isPlatformAdmin: false, orgRoles: new Map() };

before(async () => {
  // PGlite by default; a throw-away database on a real server when TEST_DATABASE_URL is set.
  ({ db, drop } = await createTestDatabase(testConfig()));
  const mk = (input: Record<string, unknown>) => directory.createOrganisation(db, admin, input);
  const herning = await mk({ name: 'Herning Kommune', kind: 'municipality', country: 'DK', areaCode: '657', lang: 'da' });
  const oke = await mk({ name: 'Økonomi- og Erhvervsudvalget', kind: 'committee', parentId: herning.id, lang: 'da' });
  const net = await mk({ name: 'Kommunnätverket för hållbar utveckling', kind: 'network', lang: 'sv' });
  const wg = await mk({ name: 'Miljöstrategisk arbetsgrupp', kind: 'working_group', parentId: net.id, lang: 'sv' });
  const other = await mk({ name: 'Another network', kind: 'network' });
  orgs = { herning: herning.id, oke: oke.id, net: net.id, wg: wg.id, other: other.id };
  await seedMeetingsDemo(db, { storage });
});
after(async () => drop?.());

async function demoMeeting(orgKey: string) {
  const r = await listMeetings(db.orm, { organisationIds: [orgs[orgKey]!], when: 'all' });
  return r.items[0]!.meeting;
}

describe('demo data', () => {
  test('running the seed again changes nothing', async () => {
    const before = await Promise.all([db.orm.select({ n: count() }).from(meetings), db.orm.select({ n: count() }).from(agendaItems), db.orm.select({ n: count() }).from(meetingFiles), db.orm.select({ n: count() }).from(auditEvents)]);
    const r = await seedMeetingsDemo(db, { storage });
    assert.deepEqual(r.created, []);
    const after = await Promise.all([db.orm.select({ n: count() }).from(meetings), db.orm.select({ n: count() }).from(agendaItems), db.orm.select({ n: count() }).from(meetingFiles), db.orm.select({ n: count() }).from(auditEvents)]);
    assert.deepEqual(after, before);
  });

  test('item 139 carries its case, officers, distribution and decision', async () => {
    const m = await demoMeeting('oke');
    const v = await publicMeetingView(db.orm, m);
    const item = v.items.find((i) => i.number === '139')!;
    assert.equal(item.case?.reference, '00.16.02-A00-1-19');
    assert.equal(item.case?.caseOfficer, 'Anne Kristine Hundahl Mikkelsen');
    assert.deepEqual(item.case?.otherOfficers, ['Jørgen Krogh']);
    assert.deepEqual(item.case?.referrals.map((r) => r.id), [orgs.oke]);
    assert.match(item.decision ?? '', /Indstillingen er tiltrådt/);
    assert.match(item.recommendation ?? '', /Kommunaldirektøren indstiller/);
  });

  test('the working group meeting has minutes and Vänersborg’s follow-up document with extracted text', async () => {
    const m = await demoMeeting('wg');
    const v = await publicMeetingView(db.orm, m);
    assert.ok(v.minutesVisible);
    const doc = v.items.flatMap((i) => i.files).find((f) => f.title.includes('Vänersborg'));
    assert.ok(doc);
    const [row] = await db.orm.select().from(meetingFiles).where(eq(meetingFiles.id, doc.id));
    assert.match(row!.extractedText ?? '', /nyckelindikatorer/);
    assert.equal(row!.sha512.length, 128);
    assert.ok(await storage.exists(row!.storageKey));
  });
});

describe('closed items', () => {
  test('the public view shows a closed item by title only', async () => {
    const v = await publicMeetingView(db.orm, await demoMeeting('oke'));
    const closed = v.items.find((i) => !i.isPublic)!;
    assert.ok(closed.withheld);
    assert.ok(closed.title);
    assert.equal(closed.summary, null);
    assert.equal(closed.decision, null);
    assert.ok(!JSON.stringify(v).includes(SECRET));
  });

  test('members of the body see closed content, others do not', async () => {
    const m = await demoMeeting('oke');
    const memberId = await user('member@example.org');
    const outsiderId = await user('outsider@example.org');
    const member = await meetingView(db.orm, actorWith(memberId, [[orgs.oke!, 'member']]), m.id);
    assert.ok(JSON.stringify(member).includes(SECRET));
    assert.equal(member.access.edit, false);
    const parentMember = await meetingView(db.orm, actorWith(memberId, [[orgs.herning!, 'member']]), m.id);
    assert.ok(JSON.stringify(parentMember).includes(SECRET));
    const outsider = await meetingView(db.orm, actorWith(outsiderId, [[orgs.wg!, 'editor']]), m.id);
    assert.ok(!JSON.stringify(outsider).includes(SECRET));
    assert.ok(!JSON.stringify(await meetingView(db.orm, anonymous, m.id)).includes(SECRET));
  });

  test('OParl, iCalendar and Atom never carry closed content', async () => {
    const oparl = new Oparl(db.orm, 'http://localhost:3000');
    const m = await demoMeeting('oke');
    const outputs: unknown[] = [await oparl.meetingById(m.id)];
    for (const bodyId of await oparl.bodyIds()) {
      for (const list of ['organizations', 'people', 'memberships', 'meetings', 'papers', 'agenda-items', 'consultations', 'files', 'locations']) {
        outputs.push(await oparl.bodyList(bodyId, list, {}, `/oparl/v1/bodies/${bodyId}/${list}`));
      }
    }
    outputs.push(await meetingIcs(db.orm, m, 'http://localhost:3000'));
    outputs.push(await organisationIcs(db.orm, { id: orgs.herning!, name: 'Herning' }, 'http://localhost:3000'));
    outputs.push(await organisationAtom(db.orm, { id: orgs.herning!, slug: 'herning-kommune', name: 'Herning' }, 'http://localhost:3000', 'da'));
    const all = JSON.stringify(outputs);
    assert.ok(!all.includes(SECRET));
    assert.ok(all.includes('Lukket punkt'), 'the closed item’s title is public');
    const closedId = (await db.orm.select().from(agendaItems).where(eq(agendaItems.isPublic, false)))[0]!.id;
    const closedItem = await oparl.agendaItemById(closedId);
    assert.equal(closedItem.public, false);
    assert.equal(closedItem.resolutionText, undefined);
  });

  test('a closed item’s file cannot be downloaded by outsiders, and its flag follows the item', async () => {
    const m = await demoMeeting('oke');
    const closed = (await db.orm.select().from(agendaItems).where(eq(agendaItems.isPublic, false)))[0]!;
    const f = await addFile(db, storage, admin, m.id, { data: tinyPdf('Fortroligt bilag'), fileName: 'bilag.pdf' }, { role: 'attachment', agendaItemId: closed.id }, 1e6);
    assert.equal(f.isPublic, false);
    await assert.rejects(fileForDownload(db.orm, anonymous, f.id), NotFoundError);
    const memberId = await user('member2@example.org');
    assert.equal((await fileForDownload(db.orm, actorWith(memberId, [[orgs.oke!, 'member']]), f.id)).id, f.id);
    await assert.rejects(new Oparl(db.orm, 'http://x').fileById(f.id), NotFoundError);
  });
});

describe('writes', () => {
  test('editors of the organising body create meetings; others get 403 and nothing changes', async () => {
    const editorId = await user('editor@example.org');
    const editor = actorWith(editorId, [[orgs.wg!, 'editor']]);
    const input = { title: 'Planeringsmöte', startsAt: new Date('2030-01-10T08:00:00Z'), organisationIds: [orgs.wg!] };
    const m = await createMeeting(db, editor, input);
    assert.ok(m.id);
    const before = await db.orm.select({ n: count() }).from(meetings);
    await assert.rejects(createMeeting(db, editor, { ...input, organisationIds: [orgs.other!] }), ForbiddenError);
    await assert.rejects(createMeeting(db, anonymous, input), UnauthenticatedError);
    await assert.rejects(createMeeting(db, actorWith(editorId, [[orgs.wg!, 'member']]), input), ForbiddenError);
    await assert.rejects(createMeeting(db, editor, { ...input, title: '' }), (e: any) => e.fields?.[0]?.field === 'title');
    await assert.rejects(createMeeting(db, editor, { ...input, endsAt: new Date('2030-01-09T08:00:00Z') }), (e: any) => e.fields?.[0]?.field === 'endsAt');
    assert.deepEqual(await db.orm.select({ n: count() }).from(meetings), before);
  });

  test('items are added, reordered, sanitised and removed; positions stay dense', async () => {
    const m = await createMeeting(db, admin, { title: 'Order test', startsAt: new Date('2030-02-01T08:00:00Z'), organisationIds: [orgs.wg!] });
    const a = await addItem(db, admin, m.id, { title: 'A', description: '<p>ok<script>alert(1)</script></p>' });
    const b = await addItem(db, admin, m.id, { title: 'B' });
    const c = await addItem(db, admin, m.id, { title: 'C' });
    assert.equal(a.description, '<p>ok</p>');
    await moveItem(db, admin, m.id, c.id, 'up');
    await moveItem(db, admin, m.id, a.id, 2);
    let v = await meetingView(db.orm, admin, m.id);
    assert.deepEqual(v.items.map((i) => i.title), ['C', 'B', 'A']);
    await deleteItem(db, admin, m.id, b.id);
    v = await meetingView(db.orm, admin, m.id);
    assert.deepEqual(v.items.map((i) => [i.title, i.position]), [['C', 0], ['A', 1]]);
    await assert.rejects(moveItem(db, admin, m.id, a.id, 7), (e: any) => e.fields?.[0]?.field === 'position');
    await assert.rejects(updateItem(db, admin, m.id, 'not-a-uuid', { title: 'x' }), NotFoundError);
  });

  test('agenda and minutes publish separately; minutes need a published agenda', async () => {
    const m = await createMeeting(db, admin, { title: 'Publish test', startsAt: new Date('2030-03-01T08:00:00Z'), organisationIds: [orgs.wg!] });
    const it = await addItem(db, admin, m.id, { title: 'Item', summary: 'Public summary' });
    assert.equal((await publicMeetingView(db.orm, (await demoById(m.id)))).items.length, 0);
    await assert.rejects(setPublication(db, admin, m.id, 'minutes', true), ConflictError);
    await setPublication(db, admin, m.id, 'agenda', true);
    await recordDecisions(db, admin, m.id, { items: [{ id: it.id, decision: 'Beslutat enligt förslaget.' }], markHeld: true });
    let v = await publicMeetingView(db.orm, await demoById(m.id));
    assert.equal(v.items[0]!.summary, '<p>Public summary</p>');
    assert.equal(v.items[0]!.decision, null);
    const pub = await setPublication(db, admin, m.id, 'minutes', true);
    v = await publicMeetingView(db.orm, pub);
    assert.equal(v.items[0]!.decision, '<p>Beslutat enligt förslaget.</p>');
    assert.equal(v.meeting.state, 'held');
    const again = await setPublication(db, admin, m.id, 'minutes', true);
    assert.equal(again.minutesPublishedAt?.getTime(), pub.minutesPublishedAt?.getTime());
  });

  test('a rejected upload stores nothing', async () => {
    const m = await createMeeting(db, admin, { title: 'Upload test', startsAt: new Date('2030-04-01T08:00:00Z'), organisationIds: [orgs.wg!] });
    const rowsBefore = await db.orm.select({ n: count() }).from(meetingFiles);
    const filesBefore = storage.files.size;
    await assert.rejects(addFile(db, storage, admin, m.id, { data: elfBytes(), fileName: 'report.pdf' }, {}, 1e6), (e: any) => e.reason === 'type_not_allowed');
    await assert.rejects(addFile(db, storage, admin, m.id, { data: tinyPdf(), fileName: 'a.pdf' }, {}, 100), (e: any) => e.reason === 'too_large');
    await assert.rejects(addFile(db, storage, admin, m.id, { data: tinyPdf(), fileName: 'a.xlsx' }, {}, 1e6), (e: any) => e.reason === 'extension_mismatch');
    const outsider = actorWith(await user('up@example.org'), [[orgs.other!, 'admin']]);
    await assert.rejects(addFile(db, storage, outsider, m.id, { data: tinyPdf(), fileName: 'a.pdf' }, {}, 1e6), ForbiddenError);
    assert.deepEqual(await db.orm.select({ n: count() }).from(meetingFiles), rowsBefore);
    assert.equal(storage.files.size, filesBefore);
  });
});

async function demoById(id: string) {
  return (await db.orm.select().from(meetings).where(eq(meetings.id, id)))[0]!;
}
