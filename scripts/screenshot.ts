/**
 * Takes the README screenshots from a fresh demo database:
 *   node --import tsx scripts/screenshot.ts
 * Needs Debian's chromium (apt-get install -y chromium).
 */
import { launch, serve } from '../test/browser/helpers.js';

const shots: [string, string][] = [
  ['/organisations/vaxjo-kommun', 'docs/images/municipality.png'],
  ['/organisations/baerekraftsnettverket', 'docs/images/network.png'],
];
const s = await serve({ demo: true });
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 }, locale: 'sv-SE' });
  for (const [url, file] of shots) {
    await page.goto(`${s.baseUrl}${url}`);
    await page.screenshot({ path: file, fullPage: false });
    console.log(`wrote ${file}`);
  }
} finally {
  await browser.close();
  await s.close();
}
