/**
 * The cross-organisation matrix (issue #8, docs/permissions.md): an admin of organisation B
 * tries every side route to organisation A's records (memberships, signatures, organisers,
 * on-behalf-of, imports) and gets 403 with nothing changed. One test per defect the issue lists.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, snapshot, type Agent, type TestApp } from './helpers.js';
import { directory } from '../src/modules/directory/index.js';

let t: TestApp;
let adminA: Agent; // admin of Växjö kommun (A)
let adminB: Agent; // admin of Herning Kommune (B)
let anon: Agent;
const A = 'vaxjo-kommun';
const B = 'herning-kommune';
const TABLES = [
  'organisations', 'people', 'memberships', 'commitments', 'commitment_signatures', 'areas', 'audit_events',
  'meetings', 'meeting_organisations', 'ind_indicators', 'ind_indicator_links', 'ind_observations', 'ind_import_batches',
];
const snap = () => snapshot(t.db, TABLES);
const id = async (slug: string) => (await directory.getOrganisation(t.db.orm, slug)).id;
let personA: string;
let commitmentA: string;
let signatureA: string;
let meetingB: string;
let membershipB: string;

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'a@example.org', name: 'Admin A', roles: { [A]: 'admin' } });
  await t.makeUser({ email: 'b@example.org', name: 'Admin B', roles: { [B]: 'admin' } });
  adminA = await t.agent('a@example.org');
  adminB = await t.agent('b@example.org');
  anon = await t.agent();
  // A's records, made by A's admin.
  const p = await adminA.api('POST', '/api/people', { name: 'Anna Växjösson', lang: 'sv', email: 'anna@vaxjo.example' });
  assert.equal(p.statusCode, 201, p.body);
  personA = p.json().id;
  assert.equal((await adminA.api('POST', '/api/memberships', { organisationId: await id(A), personId: personA, role: 'coordinator' })).statusCode, 201);
  const c = await adminA.api('POST', '/api/commitments', { title: 'Växjös klimatlöfte', lang: 'sv', body: 'A:s egen text.' });
  assert.equal(c.statusCode, 201, c.body);
  commitmentA = c.json().id;
  const s = await adminA.api('POST', `/api/commitments/${commitmentA}/signatures`, { organisationId: await id(A), signedOn: '2026' });
  signatureA = s.json().id;
  // B's own meeting and membership, which B may change but not hand to A.
  const m = await adminB.api('POST', '/api/meetings', { title: 'Herning møde', lang: 'da', start: '2031-03-01T09:00:00+01:00', organisationIds: [await id(B)] });
  assert.equal(m.statusCode, 201, m.body);
  meetingB = m.json().id;
  const pb = await adminB.api('POST', '/api/memberships', { organisationId: await id(B) , role: 'member' }, {});
  assert.equal(pb.statusCode, 422); // needs a member: proves the route is reachable for B
  const pB = await adminB.api('POST', '/api/people', { name: 'Bo Herningsen', lang: 'da' });
  const mb = await adminB.api('POST', '/api/memberships', { organisationId: await id(B), personId: pB.json().id, role: 'member' });
  assert.equal(mb.statusCode, 201, mb.body);
  membershipB = mb.json().id;
});
after(() => t.close());

/** The request is refused with 403 and changes nothing. */
async function refused(method: string, url: string, body: unknown) {
  const before = await snap();
  const res = await adminB.api(method as 'POST', url, body);
  assert.equal(res.statusCode, 403, `${method} ${url}: ${res.statusCode} ${res.body}`);
  assert.deepEqual(await snap(), before, `${method} ${url} changed something`);
}

describe('people: a membership elsewhere grants nothing over the person', () => {
  test('B may list A’s person as a member of B, but then cannot rename, re-address or end the person', async () => {
    const m = await adminB.api('POST', '/api/memberships', { organisationId: await id(B), personId: personA, role: 'advisor' });
    assert.equal(m.statusCode, 201, m.body);
    await refused('PUT', `/api/people/${personA}`, { name: 'Kapad', lang: 'sv', email: 'attacker@example.org' });
    await refused('POST', `/api/people/${personA}/end`, {});
    const p = (await anon.api('GET', `/api/people/${personA}`)).json();
    assert.equal(p.name, 'Anna Växjösson');
    assert.equal(p.endedOn, null);
  });

  test('A’s own admin still edits the person', async () => {
    const res = await adminA.api('PUT', `/api/people/${personA}`, { name: 'Anna Växjösson', lang: 'sv', title: 'Klimatstrateg' });
    assert.equal(res.statusCode, 200, res.body);
  });
});

