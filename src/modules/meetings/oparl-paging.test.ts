/**
 * OParl's body list and a body's papers are cut in SQL (LIMIT/OFFSET with a count of the same WHERE).
 * These tests walk every page through `links.next` with a small page size and check that the pages
 * together are the whole list, in its order, once each, and that nothing closed, unpublished or
 * removed is listed or counted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import type { Database } from '../../platform/db/index.js';
import { systemActor } from '../../platform/audit.js';
import { directory } from '../directory/index.js';
import { Oparl, type OparlList, type OparlQuery } from './oparl.js';
import { agendaItems } from './schema.js';
import { createMeeting, deleteMeeting, setPublication } from './service.js';
import { addItem, deleteItem, updateItem } from './agenda.js';
import { createTestDatabase, testConfig } from '../../../test/helpers.js';

/** Only what must never reach the public record carries this word. */
const SECRET = 'HEMLIGT';
const BASE = 'http://localhost:3000';

let db: Database;
let drop: () => Promise<void>;
const admin = systemActor('test');
const ids: Record<string, string> = {};
const caseOf: Record<string, string> = {};

async function org(name: string, parentId?: string) {
  return (await directory.createOrganisation(db, admin, { name, kind: parentId ? 'committee' : 'network', ...(parentId ? { parentId } : {}) })).id;
}
async function meeting(title: string, startsAt: string, orgId: string, opts: { publish?: boolean } = {}) {
  const m = await createMeeting(db, admin, { title, startsAt: new Date(startsAt), organisationIds: [orgId] });
  if (opts.publish) await setPublication(db, admin, m.id, 'agenda', true);
  return m.id;
}
/** An item with a case of its own titled `paper` (none when null); returns the item id and notes the case. */
async function item(meetingId: string, title: string, paper: string | null, opts: { isPublic?: boolean; summary?: string } = {}) {
  const row = await addItem(db, admin, meetingId, { title, isPublic: opts.isPublic ?? true, summary: opts.summary, ...(paper ? { case: { title: paper } } : {}) });
  if (paper) caseOf[paper] = row.caseId!;
  return row.id;
}
/** Points an item at an existing case, as a case discussed at several meetings is. */
const useCase = (itemId: string, paper: string) => db.orm.update(agendaItems).set({ caseId: caseOf[paper]! }).where(eq(agendaItems.id, itemId));

/** Follows `links.next` from the first page to the last; every page is checked against the first's pagination. */
async function walk(list: (q: OparlQuery) => Promise<OparlList>, q: OparlQuery): Promise<{ pages: OparlList[]; data: Record<string, unknown>[] }> {
  const pages = [await list(q)];
  for (let next = pages[0]!.links.next; next; next = pages.at(-1)!.links.next) {
    assert.ok(pages.length < 50, 'the walk ends');
    const u = new URL(next);
    pages.push(await list(Object.fromEntries(u.searchParams) as OparlQuery));
  }
  const { totalElements, totalPages, elementsPerPage } = pages[0]!.pagination;
  assert.equal(pages.length, totalPages, 'one page per totalPages');
  for (const [i, p] of pages.entries()) {
    assert.deepEqual(p.pagination, { totalElements, totalPages, elementsPerPage, currentPage: i + 1 }, `page ${i + 1}: pagination`);
    assert.ok(p.data.length <= elementsPerPage, `page ${i + 1}: at most a page`);
    if (i < pages.length - 1) assert.equal(p.data.length, elementsPerPage, `page ${i + 1}: full`);
    assert.equal(p.links.prev !== undefined, i > 0, `page ${i + 1}: prev`);
    assert.equal(p.links.last, pages[0]!.links.last);
  }
  const data = pages.flatMap((p) => p.data);
  assert.equal(data.length, totalElements, 'the pages hold totalElements objects');
  assert.equal(new Set(data.map((o) => o.id)).size, data.length, 'no object twice');
  return { pages, data };
}

