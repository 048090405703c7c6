import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { assertAccessible, launch, noBrowser, signIn } from './helpers.js';
import { createMeetingsTestApp, type MeetingsTestApp } from '../fixtures/meetings/app.js';
import { tinyPdf } from '../fixtures/meetings/make.js';

let s: MeetingsTestApp;
let baseUrl: string;
let browser: Browser;

before(async () => {
  if (noBrowser) return;
  s = await createMeetingsTestApp();
  baseUrl = await s.app.listen({ port: 0, host: '127.0.0.1' });
  await s.makeUser('sekreterare@example.org', { 'miljostrategisk-arbetsgrupp': 'editor' });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await s?.close();
});

/** Acts like a user (click, submit), waits for the next page, and scans it. */
async function visit(page: Page, action: () => Promise<unknown>) {
  await Promise.all([page.waitForEvent('load'), action()]);
  await assertAccessible(page);
}

const SECRET = 'Konfidentiellt förhandlingsunderlag';

test('a secretary runs a meeting from agenda to published minutes; visitors see the public item, and the closed item by title only', { skip: noBrowser }, async () => {
  const page = await browser.newPage({ locale: 'en-GB' });
  await signIn(page, baseUrl, 'sekreterare@example.org');

  await page.goto(`${baseUrl}/meetings/bodies/miljostrategisk-arbetsgrupp`);
  await assertAccessible(page);
  await visit(page, () => page.getByRole('link', { name: 'New meeting' }).click());
  await page.getByLabel('Title').fill('Arbetsgruppsmöte om klimatindikatorer');
  await page.getByLabel('Starts').fill('2031-05-12T09:30');
  await page.getByLabel('Ends').fill('2031-05-12T12:00');
  await page.getByLabel('Platform').fill('Teams');
  await page.getByLabel('Join link').fill('https://teams.example.org/l/meetup/abc');
  await page.getByLabel('Language of the content').selectOption('sv');
  await visit(page, () => page.getByRole('button', { name: 'Create' }).click());
  assert.match(new URL(page.url()).pathname, /^\/meetings\/[0-9a-f-]{36}$/);
  const meetingUrl = page.url();

  // Item 1: public, with a recommendation.
  await visit(page, () => page.getByRole('link', { name: 'Add agenda item' }).click());
  await page.getByLabel('Number', { exact: true }).fill('§ 1');
  await page.getByLabel('Title', { exact: true }).fill('Gemensamma klimatindikatorer');
  await page.getByLabel('Summary', { exact: true }).fill('Förslag på fem gemensamma indikatorer.');
  await page.getByLabel('Recommendation').fill('Att anta de fem indikatorerna.');
  await page.getByLabel('Case number').fill('MSA 2031/4');
  await visit(page, () => page.getByRole('button', { name: 'Create' }).click());

  // Item 2: closed.
  await visit(page, () => page.getByRole('link', { name: 'Add agenda item' }).click());
  await page.getByLabel('Number', { exact: true }).fill('§ 2');
  await page.getByLabel('Title', { exact: true }).fill('Upphandling av mätdata');
  await page.getByLabel('Public item').uncheck();
  await page.getByLabel('Description', { exact: true }).fill(SECRET);
  await visit(page, () => page.getByRole('button', { name: 'Create' }).click());
  assert.ok(await page.getByRole('link', { name: 'Upphandling av mätdata', exact: true }).isVisible());

  // Attachment to item 1.
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'indikatorer.pdf', mimeType: 'application/pdf', buffer: Buffer.from(tinyPdf('Fem gemensamma klimatindikatorer')) });
  await page.getByLabel('Title (optional)').fill('Indikatorförslag');
  await page.getByLabel('Attach to').selectOption({ label: '§ 1. Gemensamma klimatindikatorer' });
  await visit(page, () => page.getByRole('button', { name: 'Upload file' }).click());
  assert.ok(await page.getByRole('link', { name: 'Indikatorförslag', exact: true }).isVisible());

  // A rejected upload says why, next to the field.
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'program.pdf', mimeType: 'application/pdf', buffer: Buffer.from([0x4d, 0x5a, ...new Array(300).fill(0)]) });
  await visit(page, () => page.getByRole('button', { name: 'Upload file' }).click());
  assert.ok(await page.locator('#f-file-err').isVisible());

  await page.goto(meetingUrl);
  await visit(page, () => page.getByRole('button', { name: 'Publish agenda' }).click());
  assert.ok(await page.getByText(/Agenda published/).isVisible());

  await visit(page, () => page.getByRole('link', { name: 'Record decisions' }).click());
  await page.getByLabel('Decision – § 1. Gemensamma klimatindikatorer').fill('Arbetsgruppen antog de fem indikatorerna.');
  await page.getByLabel('Decision – § 2. Upphandling av mätdata').fill(`${SECRET}: beslut.`);
  await page.getByLabel('Mark the meeting as held').check();
  await visit(page, () => page.getByRole('button', { name: 'Save' }).click());
  await visit(page, () => page.getByRole('button', { name: 'Publish minutes' }).click());
  assert.ok(await page.getByText(/Minutes published/).isVisible());

  await visit(page, () => page.getByRole('link', { name: 'Printable minutes' }).click());
  assert.ok(await page.getByText('Arbetsgruppen antog de fem indikatorerna.').isVisible());
  // With JavaScript the one-click print button appears; the print stylesheet hides the site around the document.
  assert.ok(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible());
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false);
  assert.ok(await page.getByText('Arbetsgruppen antog de fem indikatorerna.').isVisible());
  await page.emulateMedia({ media: 'screen' });

  // An anonymous visitor.
  const visitor = await browser.newPage({ locale: 'en-GB' });
  await visitor.goto(meetingUrl);
  await assertAccessible(visitor);
  assert.ok(await visitor.getByRole('link', { name: 'Gemensamma klimatindikatorer', exact: true }).isVisible());
  assert.ok(await visitor.getByText('Arbetsgruppen antog de fem indikatorerna.').isVisible());
  assert.ok(await visitor.getByRole('link', { name: 'Upphandling av mätdata', exact: true }).isVisible());
  assert.ok(await visitor.getByText('This item is closed. Only its title is public.').isVisible());
  assert.ok(!(await visitor.content()).includes(SECRET));
  await visit(visitor, () => visitor.getByRole('link', { name: 'Upphandling av mätdata', exact: true }).click());
  assert.ok(!(await visitor.content()).includes(SECRET));
  await visitor.goto(meetingUrl);
  await visit(visitor, () => visitor.getByRole('link', { name: 'Gemensamma klimatindikatorer', exact: true }).click());
  assert.ok(await visitor.getByText('MSA 2031/4').isVisible());
  for (const path of ['/agenda', '/minutes']) {
    await visitor.goto(`${meetingUrl}${path}`);
    await assertAccessible(visitor);
    assert.ok(!(await visitor.content()).includes(SECRET));
  }
  await visitor.goto(`${baseUrl}/meetings/bodies/miljostrategisk-arbetsgrupp`);
  await assertAccessible(visitor);
  assert.ok(await visitor.getByRole('link', { name: 'Indikatorförslag', exact: true }).isVisible());
});