describe('commitments: signing adds a signature and nothing else', () => {
  test('B signs A’s commitment, then cannot rewrite its text, end it, or end A’s signature', async () => {
    const s = await adminB.api('POST', `/api/commitments/${commitmentA}/signatures`, { organisationId: await id(B) });
    assert.equal(s.statusCode, 201, s.body);
    await refused('PUT', `/api/commitments/${commitmentA}`, { title: 'Omskriven', lang: 'sv', body: 'B:s text.' });
    await refused('POST', `/api/commitments/${commitmentA}/end`, {});
    await refused('POST', `/api/signatures/${signatureA}/end`, {});
    // B ends only its own signature.
    assert.equal((await adminB.api('POST', `/api/signatures/${s.json().id}/end`, {})).statusCode, 200);
    const c = (await anon.api('GET', `/api/commitments/${commitmentA}`)).json();
    assert.equal(c.body, 'A:s egen text.');
    assert.equal(c.endedOn, null);
  });

  test('B cannot sign in A’s name', async () => {
    await refused('POST', '/api/commitments/covenant-of-mayors/signatures', { organisationId: await id(A) });
  });
});

describe('meetings: another organiser’s acceptance before the meeting is theirs', () => {
  /** Where a meeting would appear as A's: A's calendar feed, A's body page, the API list and OParl. */
  async function appearsAsA(meetingId: string, title: string) {
    const feed = await anon.get(`/meetings/bodies/${A}/calendar.ics`);
    assert.equal(feed.statusCode, 200);
    const page = await anon.get(`/meetings/bodies/${A}`);
    const list = (await anon.api('GET', `/api/meetings?organisation=${A}`)).json();
    const oparl = await anon.get(`/oparl/v1/organizations/${await id(A)}/meetings`);
    // OParl knows an organisation as an organization once it organises a meeting (404 before).
    assert.ok(oparl.statusCode === 200 || oparl.statusCode === 404, oparl.body.slice(0, 200));
    const where = { feed: feed.body.includes(title), page: page.body.includes(title), api: list.items.some((m: any) => m.id === meetingId), oparl: oparl.statusCode === 200 && oparl.body.includes(meetingId) };
    const all = Object.values(where);
    assert.ok(all.every(Boolean) || !all.some(Boolean), `appears in some places only: ${JSON.stringify(where)}`);
    return all.every(Boolean);
  }

  test('B cannot make A the lead organiser, creating or editing', async () => {
    await refused('POST', '/api/meetings', { title: 'Intrång', start: '2031-01-01T09:00:00+01:00', organisationIds: [await id(A)] });
    await refused('POST', '/api/meetings', { title: 'Intrång', start: '2031-01-01T09:00:00+01:00', organisationIds: [await id(A), await id(B)] });
    const body = { title: 'Herning møde', lang: 'da', start: '2031-03-01T09:00:00+01:00' };
    await refused('PUT', `/api/meetings/${meetingB}`, { ...body, organisationIds: [await id(A)] });
    await refused('PUT', `/api/meetings/${meetingB}`, { ...body, organisationIds: [await id(A), await id(B)] });
  });

  test('B names A as co-organiser: pending, not A’s meeting anywhere, and B cannot accept for A', async () => {
    const m = await adminB.api('POST', '/api/meetings', { title: 'Fælles møde', lang: 'da', start: '2031-04-01T09:00:00+02:00', organisationIds: [await id(B), await id(A)] });
    assert.equal(m.statusCode, 201, m.body);
    assert.deepEqual(m.json().organisers.map((o: any) => o.slug), [B]);
    assert.deepEqual(m.json().pendingOrganisers.map((o: any) => o.slug), [A]);
    assert.equal(await appearsAsA(m.json().id, 'Fælles møde'), false);
    // Only A answers for A; A's members do not see the meeting's closed content meanwhile.
    await refused('POST', `/api/meetings/${m.json().id}/organisers/${await id(A)}/accept`, {});
    assert.ok(!(await adminB.api('GET', '/api/meetings/requests')).json().items.some((r: any) => r.meeting.id === m.json().id));
    assert.equal((await adminA.api('GET', `/api/meetings/${m.json().id}`)).json().canEdit, false);
    // Editing the meeting keeps the request; it still is not A's.
    const again = await adminB.api('PUT', `/api/meetings/${m.json().id}`, { title: 'Fælles møde', lang: 'da', start: '2031-04-01T10:00:00+02:00', organisationIds: [await id(B), await id(A)] });
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(again.json().pendingOrganisers.map((o: any) => o.slug), [A]);
    assert.equal(await appearsAsA(m.json().id, 'Fælles møde'), false);
  });

  test('A’s acceptance makes it A’s meeting: calendar, pages, API, OParl', async () => {
    const req = (await adminA.api('GET', '/api/meetings/requests')).json().items.find((r: any) => r.meeting.title === 'Fælles møde');
    assert.ok(req, 'listed for A’s admin');
    assert.equal(req.organisation.slug, A);
    assert.ok((await adminA.get('/meetings/requests')).body.includes('Fælles møde'));
    assert.equal((await adminA.postForm(`/meetings/${req.meeting.id}/organisers/${await id(A)}/accept`)).statusCode, 303);
    assert.equal(await appearsAsA(req.meeting.id, 'Fælles møde'), true);
    const v = (await anon.api('GET', `/api/meetings/${req.meeting.id}`)).json();
    assert.deepEqual(v.organisers.map((o: any) => o.slug), [B, A]);
    assert.deepEqual(v.pendingOrganisers, []);
    const history = (await adminA.api('GET', `/api/organisations/${A}/history`)).json().items.map((e: any) => e.action);
    assert.ok(history.includes('meeting.organiser.accept'));
    // Accepted, A is an organiser like any other: B cannot remove it.
    await refused('PUT', `/api/meetings/${req.meeting.id}`, { title: 'Fælles møde', lang: 'da', start: '2031-04-01T10:00:00+02:00', organisationIds: [await id(B)] });
  });

  test('A’s decline removes A from the meeting', async () => {
    const m = await adminB.api('POST', '/api/meetings', { title: 'Afvist møde', lang: 'da', start: '2031-05-01T09:00:00+02:00', organisationIds: [await id(B), await id(A)] });
    const res = await adminA.api('POST', `/api/meetings/${m.json().id}/organisers/${await id(A)}/decline`, {});
    assert.equal(res.statusCode, 200, res.body);
    const v = (await adminB.api('GET', `/api/meetings/${m.json().id}`)).json();
    assert.deepEqual(v.organisers.map((o: any) => o.slug), [B]);
    assert.deepEqual(v.pendingOrganisers, []);
    assert.equal(await appearsAsA(m.json().id, 'Afvist møde'), false);
    assert.equal((await adminA.api('POST', `/api/meetings/${m.json().id}/organisers/${await id(A)}/accept`, {})).statusCode, 404);
  });
});

