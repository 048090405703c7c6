import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseCsv } from 'csv-parse/sync';
import readXlsxFile from 'read-excel-file/node';
import { createTestApp, drainJobs, type Agent, type TestApp } from '../../../test/helpers.js';
import { directory } from '../directory/index.js';
import { seedProjectsDemo } from './index.js';
import { networkMemberIds } from './queries.js';
import { sendDeadlineReminders } from './reminders.js';
import { pt } from './i18n.js';

let t: TestApp;
let owner: Agent;
let anon: Agent;
const id = async (slug: string) => (await directory.getOrganisation(t.db.orm, slug)).id;

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'owner@example.org', roles: { 'vaxjo-kommun': 'editor' } });
  await t.makeUser({ email: 'member@example.org', roles: { 'vaxjo-kommun': 'member' } });
  owner = await t.agent('owner@example.org');
  anon = await t.agent();
});
after(() => t.close());

describe('demo data', () => {
  test('Växjö’s three projects and Herning’s budget are there, and seeding twice changes nothing', async () => {
    const slugs = (await anon.api('GET', '/api/projects')).json().items.map((p: any) => p.slug).sort();
    assert.deepEqual(slugs, ['baeredygtighed-herning-2020-2023', 'etableringssamverkan-kronoberg-2', 'samordnad-samhallsorientering-kronoberg', 'spik']);
    assert.deepEqual((await seedProjectsDemo(t.db)).created, []);
    const spik = (await anon.api('GET', '/api/projects/spik')).json();
    assert.equal(spik.partners.length, 10);
    assert.equal(spik.partners.find((p: any) => p.role === 'steering_group').name, 'Arbetsmarknadssamverkan');
    assert.deepEqual(spik.milestones.find((m: any) => m.kind === 'phase'), { id: spik.milestones.find((m: any) => m.kind === 'phase').id, kind: 'phase', title: 'Operativt deltagararbete', startDate: '2021-02-01', dueDate: '2022-10-31' });
    assert.equal(spik.funding[0].funder.name, 'Europeiska socialfonden');
    const etab = (await anon.api('GET', '/api/projects/etableringssamverkan-kronoberg-2')).json();
    assert.equal(etab.partners.find((p: any) => p.slug === 'markaryds-kommun').endDate, '2021-01-31');
    const herning = (await anon.api('GET', '/api/projects/baeredygtighed-herning-2020-2023')).json();
    assert.deepEqual(herning.total, [{ currency: 'DKK', amountMinor: 2_000_000_000, amount: '20000000.00' }]);
    assert.deepEqual(herning.totalsByYear.map((y: any) => y.amounts[0].amount), ['5000000.00', '5000000.00', '5000000.00', '5000000.00']);
    assert.match(herning.links[0].url, /^\/meetings\/[0-9a-f-]+\/items\/[0-9a-f-]+$/);
    assert.equal((await anon.get(herning.links[0].url)).statusCode, 200);
    // Linked to Herning's plan from the plans demo: the four fields of the sustainability centre.
    assert.deepEqual(herning.planActions.map((a: any) => [a.identifier, a.plan.title]), ['BC-1', 'BC-2', 'BC-3', 'BC-4'].map((x) => [x, 'Bæredygtighedscenter i Herning']));
    const herningPage = (await anon.get('/projects/baeredygtighed-herning-2020-2023')).body;
    assert.ok(herningPage.includes(`href="/plans/${herning.planActions[0].plan.id}"`) && herningPage.includes(`href="/actions/${herning.planActions[0].id}"`));
    assert.ok((await anon.get(`/actions/${herning.planActions[3].id}`)).body.includes('href="/projects/baeredygtighed-herning-2020-2023"'));
  });

  test('the search index finds SPiK by “ESF”', async () => {
    const rows = await t.db.query<{ url: string }>(`SELECT url FROM search_documents WHERE doc_type = 'project' AND tsv @@ plainto_tsquery('swedish', 'ESF') AND restricted_to_org IS NULL`);
    assert.ok(rows.some((r) => r.url === '/projects/spik'));
  });
});

