import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { assertAccessible, launch, noBrowser, serve, signIn, type Served } from './helpers.js';

let s: Served;
let browser: Browser;

before(async () => {
  if (noBrowser) return;
  s = await serve({ demo: true });
  await s.makeUser({ email: 'koordinator@example.org', name: 'Karin Koordinator', roles: { 'kommunnatverket-for-hallbar-utveckling': 'editor', 'vanersborgs-kommun': 'editor' } });
  // Acting "on behalf of" Vänersborg needs the right to act for it (docs/permissions.md), hence the second role.
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await s?.close();
});

/** Goes to a page by clicking, like a user, then scans it. */
async function visit(page: Page, action: () => Promise<unknown>) {
  await Promise.all([page.waitForLoadState('load'), action()]);
  await assertAccessible(page);
}

test('an editor creates a working group, adds a person on behalf of a municipality, and sees it on the municipality page in two languages', { skip: noBrowser }, async () => {
  const page = await browser.newPage({ locale: 'en-GB' });
  await page.goto(s.baseUrl);
  await assertAccessible(page);
  await signIn(page, s.baseUrl, 'koordinator@example.org');

  await page.goto(`${s.baseUrl}/organisations/kommunnatverket-for-hallbar-utveckling`);
  await assertAccessible(page);
  await visit(page, () => page.getByRole('link', { name: 'Add working group or body' }).click());
  await page.getByLabel('Name', { exact: true }).fill('Arbetsgrupp cirkulär ekonomi');
  await page.getByLabel('Kind').selectOption('working_group');
  await page.getByLabel('Language of the text').selectOption('sv');
  await visit(page, () => page.getByRole('button', { name: 'Create' }).click());
  assert.equal(new URL(page.url()).pathname, '/organisations/arbetsgrupp-cirkular-ekonomi');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Arbetsgrupp cirkulär ekonomi');

  // A rejected form keeps the input and says what is wrong, next to the field.
  await visit(page, () => page.getByRole('link', { name: 'Add member or role' }).click());
  await page.getByLabel('Or a new person: name').fill('Maja Exempelsson');
  await page.getByLabel('Role').selectOption('chair');
  await page.getByLabel('On behalf of').selectOption({ label: 'Vänersborgs kommun' });
  await page.getByLabel(/^Start date/).fill('2026-13');
  await visit(page, () => page.getByRole('button', { name: 'Save' }).click());
  assert.equal(await page.getByLabel('Or a new person: name').inputValue(), 'Maja Exempelsson');
  assert.ok(await page.getByRole('alert').filter({ hasText: 'Start date' }).isVisible());
  await page.getByLabel(/^Start date/).fill('2026-03');
  await visit(page, () => page.getByRole('button', { name: 'Save' }).click());
  assert.equal(new URL(page.url()).pathname, '/organisations/arbetsgrupp-cirkular-ekonomi');
  assert.ok(await page.getByRole('link', { name: 'Maja Exempelsson', exact: true }).isVisible());

  await page.goto(`${s.baseUrl}/organisations/vanersborgs-kommun`);
  await assertAccessible(page);
  const reps = page.locator('table', { has: page.locator('caption', { hasText: 'Represents this organisation elsewhere: Current' }) });
  const row = reps.locator('tr', { hasText: 'Arbetsgrupp cirkulär ekonomi' });
  assert.ok(await row.isVisible());
  assert.ok(await row.getByText('Maja Exempelsson').isVisible());
  assert.ok(await row.getByText('Chair').isVisible());
  assert.ok(await row.getByText('Mar 2026').isVisible());

  // Switch language with the switcher: the same facts, in Swedish, and the choice sticks.
  await visit(page, () => page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Svenska' }).click());
  assert.equal(await page.locator('html').getAttribute('lang'), 'sv');
  const repsSv = page.locator('table', { has: page.locator('caption', { hasText: 'Representerar organisationen på andra håll: Nuvarande' }) });
  const rowSv = repsSv.locator('tr', { hasText: 'Arbetsgrupp cirkulär ekonomi' });
  assert.ok(await rowSv.getByText('Ordförande').isVisible());
  assert.ok(await rowSv.getByText('Maja Exempelsson').isVisible());
  await visit(page, () => page.getByRole('link', { name: 'Organisationer' }).first().click());
  assert.equal(await page.locator('html').getAttribute('lang'), 'sv');

  // The history records who did it.
  await page.goto(`${s.baseUrl}/organisations/arbetsgrupp-cirkular-ekonomi/history`);
  await assertAccessible(page);
  assert.ok(await page.getByText('Karin Koordinator').first().isVisible());
  await page.close();
});

test('keyboard users reach the main content through the skip link, with visible focus', { skip: noBrowser }, async () => {
  const page = await browser.newPage();
  await page.goto(`${s.baseUrl}/organisations`);
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => ({ text: document.activeElement?.textContent, outline: getComputedStyle(document.activeElement!).outlineStyle }));
  assert.match(focused.text ?? '', /Skip to main content/);
  assert.notEqual(focused.outline, 'none');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => location.hash), '#main');
  await page.close();
});

test('search updates as you type when JavaScript is on, and works as a plain form without it', { skip: noBrowser }, async () => {
  const page = await browser.newPage({ locale: 'nb-NO' });
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${s.baseUrl}/search`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'nb');
  await page.getByLabel('Søk i alt').pressSequentially('tromso');
  await page.getByRole('link', { name: 'Tromsø kommune', exact: true }).waitFor();
  assert.match(page.url(), /\/search\?q=tromso/);
  await assertAccessible(page);
  assert.deepEqual(errors, [], 'no script or CSP errors');
  await page.close();

  const ctx = await browser.newContext({ javaScriptEnabled: false, locale: 'da-DK' });
  const plain = await ctx.newPage();
  await plain.goto(`${s.baseUrl}/search`);
  await plain.getByLabel('Søg i alt').fill('herning');
  await Promise.all([plain.waitForURL(/q=herning/), plain.getByLabel('Søg i alt').press('Enter')]);
  assert.ok(await plain.getByRole('link', { name: 'Herning Kommune', exact: true }).isVisible());
  // axe needs JavaScript, so this page is scanned with it on: same markup, as the server sends it.
  const scan = await browser.newPage({ locale: 'da-DK' });
  await scan.goto(plain.url());
  await assertAccessible(scan);
  await scan.close();
  await ctx.close();
});
