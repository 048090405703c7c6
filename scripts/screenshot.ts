/**
 * Takes the README screenshots from a fresh demo database:
 *   node --import tsx scripts/screenshot.ts
 * Needs Debian's chromium (apt-get install -y chromium). Swedish pages at
 * 1280 × 900 CSS px, the top of each page (what a visitor sees first).
 */
import { launch, serve } from '../test/browser/helpers.js';

const s = await serve({ demo: true });
const meetings = (await (await fetch(`${s.baseUrl}/api/meetings?pageSize=50`)).json()) as { items: { id: string; minutesPublishedAt: string | null }[] };
const meeting = meetings.items.find((m) => m.minutesPublishedAt) ?? meetings.items[0];
const shots: [string, string][] = [
  ['/', 'docs/images/home.png'],
  ['/organisations/baerekraftsnettverket', 'docs/images/network.png'],
  ['/organisations/vaxjo-kommun', 'docs/images/municipality.png'],
  ...(meeting ? ([[`/meetings/${meeting.id}`, 'docs/images/meeting.png']] as [string, string][]) : []),
  ['/areas/se-0780', 'docs/images/area.png'],
  ['/compare?indicator=demo-renewable-share&area=V%C3%A4xj%C3%B6%20kommun', 'docs/images/compare.png'],
];
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE' });
  for (const [url, file] of shots) {
    await page.goto(`${s.baseUrl}${url}`);
    await page.waitForLoadState('networkidle');
    // Live charts animate in once their script runs: let them finish.
    await page.waitForTimeout(1500);
    await page.screenshot({ path: file, fullPage: false });
    console.log(`wrote ${file}`);
  }
} finally {
  await browser.close();
  await s.close();
}
