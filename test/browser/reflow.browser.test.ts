import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { axe, launch, noBrowser, serve, signIn, type Served } from './helpers.js';
import { importGeometries } from '../../src/modules/indicators/index.js';
import { systemActor } from '../../src/platform/audit.js';

/*
 * Every page type, public and signed in, at 320 and 1280 CSS px: nothing may
 * need horizontal scrolling at 320 px (WCAG 1.4.10 reflow), and axe must find
 * no serious or critical violation at either width.
 */
let s: Served;
let browser: Browser;
let pages: string[] = [];

before(async () => {
  if (noBrowser) return;
  s = await serve({ demo: true });
  await s.makeUser({ email: 'admin@example.org', name: 'Ada Admin', admin: true });
  const meetings = (await (await fetch(`${s.baseUrl}/api/meetings?pageSize=50`)).json()) as { items: { id: string; agendaPublishedAt: string | null }[] };
  const meeting = meetings.items.find((m) => m.agendaPublishedAt) ?? meetings.items[0]!;
  const indicator = (await (await fetch(`${s.baseUrl}/api/indicators?pageSize=1`)).json()) as { items: { code: string }[] };
  const code = indicator.items[0]!.code;
  const one = (await (await fetch(`${s.baseUrl}/api/indicators/${code}`)).json()) as { areas: { key: string }[] };
  const area = `/areas/${one.areas[0]!.key}`;
  pages = [
    '/',
    '/organisations',
    '/organisations/baerekraftsnettverket',
    '/organisations/vaxjo-kommun',
    '/organisations/herning-kommune/history',
    '/people',
    '/people/andreas-stangenes',
    '/commitments',
    '/commitments/covenant-of-mayors',
    '/meetings',
    `/meetings/${meeting.id}`,
    `/meetings/${meeting.id}/agenda`,
    '/indicators',
    `/indicators/${code}`,
    area,
    `/compare?areas=${encodeURIComponent(area.split('/')[2]!)}`,
    // With boundaries (imported below), so the map, its legend and its table are checked too.
    '/compare?indicator=demo-renewable-share&area=se-0780&group=demo-similar-vaxjo',
    '/frameworks',
    '/frameworks/sdg',
    '/search?q=kommun',
    '/design',
    '/organisations/finns-inte',
  ];
  await importGeometries(s.db, systemActor('test'), JSON.parse(readFileSync(new URL('../fixtures/indicators/boundaries.geojson', import.meta.url), 'utf8')), { country: 'SE', codeProperty: 'kommunkod' });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await s?.close();
});

/** The elements that stick out to the right of the viewport, for a readable failure. */
async function overflow(page: Page, width: number): Promise<string[]> {
  return page.evaluate((w) => {
    if (document.documentElement.scrollWidth <= w) return [];
    return Array.from(document.querySelectorAll('body *'))
      .filter((e) => e.getBoundingClientRect().right > w + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${String(e.className).split(' ')[0]} (${Math.round(e.getBoundingClientRect().right)} px)`);
  }, width);
}

async function check(page: Page, paths: string[], width: number, failures: string[]) {
  await page.setViewportSize({ width, height: 900 });
  for (const p of paths) {
    await page.goto(`${s.baseUrl}${p}`);
    if (width <= 320) {
      const wide = await overflow(page, width);
      if (wide.length) failures.push(`${p} at ${width} px scrolls sideways: ${wide.join(', ')}`);
    }
    const v = await axe(page);
    if (v.length) failures.push(`${p} at ${width} px: ${v.map((x) => `${x.id} at ${x.nodes.slice(0, 2).join(', ')}`).join('; ')}`);
  }
}

test('public pages reflow at 320 px and pass axe at 320 and 1280 px', { skip: noBrowser }, async () => {
  const page = await browser.newPage({ locale: 'sv-SE' });
  const failures: string[] = [];
  for (const w of [320, 1280]) await check(page, pages, w, failures);
  await page.close();
  assert.deepEqual(failures, []);
});

test('signed-in pages reflow at 320 px and pass axe at 320 and 1280 px', { skip: noBrowser }, async () => {
  const page = await browser.newPage({ locale: 'en-GB' });
  await signIn(page, s.baseUrl, 'admin@example.org');
  const signedIn = [...pages, '/imports', '/account', '/admin', '/organisations/new', '/organisations/baerekraftsnettverket/members/new', '/meetings/new'];
  const failures: string[] = [];
  for (const w of [320, 1280]) await check(page, signedIn, w, failures);
  // The signed-in header stays on one row at 1280 px.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${s.baseUrl}/`);
  const rows = await page.evaluate(() => {
    const bar = document.querySelector('.site-header__bar')!;
    const middles = Array.from(bar.children).map((c) => (c.getBoundingClientRect().top + c.getBoundingClientRect().bottom) / 2);
    // Items of one row share (nearly) one vertical middle; a wrapped item sits a row lower.
    return Math.max(...middles) - Math.min(...middles) < 12 ? 1 : 2;
  });
  assert.equal(rows, 1, 'the header bar is one row at 1280 px');
  await page.close();
  assert.deepEqual(failures, []);
});

test('live charts keep the page language’s decimal separator', { skip: noBrowser }, async () => {
  const page = await browser.newPage({ locale: 'sv-SE' });
  await page.goto(`${s.baseUrl}/compare?indicator=demo-renewable-share&area=se-0780`);
  // The page's script swaps the server's SVG for a live ECharts chart once the reader reaches for it
  // (the chart library is loaded on demand).
  await page.locator('.ind-chart__svg').first().hover();
  await page.waitForFunction(() => (window as unknown as { echarts?: { getInstanceByDom(e: Element): unknown } }).echarts?.getInstanceByDom(document.querySelector('.ind-chart__svg')!));
  const labels = await page.evaluate(() => {
    const ec = (window as unknown as { echarts: { getInstanceByDom(e: Element): { getOption(): any } } }).echarts;
    const opt = ec.getInstanceByDom(document.querySelector('.ind-chart__svg')!).getOption();
    return { axis: opt.xAxis[0].axisLabel.formatter(69.5), bar: opt.series[0].label.formatter({ value: 1234.5 }) };
  });
  assert.deepEqual(labels, { axis: '69,5', bar: '1\u00a0234,5' });
  await page.close();
});
