import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assertAccessible, launch, noBrowser, serve, signIn, type Served } from './helpers.js';
import { drainJobs } from '../helpers.js';

/*
 * An axe scan of every page template the scenario tests do not pass through:
 * lists, profiles, forms, account and admin pages, the password-reset and
 * invitation pages, and the error page, in each of the four languages.
 */
let s: Served;
let browser: Browser;

before(async () => {
  if (noBrowser) return;
  s = await serve({ demo: true });
  await s.makeUser({ email: 'admin@example.org', name: 'Ada Admin', admin: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await s?.close();
});

test('signed-in pages pass axe in all four languages', { skip: noBrowser }, async () => {
  const page = await browser.newPage();
  await signIn(page, s.baseUrl, 'admin@example.org');
  const membership = (await (await fetch(`${s.baseUrl}/api/memberships?pageSize=1`)).json()) as { items: { id: string }[] };
  const pages = [
    '/people',
    '/people/andreas-stangenes',
    '/people/new',
    '/people/andreas-stangenes/edit',
    '/commitments',
    '/commitments/covenant-of-mayors',
    '/commitments/new',
    '/commitments/covenant-of-mayors/edit',
    '/organisations?kind=network',
    '/organisations/new',
    '/organisations/herning-kommune/edit',
    '/organisations/herning-kommune/access',
    '/organisations/herning-kommune/history',
    `/memberships/${membership.items[0]!.id}/edit`,
    '/account',
    '/admin',
    '/meetings',
    '/indicators',
    '/compare',
  ];
  for (const lang of ['sv', 'nb', 'da', 'en']) {
    await page.goto(`${s.baseUrl}/lang/${lang}?next=/`);
    for (const p of lang === 'en' ? pages : pages.slice(0, 8)) {
      const res = await page.goto(`${s.baseUrl}${p}`);
      assert.equal(res?.status(), 200, `${lang} ${p}`);
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      await assertAccessible(page, `${lang} ${p}`);
    }
  }
  await page.close();
});

test('public account pages and the error page pass axe', { skip: noBrowser }, async () => {
  const page = await browser.newPage({ locale: 'sv-SE' });
  await page.goto(`${s.baseUrl}/forgot-password`);
  await assertAccessible(page);
  await page.getByLabel('E-postadress').fill('admin@example.org');
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Skicka länken' }).click()]);
  await assertAccessible(page);
  await drainJobs(s);
  const link = s.mailer.sent.at(-1)!.text.match(/https?:\/\/\S+/)![0];
  await page.goto(`${s.baseUrl}${new URL(link).pathname}`);
  await assertAccessible(page);

  const admin = await browser.newPage();
  await signIn(admin, s.baseUrl, 'admin@example.org');
  await admin.goto(`${s.baseUrl}/admin`);
  await admin.getByLabel('Email address').fill('new.person@example.org');
  await Promise.all([admin.waitForLoadState('load'), admin.getByRole('button', { name: 'Send invitation' }).click()]);
  const invite = (await admin.locator('#invite-link').textContent())!;
  await admin.close();
  await page.goto(`${s.baseUrl}${new URL(invite).pathname}`);
  await assertAccessible(page);

  const res = await page.goto(`${s.baseUrl}/organisations/finns-inte`);
  assert.equal(res?.status(), 404);
  assert.ok(await page.getByRole('heading', { name: 'Sidan hittades inte' }).isVisible());
  await assertAccessible(page);
  await page.close();
});