describe('pages', () => {
  test('the list filters by funder, state and country, and shows money in the reader’s locale', async () => {
    const res = await anon.get('/projects?funder=europeiska-socialfonden');
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes('Sammansatt problematik i Kronobergs län'));
    assert.ok(!res.body.includes('Bæredygtighed i Herning'));
    const dk = await anon.get('/projects?country=DK', { 'accept-language': 'da' });
    assert.ok(dk.body.includes('Bæredygtighed i Herning'));
    assert.match(dk.body, /20\.000\.000\skr\./);
    const en = await anon.get('/projects/baeredygtighed-herning-2020-2023', { 'accept-language': 'en' });
    assert.match(en.body, /DKK\s5,000,000/);
    assert.ok(en.body.includes('lang="da"'));
  });

  test('the country filter names the countries in the reader’s language', async () => {
    const en = (await anon.get('/projects', { 'accept-language': 'en' })).body;
    assert.ok(en.includes('<option value="SE">Sweden</option>') && en.includes('<option value="NO">Norway</option>') && en.includes('<option value="DK">Denmark</option>'), 'English names on the English page');
    assert.ok(!en.includes('Sverige'));
    const sv = (await anon.get('/projects', { 'accept-language': 'sv' })).body;
    assert.ok(sv.includes('<option value="SE">Sverige</option>'));
  });

  test('the calendar link carries the list’s filters, as the exports do', async () => {
    const page = (await anon.get('/projects?country=DK&state=ended')).body;
    assert.ok(page.includes('href="/projects/deadlines.ics?state=ended&amp;country=DK"'), 'the filtered calendar is linked');
    assert.ok(page.includes('href="/projects/export.csv?state=ended&amp;country=DK"'));
    assert.ok((await anon.get('/projects')).body.includes('href="/projects/deadlines.ics"'), 'no filters, no query');
  });

  test('organisation pages list owned projects and partnerships with role and dates', async () => {
    const vx = await anon.get('/organisations/vaxjo-kommun');
    assert.ok(vx.body.includes('id="org-projects"'));
    assert.ok(vx.body.includes('/projects/spik'));
    const mk = await anon.get('/organisations/markaryds-kommun', { 'accept-language': 'sv' });
    assert.ok(mk.body.includes('Etableringssamverkan Kronoberg 2'));
    assert.match(mk.body, /Samverkanspart, … – 31 januari 2021/);
  });

  test('an editor creates a project through the form, with an error first', async () => {
    const fields = {
      name: 'Formprojekt', lang: 'sv', ownerOrgId: await id('vaxjo-kommun'), state: 'planned', visibility: 'public', startDate: '2025-01-01', endDate: '2024-01-01',
      'partners.0.organisationId': await id('alvesta-kommun'), 'partners.0.role': 'partner',
      'partners.1.organisationId': '', 'partners.1.role': 'partner',
      'funding.0.funderOrgId': await id('europeiska-socialfonden'), 'funding.0.amountsText': '2025 SEK 100000\n2026 EUR 5000,50',
      'milestones.0.kind': 'deadline', 'milestones.0.title': 'Slutrapport', 'milestones.0.dueDate': '2026-01-31',
      sdgTargets: '8.5',
    };
    const bad = await owner.postForm('/projects', fields);
    assert.equal(bad.statusCode, 422);
    assert.ok(bad.body.includes('id="f-endDate-err"'));
    const badAmount = await owner.postForm('/projects', { ...fields, endDate: '2026-12-31', 'funding.0.amountsText': '2025 SEK -5' });
    assert.equal(badAmount.statusCode, 422);
    assert.ok(badAmount.body.includes('id="f-funding.0.amountsText-err"'));
    const ok = await owner.postForm('/projects', { ...fields, endDate: '2026-12-31' });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 2000));
    assert.equal(ok.headers.location, '/projects/formprojekt?created=1');
    const p = (await anon.api('GET', '/api/projects/formprojekt')).json();
    assert.deepEqual(p.total.map((x: any) => `${x.amount} ${x.currency}`), ['5000.50 EUR', '100000.00 SEK']);
    assert.equal(p.partners.length, 1);
    const edit = await owner.get('/projects/formprojekt/edit');
    assert.equal(edit.statusCode, 200);
    assert.ok(edit.body.includes('2026 EUR 5000.50'));
    assert.equal((await anon.get('/projects/formprojekt/edit')).statusCode, 401);
  });

  test('an address another project has is shown at its field in the edit form, nothing saved', async () => {
    const fields = { name: 'Formprojekt', lang: 'sv', ownerOrgId: await id('vaxjo-kommun'), state: 'planned', visibility: 'public', slug: 'spik', description: 'Ny beskrivning' };
    const res = await owner.postForm('/projects/formprojekt/edit', fields);
    assert.equal(res.statusCode, 422, res.body.slice(0, 500));
    assert.ok(res.body.includes('id="f-slug-err"'));
    assert.ok(Object.values(pt).some((c) => res.body.includes(c.slugTaken)));
    assert.ok(res.body.includes('Ny beskrivning'), 'the input is kept');
    const p = (await anon.api('GET', '/api/projects/formprojekt')).json();
    assert.deepEqual([p.slug, p.description, p.partners.length], ['formprojekt', '', 1]);
    // An address that names one of the project pages is refused as such, not as another project's.
    const reserved = await owner.postForm('/projects/formprojekt/edit', { ...fields, slug: 'export' });
    assert.equal(reserved.statusCode, 422);
    assert.ok(reserved.body.includes('id="f-slug-err"'));
    assert.ok(Object.values(pt).some((c) => reserved.body.includes(c.slugReserved)));
    assert.ok(!Object.values(pt).some((c) => reserved.body.includes(c.slugTaken)));
    assert.equal((await anon.api('GET', '/api/projects/formprojekt')).json().slug, 'formprojekt');
  });

  test('documents are content-checked on upload and downloadable', async () => {
    const bad = await owner.postMultipart('/projects/formprojekt/documents', { title: 'Falsk' }, [{ name: 'file', filename: 'rapport.pdf', content: Buffer.from('not a pdf at all') }]);
    assert.equal(bad.statusCode, 422);
    const good = await owner.postMultipart('/projects/formprojekt/documents', { title: 'Anteckningar' }, [{ name: 'file', filename: 'anteckningar.txt', content: Buffer.from('Hej från projektet.\n') }]);
    assert.equal(good.statusCode, 303, good.body.slice(0, 500));
    const p = (await anon.api('GET', '/api/projects/formprojekt')).json();
    assert.equal(p.documents.length, 1);
    const dl = await anon.get(new URL(p.documents[0].url).pathname);
    assert.equal(dl.statusCode, 200);
    assert.equal(dl.body, 'Hej från projektet.\n');
  });

  test('the network overview charts funding by funder and year with a summary and a table', async () => {
    const res = await anon.get('/projects/networks/union-of-the-baltic-cities', { 'accept-language': 'en' });
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.includes('<svg'));
    assert.ok(res.body.includes('role="img"'));
    assert.ok(res.body.includes('Formprojekt'));
    assert.ok(res.body.includes('Funding by funder and year (SEK)'));
    assert.ok(res.body.includes('Funding by funder and year (EUR)'));
  });
});

