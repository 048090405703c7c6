import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { assertAccessible, launch, noBrowser, serve, signIn, type Served } from './helpers.js';

/*
 * The network coordinator's journey: set a target for the whole network on its
 * status page, and see a member's status change on the member's progress page
 * and on the network status page. Every page visited is scanned with axe.
 */
let s: Served;
let browser: Browser;
const NET = 'baerekraftsnettverket';

before(async () => {
  if (noBrowser) return;
  s = await serve({ demo: true });
  await s.makeUser({ email: 'koordinator@example.org', name: 'Nina Nettverk', roles: { [NET]: 'editor' } });
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

const renewableRow = (page: Page) => page.locator('tr', { has: page.getByRole('link', { name: 'Renewable share of final energy use' }) });

test('a network target changes a member’s status on its progress page and on the network status page', { skip: noBrowser }, async () => {
  const page = await browser.newPage({ locale: 'en-GB' });
  // Before: Molde's renewable share is measured without a target.
  await page.goto(`${s.baseUrl}/organisations/molde-kommune`);
  await assertAccessible(page);
  await visit(page, () => page.getByRole('link', { name: 'Progress towards 2030 for Molde' }).click());
  assert.equal(new URL(page.url()).pathname, '/areas/no-1506/progress');
  assert.equal(await page.getByRole('listitem').filter({ hasText: 'Goal 7: Affordable and clean energy' }).getByText('No selected indicators').count(), 1);
  assert.match((await renewableRow(page).textContent()) ?? '', /No target/);

  await signIn(page, s.baseUrl, 'koordinator@example.org');
  await page.goto(`${s.baseUrl}/organisations/${NET}`);
  await assertAccessible(page);
  await visit(page, () => page.getByRole('link', { name: 'Status per member (goals and U4SSC)' }).click());
  assert.equal(new URL(page.url()).pathname, `/organisations/${NET}/status`);
  const moldeRow = page.locator('tr', { has: page.getByRole('link', { name: 'Molde kommune' }) }).first();
  const goal7 = moldeRow.locator('td').nth(7); // index, then goals 1–17
  assert.equal((await goal7.textContent())?.trim(), '–');

  // A rejected form keeps the input and names the field.
  await page.getByLabel('Indicator').selectOption({ label: 'Renewable share of final energy use' });
  await page.getByLabel('Target value').fill('lots');
  await visit(page, () => page.getByRole('button', { name: 'Save target' }).click());
  assert.ok(await page.getByRole('alert').filter({ hasText: 'Target value' }).isVisible(), 'check 1');
  await page.getByLabel('Target value').fill('95');
  await page.getByLabel('Source or justification').fill('Illustrative: the network’s shared ambition');
  await visit(page, () => page.getByRole('button', { name: 'Save target' }).click());
  assert.ok(await page.getByText('95 by 2030').isVisible(), 'check 2');
  const after = (await page.locator('tr', { has: page.getByRole('link', { name: 'Molde kommune' }) }).first().locator('td').nth(7).textContent())?.trim() ?? '';
  assert.match(after, /Goal achieved|Challenges remain|Significant challenges|Major challenges/, 'the member’s goal 7 now has a status in words');

  // The member's progress page shows the network target and a status against it.
  await visit(page, () => page.getByRole('link', { name: 'Molde kommune' }).first().click());
  assert.equal(new URL(page.url()).pathname, '/areas/no-1506/progress');
  const row = (await renewableRow(page).textContent()) ?? '';
  assert.match(row, /Network target/);
  assert.match(row, /95/);
  assert.match(row, /Target achieved|Substantial progress|Moderate progress|Limited progress|Deterioration/);
  assert.equal(await page.getByRole('listitem').filter({ hasText: 'Goal 7: Affordable and clean energy' }).getByText('No selected indicators').count(), 0);

  // The indicator page draws the network's target for Molde and shows Molde's status against it.
  await visit(page, () => renewableRow(page).getByRole('link', { name: 'Renewable share of final energy use' }).click());
  assert.equal(new URL(page.url()).pathname, '/indicators/demo-renewable-share');
  const targets = page.locator('section', { has: page.getByRole('heading', { name: 'Progress towards the targets' }) });
  const moldeStatus = (await targets.locator('tr', { has: page.getByRole('link', { name: 'Molde kommune' }) }).textContent()) ?? '';
  assert.match(moldeStatus, /95\b.*by 2030/);
  assert.match(moldeStatus, /Network target/);
  assert.match(moldeStatus, /Target achieved|Substantial progress|Moderate progress|Limited progress|Deterioration/);
  assert.ok(await page.getByRole('rowheader', { name: 'Target', exact: true }).first().isVisible(), 'the target row of the data table');
  await page.goto(`${s.baseUrl}/areas/no-1506/progress`);

  // The goal page across the network, sorted by the indicator.
  await visit(page, () => page.getByRole('link', { name: 'Goal 7: Affordable and clean energy' }).click());
  assert.ok(await page.getByRole('heading', { level: 1, name: 'Goal 7: Affordable and clean energy' }).isVisible(), 'check 3');
  await visit(page, () => page.getByRole('link', { name: 'Sort by Renewable share of final energy use' }).click());

  // In Norwegian, on the network status page.
  await page.goto(`${s.baseUrl}/organisations/${NET}/status`);
  await visit(page, () => page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Norsk bokmål' }).click());
  assert.ok(await page.getByRole('heading', { level: 1, name: 'Status per medlem: Bærekraftsnettverket' }).isVisible(), 'check 4');
  assert.ok(await page.getByText('95 innen 2030').isVisible(), 'check 5');
  await page.close();
});
