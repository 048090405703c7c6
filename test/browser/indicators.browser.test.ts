import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import path from 'node:path';
import { assertAccessible, launch, noBrowser, serve, signIn, type Served } from './helpers.js';
import { saveMapping } from '../../src/modules/imports/index.js';
import { systemActor } from '../../src/platform/audit.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/indicators');

let s: Served;
let baseUrl: string;
let browser: Browser;

before(async () => {
  if (noBrowser) return;
  s = await serve({ demo: true });
  await s.makeUser({ email: 'statistiker@example.org', name: 'Sara Statistiker', roles: { 'vanersborgs-kommun': 'editor', 'almhults-kommun': 'editor' } });
  baseUrl = s.baseUrl;
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

const BAD = 'Indikator,Kommun,År,Värde\ndemo-renewable-share,se-0765,2024,81.5\ndemo-renewable-share,se-0765,2025,n/a\n';

async function uploadAndMap(page: Page, csv: string) {
  await page.goto(`${baseUrl}/imports`);
  await assertAccessible(page);
  await page.getByLabel('Format').selectOption('long');
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'almhult.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await visit(page, () => page.getByRole('button', { name: 'Next' }).click());
  assert.match(new URL(page.url()).pathname, /^\/imports\/uploads\/[0-9a-f-]{36}$/);
  // The headers are Swedish, so the user says what each column holds.
  await page.getByLabel('Column “Indikator”').selectOption('indicator');
  await page.getByLabel('Column “Kommun”').selectOption('area');
  await page.getByLabel('Column “År”').selectOption('period');
  await page.getByLabel('Column “Värde”').selectOption('value');
  await visit(page, () => page.getByRole('button', { name: 'Check (dry run)' }).click());
}

test('an editor uploads a CSV, maps it, sees the bad row, fixes it, imports it, and sees the values on the area and compare pages', { skip: noBrowser }, async () => {
  const page = await browser.newPage({ locale: 'en-GB' });
  await page.goto(`${baseUrl}/indicators`);
  await assertAccessible(page);
  await page.goto(`${baseUrl}/indicators/demo-renewable-share`);
  await assertAccessible(page);
  assert.ok(await page.getByRole('img', { name: /^Line chart of Renewable share of final energy use\./ }).isVisible());
  // With JavaScript the server's SVG becomes a live ECharts chart in the same named container,
  // once the reader reaches for it (the library is not loaded with the page).
  assert.equal(await page.locator('script[src$="echarts.min.js"]').count(), 0, 'no chart library with the page');
  assert.equal(await page.locator('script[src="/indicators/assets/charts.js"]').count(), 0, 'nor the script that upgrades the charts');
  await page.locator('.ind-chart__svg').first().hover();
  await page.locator('.ind-chart__svg[_echarts_instance_]').waitFor({ timeout: 10_000 });
  assert.ok(await page.getByRole('img', { name: /^Line chart of Renewable share/ }).locator('svg').isVisible());
  await assertAccessible(page);

  await page.goto(baseUrl);
  await signIn(page, baseUrl, 'statistiker@example.org');

  await uploadAndMap(page, BAD);
  const errors = page.locator('table', { has: page.getByRole('columnheader', { name: 'Reason' }) });
  assert.equal(await errors.locator('tbody tr').count(), 1);
  assert.deepEqual(await errors.locator('tbody tr td').allTextContents(), ['3', 'Värde', '"n/a" is not a number']);
  assert.equal(await page.getByRole('button', { name: 'Import', exact: true }).count(), 0);

  await uploadAndMap(page, BAD.replace('n/a', '82.0'));
  assert.ok(await page.getByText('2 rows are valid: 2 new, 0 changed, 0 unchanged.').isVisible());
  await visit(page, () => page.getByRole('button', { name: 'Import', exact: true }).click());
  await page.getByText('Import finished.').waitFor({ timeout: 15_000 });
  await assertAccessible(page);

  await page.goto(`${baseUrl}/areas/se-0765`);
  await assertAccessible(page);
  const row = page.locator('tr', { has: page.getByRole('link', { name: 'Renewable share of final energy use' }) });
  assert.match((await row.textContent()) ?? '', /82\.0 \(2025\)/);

  await visit(page, () => row.getByRole('link', { name: /Compare/ }).click());
  await page.getByLabel('Group').selectOption('demo-similar-vaxjo');
  await visit(page, () => page.getByRole('button', { name: 'Compare' }).click());
  const highlighted = page.locator('tr[aria-current="true"]');
  assert.match((await highlighted.textContent()) ?? '', /Älmhult.*2025.*82\.0/);
  assert.ok(await page.getByRole('img', { name: /Älmhult ranks 1 of 6 with 82\.0/ }).isVisible());

  await page.goto(`${baseUrl}/imports`);
  await assertAccessible(page);
  await visit(page, () => page.getByRole('link', { name: /almhult\.csv/ }).first().click());
  assert.ok(await page.getByText('2 rows: 2 new, 0 changed, 0 unchanged.').or(page.getByText(/2 rows are valid: 2 new/)).first().isVisible());
});

test('a platform admin imports boundaries from the web, sees the map, and corrects an indicator’s SDG targets', { skip: noBrowser }, async () => {
  await s.makeUser({ email: 'plattform@example.org', name: 'Petra Plattform', admin: true });
  const page = await browser.newPage({ locale: 'en-GB' });
  await page.goto(baseUrl);
  await signIn(page, baseUrl, 'plattform@example.org');
  await page.goto(`${baseUrl}/imports`);
  await visit(page, () => page.getByRole('link', { name: 'Import frameworks, area lists, groups and boundaries' }).click());
  await page.getByLabel('What the file holds').selectOption('geojson');
  await page.getByLabel('File', { exact: true }).setInputFiles(path.join(FIXTURES, 'boundaries.geojson'));
  await page.getByLabel('Country of the codes (boundaries)').selectOption('SE');
  await page.getByLabel('Property that holds the official code (boundaries)').fill('kommunkod');
  await visit(page, () => page.getByRole('button', { name: 'Import' }).click());
  assert.ok(await page.getByRole('status').getByText('2 boundaries stored.').isVisible());
  assert.ok(await page.getByText('1 area code in the file matches no area: se-9999').isVisible());

  await page.goto(`${baseUrl}/compare?indicator=demo-renewable-share&area=se-0780&group=demo-similar-vaxjo`);
  await assertAccessible(page);
  // The map is a figure named by its caption; each area in it is a link named with its value.
  const map = page.getByRole('figure', { name: /^Map of 2 areas/ });
  assert.ok(await map.isVisible());
  assert.equal(await map.getByRole('group').getByRole('link').count(), 2);

  await page.goto(`${baseUrl}/indicators/demo-renewable-share`);
  await visit(page, () => page.getByRole('link', { name: 'Change the linked SDG goals and targets' }).click());
  const field = page.getByLabel('SDG goals and targets');
  await field.fill('7.2, 99.9');
  await visit(page, () => page.getByRole('button', { name: 'Save' }).click());
  // The error summary names the field and links to it; the field keeps what was typed.
  await page.getByRole('link', { name: 'SDG goals and targets: Not an SDG goal or target: 99.9' }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-targets');
  assert.equal(await field.inputValue(), '7.2, 99.9');
  await field.fill('7.2, 13.2');
  await visit(page, () => page.getByRole('button', { name: 'Save' }).click());
  assert.equal(new URL(page.url()).pathname, '/indicators/demo-renewable-share');
  assert.ok(await page.getByText(/^13\.2 Integrate climate change measures/).isVisible());

  // Saved mappings, with their rename and delete forms in the table.
  await saveMapping(s.db, systemActor('test'), { name: 'SSB 07459', format: 'jsonstat', mapping: { dims: { Region: 'area', Tid: 'period' } } });
  await page.goto(`${baseUrl}/imports`);
  await visit(page, () => page.getByRole('link', { name: 'Saved mappings' }).click());
  await page.getByLabel('New name for “SSB 07459”').fill('SSB 07459 Befolkning');
  await visit(page, () => page.getByRole('button', { name: 'Rename' }).click());
  assert.ok(await page.getByRole('status').getByText('The mapping was renamed.').isVisible());
  await visit(page, () => page.getByRole('button', { name: 'Delete “SSB 07459 Befolkning”' }).click());
  assert.ok(await page.getByText('No mappings have been saved yet.').isVisible());
});