before(async () => {
  ({ db, drop } = await createTestDatabase(testConfig()));
  // Bodies: top-level organisations under which a meeting is held, directly or by a committee.
  ids.testby = await org('Testby kommune');
  ids.udvalg = await org('Testby udvalg', ids.testby);
  ids.otherby = await org('Otherby kommune');
  for (const name of ['Ærø Kommune', 'Aalborg Kommune', 'Årjäng kommun', 'Bergen kommune', 'Zeta nätverk']) {
    const id = await org(name);
    // A draft meeting is enough to make a body: the body list is about who holds meetings.
    await meeting(`Möte i ${name}`, '2030-01-01T10:00:00Z', name.startsWith('Zeta') ? await org(`${name} arbetsgrupp`, id) : id);
  }
  await org('Idle network'); // holds no meeting: no body

  // Testby's papers. M2 comes first in time, so P3's first use (in M2) puts it before M1's papers.
  const m1 = await meeting('M1', '2030-03-01T10:00:00Z', ids.udvalg, { publish: true });
  const m2 = await meeting('M2', '2029-06-01T10:00:00Z', ids.udvalg, { publish: true });
  await item(m1, 'P1 item', 'P1');
  await item(m1, 'Item without a case', null);
  await item(m1, 'Closed item', `${SECRET} C1`, { isPublic: false, summary: `${SECRET} summary` });
  await item(m1, 'P2 item', 'P2');
  await item(m1, 'X item', `${SECRET} X`); // public here, closed in M5: not in the public record
  await item(m1, 'P4 item', 'P4');
  await item(m1, 'P5 item', 'P5');
  await deleteItem(db, admin, m1, await item(m1, 'Removed item', `${SECRET} removed item`));
  await item(m2, 'P6 item', 'P6');
  await item(m2, 'P7 item', 'P7');
  await item(m2, 'P3 item', 'P3');
  await useCase(await item(m1, 'P3 again', null), 'P3');
  // A draft agenda: its items, and the cases only it uses, do not exist for the public yet.
  const m3 = await meeting('M3', '2030-05-01T10:00:00Z', ids.udvalg);
  await item(m3, 'Draft item', `${SECRET} draft`);
  await useCase(await item(m3, 'P1 in a draft', null), 'P1');
  // A removed meeting's cases are gone with it.
  const m4 = await meeting('M4', '2030-06-01T10:00:00Z', ids.udvalg, { publish: true });
  await item(m4, 'Item of a removed meeting', `${SECRET} removed meeting`);
  await deleteMeeting(db, admin, m4);
  // X is also discussed behind closed doors, at a meeting not yet published.
  const m5 = await meeting('M5', '2030-07-01T10:00:00Z', ids.udvalg);
  await useCase(await item(m5, 'Closed X', null, { isPublic: false }), `${SECRET} X`);
  // Another body's paper is that body's.
  await item(await meeting('O1', '2029-01-01T10:00:00Z', ids.otherby, { publish: true }), 'Otherby item', 'Otherby paper');
});
after(async () => drop?.());