describe('network members', () => {
  test('a network’s current members are all read, however many memberships it has, and none that has not begun', async () => {
    const org = async (slug: string, kind: string) =>
      (await t.db.query<{ id: string }>(`INSERT INTO organisations (slug, name, search_name, kind) VALUES ($1, $1, $1, $2) RETURNING id`, [slug, kind]))[0]!.id;
    const net = await org('big-network', 'network');
    // 600 people come before the member organisations in the directory's order of memberships.
    await t.db.query(`INSERT INTO people (slug, name, search_name) SELECT 'big-p-' || g, 'P ' || g, 'p ' || g FROM generate_series(1, 600) g`);
    await t.db.query(`INSERT INTO memberships (organisation_id, person_id, role, start_date) SELECT $1, id, 'member', '2000' FROM people WHERE slug LIKE 'big-p-%'`, [net]);
    const year = String(new Date().getUTCFullYear());
    const member = async (slug: string, start: string | null, end: string | null) => {
      const id = await org(slug, 'company');
      await t.db.query(`INSERT INTO memberships (organisation_id, member_organisation_id, role, start_date, end_date) VALUES ($1, $2, 'member', $3, $4)`, [net, id, start, end]);
      return id;
    };
    const current = await member('big-current', '2010', null);
    const thisYear = await member('big-this-year', year, null); // a partial date at its widest: begun this year
    const endsThisYear = await member('big-ends-this-year', null, year);
    await member('big-future', '2999-01-01', null);
    await member('big-ended', '2000', '2001');
    assert.deepEqual((await networkMemberIds(t.db.orm, net)).sort(), [current, thisYear, endsThisYear].sort());
  });
});

