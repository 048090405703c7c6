import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import { assertAccessible, launch, noBrowser, serve, signIn, type Served } from './helpers.js';
import { drainJobs } from '../helpers.js';

/*
 * The plans and challenges journey: a municipality records a priority with two indicators and
 * publishes a challenge under it; a company user responds; the owner accepts. The four-promises
 * panel and the cohort page show it. axe runs on every page visited.
 */
let s: Served;
let browser: Browser;

before(async () => {
  if (noBrowser) return;
  s = await serve({ demo: true });
  await s.makeUser({ email: 'hurdal@example.org', name: 'Hilde Hurdal', roles: { 'hurdal-kommune': 'editor' } });
  await s.makeUser({ email: 'herning@example.org', name: 'Helle Herning', roles: { 'herning-kommune': 'editor' } });
  await s.makeUser({ email: 'bedrift@example.org', name: 'Bjørn Bedrift', roles: { 'ostfold-sirkular-as-demo': 'member' } });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await s?.close();
});

/** Acts, waits for the next page to load (not the one already shown), then scans it. */
async function visit(page: Page, action: () => Promise<unknown>) {
  await Promise.all([page.waitForEvent('load'), action()]);
  await assertAccessible(page);
}
/** Waits until the locator shows, so a slow page fails with the locator named rather than a bare falsy value. */
const shows = (l: Locator) => l.first().waitFor({ state: 'visible', timeout: 10_000 });
async function go(page: Page, path: string) {
  await page.goto(`${s.baseUrl}${path}`);
  await assertAccessible(page);
}

