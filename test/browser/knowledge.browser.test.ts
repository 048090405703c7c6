import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { assertAccessible, launch, noBrowser, serve, signIn, type Served } from './helpers.js';
import { drainJobs } from '../helpers.js';

let s: Served;
let browser: Browser;
const files = mkdtempSync(path.join(tmpdir(), 'samverka-knowledge-'));
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

before(async () => {
  if (noBrowser) return;
  s = await serve({ demo: true });
  await s.makeUser({ email: 'redaktor@example.org', name: 'Rita Redaktör', roles: { 'kommunnatverket-for-hallbar-utveckling': 'editor' } });
  browser = await launch();
  writeFileSync(path.join(files, 'solceller.png'), PNG);
  writeFileSync(path.join(files, 'handledning.txt'), 'Handledning från webbinariet: så planerar kommunen solcellsparker på kommunal mark.\n');
});
after(async () => {
  await browser?.close();
  await s?.close();
});

async function visit(page: Page, action: () => Promise<unknown>) {
  await Promise.all([page.waitForLoadState('load'), action()]);
  await assertAccessible(page);
}

test('an editor publishes news with an image, creates a webinar; a visitor registers; the recording and material are added; search finds the webinar by a word from its material', { skip: noBrowser }, async () => {
  const page = await browser.newPage({ locale: 'en-GB' });
  await signIn(page, s.baseUrl, 'redaktor@example.org');

  // News with an image and its description.
  await page.goto(`${s.baseUrl}/news`);
  await assertAccessible(page);
  await visit(page, () => page.getByRole('link', { name: 'Write an article' }).first().click());
  await page.getByLabel('Organisation').selectOption({ label: 'Kommunnätverket för hållbar utveckling' });
  await page.getByLabel('Title').fill('Solceller på kommunens tak');
  await page.getByLabel('Lead', { exact: true }).fill('Tre kommuner delar sina erfarenheter.');
  await page.getByLabel('Text', { exact: true }).fill('Nätverket samlar erfarenheterna.\n\nLäs mer på webbinariet.');
  await page.getByLabel('Language of the text').selectOption('sv');
  await page.getByLabel('Image', { exact: true }).setInputFiles(path.join(files, 'solceller.png'));
  // Without the description the image is refused and the input is kept.
  await visit(page, () => page.getByRole('button', { name: 'Save draft' }).click());
  assert.ok(await page.getByRole('alert').filter({ hasText: 'Image description' }).isVisible());
  assert.equal(await page.getByLabel('Title').inputValue(), 'Solceller på kommunens tak');
  await page.getByLabel('Image', { exact: true }).setInputFiles(path.join(files, 'solceller.png'));
  await page.getByLabel('Image description (alt text)').fill('Solpaneler på ett skoltak');
  await visit(page, () => page.getByRole('button', { name: 'Save draft' }).click());
  assert.ok(await page.getByText('This article is a draft').isVisible());
  await visit(page, () => page.getByRole('button', { name: 'Publish' }).click());
  assert.ok(await page.getByRole('img', { name: 'Solpaneler på ett skoltak' }).isVisible());

  // A webinar with registration.
  await page.goto(`${s.baseUrl}/events`);
  await assertAccessible(page);
  await visit(page, () => page.getByRole('link', { name: 'Add an event' }).click());
  await page.getByLabel('Kind').selectOption('webinar');
  await page.getByLabel('Title').fill('Webbinarium om solcellsplanering');
  await page.getByLabel('Language of the text').selectOption('sv');
  const year = new Date().getFullYear() + 1;
  await page.getByLabel('Starts').fill(`${year}-03-10T10:00`);
  await page.getByLabel('Ends').fill(`${year}-03-10T11:30`);
  await page.getByLabel('Online link').fill('https://meet.example.org/sol');
  await page.getByLabel('Organisers').selectOption({ label: 'Kommunnätverket för hållbar utveckling' });
  await page.getByLabel('Open for registration').check();
  await page.getByLabel('Capacity').fill('20');
  await visit(page, () => page.getByRole('button', { name: 'Save draft' }).click());
  const eventUrl = page.url();
  await visit(page, () => page.getByRole('button', { name: 'Publish' }).click());

  // A visitor signs up.
  const visitor = await browser.newPage({ locale: 'sv-SE' });
  await visitor.goto(eventUrl);
  await assertAccessible(visitor);
  await visitor.getByLabel('Ditt namn').fill('Per Persson');
  await visitor.getByLabel('Din e-postadress').fill('per@example.org');
  await visit(visitor, () => visitor.getByRole('button', { name: 'Anmäl dig' }).click());
  assert.ok(await visitor.getByText('Du är anmäld').isVisible());
  assert.ok(!(await visitor.content()).includes('per@example.org'), 'the participant list is not public');
  await drainJobs(s);
  const mail = s.mailer.sent.find((m) => m.to === 'per@example.org')!;
  assert.match(mail.subject, /^Anmäld: Webbinarium om solcellsplanering/, 'the confirmation is in the language the visitor used');
  const signoff = /https?:\/\/\S+\/events\/signoff\/\S+/.exec(mail.text)![0].replace(/^https?:\/\/[^/]+/, s.baseUrl);
  await visitor.goto(signoff);
  await assertAccessible(visitor);

  // The organiser sees the participant and adds the recording and material afterwards.
  await page.goto(eventUrl);
  await visit(page, () => page.getByRole('link', { name: 'Participants' }).click());
  assert.ok(await page.getByRole('cell', { name: 'per@example.org' }).isVisible());
  await page.goto(eventUrl);
  await page.getByLabel('What the file is').selectOption('material');
  await page.getByLabel('Title (optional)').fill('Handledning');
  await page.getByLabel('File', { exact: true }).setInputFiles(path.join(files, 'handledning.txt'));
  await visit(page, () => page.getByRole('button', { name: 'Upload' }).click());
  await page.getByLabel('Link to the recording').fill('https://video.example.org/sol');
  await visit(page, () => page.getByRole('button', { name: 'Save the recording link' }).click());
  assert.ok(await page.getByRole('link', { name: 'Watch the recording' }).isVisible());
  assert.ok(await page.getByRole('link', { name: 'Handledning' }).isVisible());

  // Found by a word that only its material holds.
  await page.goto(`${s.baseUrl}/search`);
  await assertAccessible(page);
  await page.getByLabel('Search everything').fill('solcellsparker');
  await visit(page, () => page.getByRole('button', { name: 'Search', exact: true }).click());
  assert.ok(await page.getByRole('link', { name: 'Webbinarium om solcellsplanering' }).isVisible());
  await visit(page, () => page.getByRole('link', { name: 'Webbinarium om solcellsplanering' }).click());
  assert.equal(page.url(), eventUrl);

  // The other knowledge pages, scanned too.
  for (const url of ['/practices', '/events', '/news', '/search?q=PACT', '/organisations/kommunnatverket-for-hallbar-utveckling']) {
    await page.goto(`${s.baseUrl}${url}`);
    await assertAccessible(page, url);
  }
  await visit(page, () => page.getByRole('link', { name: 'Nya minnesanteckningar Miljöstrategisk arbetsgrupp' }).first().click());
  await page.goto(`${s.baseUrl}/practices`);
  await visit(page, () => page.getByRole('link', { name: /Kartlegging, mobilisering/ }).click());
  assert.ok(await page.getByRole('table').isVisible(), 'the evidence panel');
});
