import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { assertAccessible, launch, noBrowser, serve, signIn, type Served } from './helpers.js';

let s: Served;
let browser: Browser;

before(async () => {
  if (noBrowser) return;
  s = await serve({ demo: true });
  await s.makeUser({ email: 'strateg@example.org', name: 'Sara Strateg', roles: { 'vaxjo-kommun': 'editor' } });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await s?.close();
});

async function visit(page: Page, action: () => Promise<unknown>) {
  await Promise.all([page.waitForLoadState('load'), action()]);
  await assertAccessible(page);
}
const field = (page: Page, name: string) => page.locator(`[id="f-${name}"]`);

test('an editor creates a project with two partners and two funding sources and finds it on organisation pages and in the network overview, in two languages', { skip: noBrowser }, async () => {
  const page = await browser.newPage({ locale: 'en-GB' });
  await signIn(page, s.baseUrl, 'strateg@example.org');
  await page.goto(`${s.baseUrl}/projects`);
  await assertAccessible(page);
  assert.ok(await page.getByRole('link', { name: 'Sammansatt problematik i Kronobergs län' }).isVisible(), 'line 31');

  await visit(page, () => page.getByRole('link', { name: 'New project' }).click());
  await field(page, 'name').fill('Klimatsmart Kronoberg');
  await field(page, 'acronym').fill('KliK');
  await field(page, 'lang').selectOption('sv');
  await field(page, 'ownerOrgId').selectOption({ label: 'Växjö kommun' });
  await field(page, 'state').selectOption('running');
  await field(page, 'startDate').fill('2025-01-01');
  await field(page, 'endDate').fill('2024-12-31'); // ends before it starts: refused first
  await field(page, 'partners.0.organisationId').selectOption({ label: 'Alvesta kommun' });
  await field(page, 'partners.1.organisationId').selectOption({ label: 'Lessebo kommun' });
  await field(page, 'partners.1.role').selectOption('co_financer');
  await field(page, 'partners.1.endDate').fill('2025-06-30');
  await field(page, 'milestones.0.kind').selectOption('deadline');
  await field(page, 'milestones.0.title').fill('Slutrapport');
  await field(page, 'milestones.0.dueDate').fill('2026-12-31');
  await field(page, 'funding.0.funderOrgId').selectOption({ label: 'Europeiska socialfonden' });
  await field(page, 'funding.0.programme').fill('ESF+');
  await field(page, 'funding.0.amountsText').fill('2025 SEK 1000000\n2026 SEK 800000');
  await field(page, 'funding.1.funderOrgId').selectOption({ label: 'Länsstyrelsen i Kronobergs län' });
  await field(page, 'funding.1.amountsText').fill('2025 EUR 20000');
  await field(page, 'planActions.0').selectOption({ label: 'Bæredygtighedscenter i Herning: BC-1 Virksomheder og iværksættere' });
  await field(page, 'challenges.0').selectOption({ index: 1 });
  await visit(page, () => page.getByRole('button', { name: 'Create project' }).click());
  assert.ok(await page.getByRole('alert').filter({ hasText: 'End' }).isVisible(), 'line 54');
  assert.equal(await field(page, 'funding.0.amountsText').inputValue(), '2025 SEK 1000000\n2026 SEK 800000');
  await field(page, 'endDate').fill('2026-12-31');
  await visit(page, () => page.getByRole('button', { name: 'Create project' }).click());
  assert.equal(new URL(page.url()).pathname, '/projects/klik');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Klimatsmart Kronoberg (KliK)');
  const bySource = page.locator('table', { has: page.locator('caption', { hasText: 'Funding per source' }) });
  assert.ok(await bySource.locator('tr', { hasText: 'Europeiska socialfonden' }).filter({ hasText: 'SEK 1,800,000' }).isVisible(), 'line 61');
  assert.ok(await bySource.locator('tr', { hasText: 'Länsstyrelsen' }).filter({ hasText: '€20,000' }).isVisible(), 'line 62');
  // The links to a plan action and a challenge, shown on the project and on their pages.
  const challengeLink = page.locator('#p-linked ~ ul a[href^="/challenges/"], #p-linked ~ * a[href^="/challenges/"]').first();
  const challengeHref = await challengeLink.getAttribute('href');
  assert.ok(challengeHref, 'linked challenge');
  await visit(page, () => page.getByRole('link', { name: 'BC-1 Virksomheder og iværksættere' }).click());
  assert.ok(await page.getByRole('heading', { name: 'Projects carrying out this action' }).isVisible(), 'action page');
  assert.ok(await page.getByRole('link', { name: 'Klimatsmart Kronoberg' }).isVisible(), 'action page lists the project');
  await visit(page, () => page.goto(`${s.baseUrl}${challengeHref}`));
  assert.ok(await page.getByRole('heading', { name: 'Projects answering this challenge' }).isVisible(), 'challenge page');
  assert.ok(await page.getByRole('link', { name: 'Klimatsmart Kronoberg' }).isVisible(), 'challenge page lists the project');
  await visit(page, () => page.goto(`${s.baseUrl}/projects/baeredygtighed-herning-2020-2023`));
  assert.ok(await page.getByRole('link', { name: 'Bæredygtighedscenter i Herning' }).first().isVisible(), 'Herning’s budget links its plan');

  await page.goto(`${s.baseUrl}/organisations/vaxjo-kommun`);
  await assertAccessible(page);
  assert.ok(await page.locator('#org-projects ~ *').getByRole('link', { name: 'Klimatsmart Kronoberg' }).first().isVisible(), 'line 66');
  await page.goto(`${s.baseUrl}/organisations/lessebo-kommun`);
  await assertAccessible(page);
  assert.ok(await page.getByText(/Klimatsmart Kronoberg: Co-financer, 1 January 2025 – 30 June 2025/).isVisible(), 'line 69');

  await page.goto(`${s.baseUrl}/projects/networks/union-of-the-baltic-cities`);
  await assertAccessible(page);
  assert.ok(await page.getByRole('link', { name: 'Klimatsmart Kronoberg' }).isVisible(), 'line 73');
  assert.ok(await page.getByRole('img', { name: /Funding in SEK by year/ }).isVisible(), 'line 74');

  // The same pages in Swedish.
  await visit(page, () => page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Svenska' }).click());
  assert.ok(await page.getByRole('heading', { name: 'Finansiering per finansiär och år' }).isVisible(), 'line 78');
  await page.goto(`${s.baseUrl}/projects/klik`);
  await assertAccessible(page);
  assert.ok(await page.getByRole('heading', { name: 'Finansiering' }).isVisible(), 'line 81');
  assert.ok(await page.getByText(/1\s800\s000\skr/).first().isVisible(), 'line 82');
  await page.goto(`${s.baseUrl}/organisations/alvesta-kommun`);
  await assertAccessible(page);
  assert.ok(await page.getByText(/Klimatsmart Kronoberg: Samverkanspart/).isVisible(), 'line 85');
  await visit(page, () => page.goto(`${s.baseUrl}/projects/klik/edit`));
  assert.equal(await field(page, 'partners.1.endDate').inputValue(), '2025-06-30');
  await page.close();
});