describe('on behalf of: the right to act for that organisation, or its confirmation', () => {
  test('B names A “on behalf of”: pending, not among A’s representatives, and B cannot confirm for A', async () => {
    const m = await adminB.api('POST', '/api/memberships', { organisationId: await id(B), personId: personA, role: 'representative', onBehalfOfId: await id(A) });
    assert.equal(m.statusCode, 201, m.body);
    assert.equal(m.json().onBehalfPending, true);
    const u = await adminB.api('PUT', `/api/memberships/${membershipB}`, { role: 'representative', onBehalfOfId: await id(A) });
    assert.equal(u.statusCode, 200, u.body);
    assert.equal(u.json().onBehalfPending, true);
    const prof = (await anon.api('GET', `/api/organisations/${A}`)).json();
    assert.ok(!prof.representatives.some((e: any) => e.organisation.slug === B));
    assert.ok(!JSON.stringify((await anon.api('GET', '/api/export/popolo')).json().memberships.filter((x: any) => x.id === m.json().id)).includes(await id(A)));
    await refused('POST', `/api/memberships/${m.json().id}/on-behalf/confirm`, {});
  });

  test('A confirms one (it appears among A’s representatives) and declines the other (the naming is gone)', async () => {
    const items = (await adminA.api('GET', '/api/memberships/requests')).json().items;
    assert.equal(items.length, 2);
    const other = items.find((x: any) => x.id === membershipB);
    const first = items.find((x: any) => x.id !== membershipB);
    assert.equal((await adminA.api('POST', `/api/memberships/${first.id}/on-behalf/confirm`, {})).statusCode, 200);
    assert.equal((await adminA.api('POST', `/api/memberships/${other.id}/on-behalf/decline`, {})).statusCode, 200);
    const prof = (await anon.api('GET', `/api/organisations/${A}`)).json();
    assert.deepEqual(prof.representatives.filter((e: any) => e.organisation.slug === B).map((e: any) => e.membership.id), [first.id]);
    assert.equal((await anon.api('GET', `/api/memberships/${membershipB}`)).json().onBehalfOfId, null);
  });

  test('B acting on its own behalf is fine', async () => {
    const res = await adminB.api('PUT', `/api/memberships/${membershipB}`, { role: 'representative', onBehalfOfId: await id(B) });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().onBehalfPending, false);
  });
});