describe('OParl lists walked page by page', () => {
  test('bodies: every body once, by name, none without meetings', async () => {
    const oparl = new Oparl(db.orm, BASE);
    const { data } = await walk((q) => oparl.bodies(q, '/oparl/v1/bodies'), { limit: 2 });
    assert.deepEqual(
      data.map((b) => b.name),
      ['Aalborg Kommune', 'Ærø Kommune', 'Årjäng kommun', 'Bergen kommune', 'Otherby kommune', 'Testby kommune', 'Zeta nätverk'],
    );
    for (const b of data) assert.deepEqual(b, await oparl.bodyObject(String(b.id).split('/').pop()!), `${b.name}: the list shows the body's own object`);
    const one = await walk((q) => oparl.bodies(q, '/oparl/v1/bodies'), {});
    assert.deepEqual(one.data, data, 'the default page size gives the same list');
    // The change filters count and page only the bodies that match.
    const aalborg = data[0]!;
    const since = String(data.map((b) => b.created).sort().at(-1));
    const late = await walk((q) => oparl.bodies(q, '/oparl/v1/bodies'), { limit: 1, created_since: since });
    assert.deepEqual(late.data.map((b) => b.name), data.filter((b) => String(b.created) >= since).map((b) => b.name));
    assert.ok(late.data.length < data.length);
    const early = await walk((q) => oparl.bodies(q, '/oparl/v1/bodies'), { limit: 2, created_until: String(aalborg.created) });
    assert.deepEqual(early.data.map((b) => b.name), data.filter((b) => String(b.created) <= String(aalborg.created)).map((b) => b.name));
    await assert.rejects(oparl.bodies({ created_since: 'yesterday' }, '/oparl/v1/bodies'), { code: 'validation_failed' });
  });

  test('papers: every public paper once, in the order of first use, nothing closed, draft or removed', async () => {
    const oparl = new Oparl(db.orm, BASE);
    const path = `/oparl/v1/bodies/${ids.testby}/papers`;
    const { pages, data } = await walk((q) => oparl.bodyList(ids.testby!, 'papers', q, path), { limit: 2 });
    assert.deepEqual(data.map((p) => p.name), ['P6', 'P7', 'P3', 'P1', 'P2', 'P4', 'P5']);
    assert.equal(pages[0]!.pagination.totalElements, 7, 'the count has no closed, draft or removed paper');
    assert.ok(pages[0]!.links.next!.startsWith(`${BASE}${path}?limit=2&page=2`));
    const consultations = (name: string) => (data.find((p) => p.name === name)!.consultation as unknown[]).length;
    assert.equal(consultations('P3'), 2, 'a paper lists its uses at both published meetings');
    assert.equal(consultations('P1'), 1, 'not its use on a draft agenda');
    assert.ok(!JSON.stringify(pages).includes(SECRET));
    for (const p of data) assert.deepEqual(await oparl.paperById(String(p.id).split('/').pop()!), p, `${p.name}: the list shows the paper's own object`);
    for (const hidden of [`${SECRET} C1`, `${SECRET} X`, `${SECRET} draft`, `${SECRET} removed item`, `${SECRET} removed meeting`]) {
      await assert.rejects(oparl.paperById(caseOf[hidden]!), { code: 'not_found' }, hidden);
    }
    const other = await walk((q) => oparl.bodyList(ids.otherby!, 'papers', q, `/oparl/v1/bodies/${ids.otherby}/papers`), { limit: 1 });
    assert.deepEqual(other.data.map((p) => p.name), ['Otherby paper']);
  });

  test('papers: the change filters count and page only what matches, and the links keep them', async () => {
    const since = new Date(Date.now() + 2);
    await new Promise((r) => setTimeout(r, 10));
    const p4Items = await db.orm.select().from(agendaItems).where(eq(agendaItems.caseId, caseOf.P4!));
    await updateItem(db, admin, p4Items[0]!.meetingId, p4Items[0]!.id, { title: 'P4 item', case: { title: 'P4' } });
    const oparl = new Oparl(db.orm, BASE);
    const path = `/oparl/v1/bodies/${ids.testby}/papers`;
    const q = { limit: 1, modified_since: since.toISOString() };
    const { pages, data } = await walk((x) => oparl.bodyList(ids.testby!, 'papers', x, path), q);
    assert.deepEqual(data.map((p) => p.name), ['P4']);
    for (const p of pages) assert.ok(p.links.self.includes(`modified_since=${encodeURIComponent(since.toISOString())}`));
    const before = await walk((x) => oparl.bodyList(ids.testby!, 'papers', x, path), { limit: 3, modified_until: since.toISOString() });
    assert.deepEqual(before.data.map((p) => p.name), ['P6', 'P7', 'P3', 'P1', 'P2', 'P5']);
  });
});