describe('feeds, exports and reminders', () => {
  test('deadlines as iCalendar', async () => {
    const res = await anon.get('/projects/etableringssamverkan-kronoberg-2/deadlines.ics');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/calendar/);
    assert.ok(res.body.includes('DTSTART;VALUE=DATE:20210531'));
    assert.ok(res.body.includes('DTEND;VALUE=DATE:20210601'));
    assert.ok(res.body.includes('SUMMARY:Återredovisning till ESF – Etableringssamverkan Kronoberg 2'));
    const all = await anon.get('/projects/deadlines.ics');
    assert.ok(all.body.includes('Operativt deltagararbete'));
    assert.ok(all.body.split('\r\n').every((l) => Buffer.byteLength(l) <= 75));
  });

  test('CSV and XLSX exports read back with independent readers, formulas neutralised', async () => {
    const body = (await anon.api('GET', '/api/projects/formprojekt')).json();
    const put = await owner.api('PUT', '/api/projects/formprojekt', {
      ...body, ownerOrgId: await id('vaxjo-kommun'), name: '=HYPERLINK("http://evil")', acronym: '@SUM', slug: 'formprojekt',
      partners: [], milestones: [], links: [], sdgTargets: [], indicators: [],
      funding: [{ funderOrgId: await id('europeiska-socialfonden'), programme: '+cmd', grantReference: '-1', amounts: [{ year: 2025, currency: 'SEK', amount: '1234.56' }] }],
    });
    assert.equal(put.statusCode, 200, put.body);
    const csv = await anon.get('/projects/export.csv?organisation=vaxjo-kommun');
    assert.equal(csv.statusCode, 200);
    const rows = parseCsv(csv.body, { columns: true, bom: true }) as Record<string, string>[];
    const mine = rows.filter((r) => r.project === 'formprojekt');
    assert.equal(mine[0]!.name, `'=HYPERLINK("http://evil")`);
    assert.equal(mine[0]!.acronym, `'@SUM`);
    const f = mine.find((r) => r.record === 'funding')!;
    assert.deepEqual([f.organisation, f.programme, f.grant_reference, f.year, f.currency, f.amount], ['Europeiska socialfonden', `'+cmd`, `'-1`, '2025', 'SEK', '1234.56']);
    assert.ok(rows.some((r) => r.project === 'spik' && r.record === 'partner' && r.role === 'steering_group'));
    const x = await anon.get('/projects/export.xlsx?organisation=vaxjo-kommun');
    assert.equal(x.statusCode, 200);
    const read = (await readXlsxFile(x.rawPayload)) as unknown;
    // read-excel-file 9 returns [{ sheet, data }]; earlier versions the first sheet's rows.
    const sheet = (Array.isArray(read) && read[0] && 'data' in read[0] ? read[0].data : read) as unknown[][];
    const head = sheet[0] as string[];
    const col = (name: string) => head.indexOf(name);
    const xf = sheet.find((r) => r[col('project')] === 'formprojekt' && r[col('record')] === 'funding')!;
    assert.equal(xf[col('amount')], 1234.56);
    assert.equal(xf[col('programme')], `'+cmd`);
    assert.equal(sheet.find((r) => r[col('project')] === 'formprojekt')![col('name')], `'=HYPERLINK("http://evil")`);
  });

  test('reminders go once per deadline to the owner’s editors, and again when the date moves', async () => {
    const body = (await anon.api('GET', '/api/projects/formprojekt')).json();
    const base = { ...body, ownerOrgId: await id('vaxjo-kommun'), partners: [], links: [], sdgTargets: [], indicators: [], funding: [] };
    await owner.api('PUT', '/api/projects/formprojekt', { ...base, milestones: [{ kind: 'deadline', title: 'Slutrapport', dueDate: '2026-03-10' }] });
    t.mailer.sent.length = 0;
    const first = await sendDeadlineReminders(t.db, { publicUrl: 'http://x', daysBefore: 14, today: '2026-03-01' });
    assert.equal(first.deadlines, 1);
    await drainJobs(t);
    const to = t.mailer.sent.map((m) => m.to);
    assert.ok(to.includes('owner@example.org'));
    assert.ok(!to.includes('member@example.org'), 'members are not editors');
    assert.match(t.mailer.sent[0]!.subject, /Slutrapport/);
    assert.equal((await sendDeadlineReminders(t.db, { publicUrl: 'http://x', daysBefore: 14, today: '2026-03-02' })).deadlines, 0);
    await owner.api('PUT', '/api/projects/formprojekt', { ...base, milestones: [{ kind: 'deadline', title: 'Slutrapport', dueDate: '2026-03-12' }] });
    assert.equal((await sendDeadlineReminders(t.db, { publicUrl: 'http://x', daysBefore: 14, today: '2026-03-02' })).deadlines, 1);
  });

  test('saving a project again does not remind of a deadline already reminded, nor renew its calendar event', async () => {
    const body = (await anon.api('GET', '/api/projects/formprojekt')).json();
    const base = { ...body, ownerOrgId: await id('vaxjo-kommun'), partners: [], links: [], sdgTargets: [], indicators: [], funding: [] };
    const ms = [{ kind: 'deadline', title: 'Lägesrapport', dueDate: '2026-05-10' }, { kind: 'phase', title: 'Förstudie', startDate: '2026-01-01', dueDate: '2026-04-30' }];
    assert.equal((await owner.api('PUT', '/api/projects/formprojekt', { ...base, milestones: ms })).statusCode, 200);
    const ids = (await anon.api('GET', '/api/projects/formprojekt')).json().milestones.map((m: any) => m.id).sort();
    assert.equal((await sendDeadlineReminders(t.db, { publicUrl: 'http://x', daysBefore: 14, today: '2026-05-01' })).deadlines, 1);
    // An edit elsewhere in the project (the description; the deadlines listed in another order).
    assert.equal((await owner.api('PUT', '/api/projects/formprojekt', { ...base, description: 'Ändrad text', milestones: [ms[1], ms[0]] })).statusCode, 200);
    assert.deepEqual((await anon.api('GET', '/api/projects/formprojekt')).json().milestones.map((m: any) => m.id).sort(), ids);
    assert.equal((await sendDeadlineReminders(t.db, { publicUrl: 'http://x', daysBefore: 14, today: '2026-05-02' })).deadlines, 0);
    // A deadline removed and a new one added: the new one is reminded, the old one is gone.
    const again = (await owner.api('PUT', '/api/projects/formprojekt', { ...base, milestones: [ms[0], { kind: 'deadline', title: 'Slutseminarium', dueDate: '2026-05-12' }] })).json();
    assert.deepEqual(again.milestones.map((m: any) => m.title), ['Lägesrapport', 'Slutseminarium']);
    assert.equal((await sendDeadlineReminders(t.db, { publicUrl: 'http://x', daysBefore: 14, today: '2026-05-02' })).deadlines, 1);
  });
});