test('priority with two indicators, a challenge, a company’s response, acceptance; the promise panel and the cohort page show it', { skip: noBrowser }, async () => {
  const owner = await browser.newPage({ locale: 'en-GB' });
  await signIn(owner, s.baseUrl, 'hurdal@example.org');

  // Read the plans first: the list, the regional roadmap with its roll-up, and one action.
  await go(owner, '/plans');
  await visit(owner, () => owner.getByRole('link', { name: 'Regionalt veikart for Bærekraftsløftet kull 1 – Viken' }).click());
  await shows(owner.getByRole('heading', { name: 'Roadmap roll-up' }));
  await visit(owner, () => owner.getByRole('link', { name: 'Hurdal kommune – tiltak i Bærekraftsløftet' }).first().click());
  await visit(owner, () => owner.getByRole('link', { name: 'Energieffektivisering i kommunale bygg' }).click());
  await shows(owner.getByRole('heading', { name: 'Measured change since the action started' }));

  // 1. A priority with two indicators, chosen with the SDG goal as a filter.
  await go(owner, '/organisations/hurdal-kommune/priorities');
  await owner.getByLabel('Household waste sent to material recycling').check();
  await owner.getByLabel('SDG goal', { exact: true }).selectOption('11');
  // With JavaScript the filter swaps only the list (htmx), keeping the box already ticked.
  await owner.getByRole('button', { name: 'Filter' }).click();
  await owner.getByLabel('Territorial greenhouse gas emissions per inhabitant').waitFor({ state: 'detached', timeout: 10_000 });
  assert.ok(await owner.getByLabel('Household waste sent to material recycling').isChecked());
  await assertAccessible(owner);
  await go(owner, '/organisations/hurdal-kommune/priorities');
  await owner.getByLabel('Title', { exact: true }).fill('Mobilitet og luft');
  await owner.getByLabel('Rationale').fill('Kortere reiser og renere luft i sentrum.');
  await owner.getByLabel('SDG goals').fill('11');
  await owner.getByLabel('SDG targets').fill('11.2, 11.6');
  await owner.getByLabel('Household waste sent to material recycling').check();
  await owner.getByLabel('Territorial greenhouse gas emissions per inhabitant').check();
  await visit(owner, () => owner.getByRole('button', { name: 'Save' }).click());
  await shows(owner.getByRole('heading', { name: 'Mobilitet og luft' }));
  const card = owner.locator('article', { has: owner.getByRole('heading', { name: 'Mobilitet og luft' }) });
  assert.equal(await card.getByRole('listitem').filter({ has: owner.locator('a[href^="/indicators/"]') }).count(), 2);

  // 2. A challenge under that priority.
  await go(owner, '/challenges/new');
  await owner.getByLabel('Published by').selectOption({ label: 'Hurdal kommune' });
  await owner.getByLabel('Title', { exact: true }).fill('Delte el-sykler i sentrum');
  await owner.getByLabel('The problem').fill('Vi trenger en partner som kan drive en liten flåte av delte el-sykler.');
  await owner.getByLabel('Priority').selectOption({ label: 'Mobilitet og luft' });
  await owner.getByLabel('SDG targets').fill('11.2');
  await owner.getByLabel('Technology').check();
  await owner.getByLabel('Contact email').fill('mobilitet@hurdal.example');
  await owner.getByLabel('State').selectOption('open');
  await visit(owner, () => owner.getByRole('button', { name: 'Save' }).click());
  const challengeUrl = owner.url();
  assert.match(new URL(challengeUrl).pathname, /^\/challenges\/[0-9a-f-]{36}$/);

  // 3. A company user finds it at /challenges and responds.
  const co = await browser.newPage({ locale: 'en-GB' });
  await signIn(co, s.baseUrl, 'bedrift@example.org');
  await go(co, '/challenges?sdg=11&country=NO&help=technology');
  await visit(co, () => co.getByRole('link', { name: 'Delte el-sykler i sentrum' }).click());
  await co.getByLabel('Responding for').selectOption({ label: 'Østfold Sirkulær AS (demo)' });
  await co.getByLabel('What you offer').fill('Vi kan drive ti sykler i et prøveår.');
  await visit(co, () => co.getByRole('button', { name: 'Send response' }).click());
  await shows(co.getByText('Your response has been sent.'));
  await drainJobs(s);
  assert.ok(s.mailer.sent.some((m) => m.to === 'mobilitet@hurdal.example'), 'the owner was emailed');

  // Nobody else sees the response yet.
  const stranger = await browser.newPage({ locale: 'en-GB' });
  await stranger.goto(challengeUrl);
  await assertAccessible(stranger);
  assert.equal(await stranger.getByText('Vi kan drive ti sykler').count(), 0);

  // 4. The owner accepts; the company becomes a partner.
  await owner.goto(challengeUrl);
  await assertAccessible(owner);
  await visit(owner, () => owner.locator('li.response', { hasText: 'Vi kan drive ti sykler' }).getByRole('button', { name: /^Accept/ }).click());
  await shows(owner.getByRole('heading', { name: 'Partners' }));
  await stranger.reload();
  await shows(stranger.getByText('Vi kan drive ti sykler i et prøveår.'));

  // The promise panel on Hurdal's page, and the cohort page.
  await go(stranger, '/organisations/hurdal-kommune');
  const panel = stranger.locator('section', { has: stranger.getByRole('heading', { name: 'The four promises of the Stavanger declaration' }) });
  await shows(panel.getByText('1 challenge published, 1 partner engaged.'));
  await shows(panel.getByText(/adopted plans? with \d+ actions? linked to SDG targets/));
  await go(stranger, '/organisations/baerekraftsloftet-kull-1-viken/priorities');
  const row = stranger.locator('tr', { has: stranger.getByRole('rowheader', { name: /^11 / }) });
  await shows(row.getByText('Mobilitet og luft'));
  // The accepted responder is a partner in the priority's actor mapping.
  await go(stranger, '/organisations/hurdal-kommune/priorities');
  await shows(stranger.locator('article', { hasText: 'Mobilitet og luft' }).getByText('Østfold Sirkulær AS (demo): Partner'));
  await go(stranger, '/challenges');

  // Uploaded plan documents: the owner uploads one on the plan's page.
  await go(owner, '/plans');
  await visit(owner, () => owner.getByRole('link', { name: 'Hurdal kommune – tiltak i Bærekraftsløftet' }).first().click());
  const files = owner.locator('#files');
  await files.getByLabel('Title', { exact: true }).fill('Tiltaksplan (vedtatt)');
  await files.getByLabel('File', { exact: true }).setInputFiles({ name: 'tiltaksplan.txt', mimeType: 'text/plain', buffer: Buffer.from('Tiltaksplan for Hurdal\n') });
  await visit(owner, () => files.getByRole('button', { name: 'Upload a document' }).click());
  await shows(owner.locator('#files').getByRole('link', { name: 'Tiltaksplan (vedtatt)' }));

  // A follow-up item recorded on the meeting's own page by an editor of the organising body.
  const clerk = await browser.newPage({ locale: 'en-GB' });
  await signIn(clerk, s.baseUrl, 'herning@example.org');
  await go(clerk, '/plans');
  await visit(clerk, () => clerk.getByRole('link', { name: 'Bæredygtighedscenter i Herning' }).first().click());
  await visit(clerk, () => clerk.getByRole('link', { name: /^139\. Orientering/ }).click());
  const fu = clerk.locator('#followups');
  await fu.getByLabel('Agenda item').selectOption({ index: 1 });
  await fu.getByLabel('What is to be followed up').fill('Status på uddannelsesindsatsen');
  await fu.getByLabel('Who').fill('Følgegruppen');
  await fu.getByLabel('Action', { exact: true }).selectOption({ label: 'BC-2 Uddannelse (Bæredygtighedscenter i Herning)' });
  await visit(clerk, () => fu.getByRole('button', { name: 'Save', exact: true }).click());
  await shows(clerk.locator('#followups').getByText('Status på uddannelsesindsatsen'));
  await clerk.close();

  // Reflow at 320 CSS px: wide tables scroll inside their own box, the page does not.
  await stranger.setViewportSize({ width: 320, height: 800 });
  for (const path of ['/plans', `/organisations/baerekraftsloftet-kull-1-viken/priorities`, new URL(challengeUrl).pathname]) {
    await go(stranger, path);
    const wide = await stranger.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 322, `${path} is ${wide}px wide at 320`);
  }
  for (const p of [owner, co, stranger]) await p.close();
});