describe('delegation: a network writes a member’s figures only with the member’s consent', () => {
  test('B’s admin cannot delegate A’s figures, to a network or otherwise', async () => {
    await refused('POST', `/api/organisations/${A}/delegations`, { networkId: await id('kommunnatverket-for-hallbar-utveckling') });
  });
});

describe('imports: figures by the area’s organisation, metadata by the indicator’s owner', () => {
  const long = (area: string, value: number, extra = '') => `indicator,area,period,value${extra ? ',unit' : ''}\ndemo-ghg-per-capita,${area},2030,${value}${extra ? `,${extra}` : ''}\n`;

  test('B cannot overwrite A’s area values', async () => {
    await refused('POST', '/api/imports', { format: 'long', filename: 'x.csv', content: long('se-0780', 99) });
  });

  test('B cannot write an area no organisation governs, nor a country', async () => {
    await refused('POST', '/api/imports', { format: 'long', filename: 'x.csv', content: long('se-0765', 1) });
    await refused('POST', '/api/imports', { format: 'long', filename: 'x.csv', content: long('se', 1) });
  });

  test('B imports its own area’s values; the shared indicator’s name, unit and SDG links stay, and the report says so', async () => {
    const [before] = await t.db.query<{ name: string; unit: string; links: number }>(
      `SELECT name, unit, (SELECT count(*)::int FROM ind_indicator_links l WHERE l.indicator_id = i.id) AS links FROM ind_indicators i WHERE code = 'demo-ghg-per-capita'`,
    );
    const ds = {
      version: '2.0', class: 'dataset', id: ['ind', 'geo', 'year'], size: [1, 1, 1],
      dimension: {
        ind: { category: { index: ['demo-ghg-per-capita'], label: { 'demo-ghg-per-capita': 'Renamed by B' }, unit: { 'demo-ghg-per-capita': { label: 'bananas' } } } },
        geo: { category: { index: ['dk-657'] } },
        year: { category: { index: ['2031'] } },
      },
      value: [4.2],
    };
    const res = await adminB.api('POST', '/api/imports', { format: 'jsonstat', filename: 'b.json', content: JSON.stringify(ds), mapping: { dims: { ind: 'indicator', geo: 'area', year: 'period' } } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().inserted, 1);
    assert.deepEqual(res.json().metadataSkipped, ['demo-ghg-per-capita']);
    const [after] = await t.db.query<typeof before>(
      `SELECT name, unit, (SELECT count(*)::int FROM ind_indicator_links l WHERE l.indicator_id = i.id) AS links FROM ind_indicators i WHERE code = 'demo-ghg-per-capita'`,
    );
    assert.deepEqual(after, before);
  });

  test('a new indicator belongs to its importer, who may change its metadata later', async () => {
    const ds = (name: string) => ({
      version: '2.0', class: 'dataset', id: ['ind', 'geo', 'year'], size: [1, 1, 1],
      dimension: { ind: { category: { index: ['herning-own'], label: { 'herning-own': name } } }, geo: { category: { index: ['dk-657'] } }, year: { category: { index: ['2030'] } } },
      value: [1],
    });
    const mapping = { dims: { ind: 'indicator', geo: 'area', year: 'period' } };
    assert.equal((await adminB.api('POST', '/api/imports', { format: 'jsonstat', filename: 'b.json', content: JSON.stringify(ds('Herning first')), mapping })).statusCode, 200);
    const again = await adminB.api('POST', '/api/imports', { format: 'jsonstat', filename: 'b.json', content: JSON.stringify(ds('Herning renamed')), mapping });
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(again.json().metadataSkipped, []);
    const [row] = await t.db.query<{ name: string }>(`SELECT name FROM ind_indicators WHERE code = 'herning-own'`);
    assert.equal(row!.name, 'Herning renamed');
  });
});

describe('areas: one organisation per area', () => {
  test('a second “Herning Kommune” bound to Herning’s area is refused', async () => {
    const before = await snap();
    const res = await adminB.api('POST', '/api/organisations', { name: 'Herning Kommune', slug: 'herning-2', kind: 'municipality', country: 'DK', areaCode: '657', lang: 'da', description: '' });
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().code, 'area_taken');
    assert.deepEqual(await snap(), before);
  });
});
