import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type Agent, type TestApp } from './helpers.js';

/*
 * Follows every internal link from the front page, as an anonymous visitor and
 * as a platform admin, over the demo data: no page may fail, every HTML page
 * declares its language and has one h1, and no link leads nowhere.
 */
let t: TestApp;
before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'crawler@example.org', admin: true });
});
after(() => t.close());

async function crawl(agent: Agent, limit = 400) {
  const seen = new Set<string>();
  const queue = ['/'];
  const problems: string[] = [];
  while (queue.length && seen.size < limit) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const res = await agent.get(url);
    if (res.statusCode >= 300 && res.statusCode < 400) {
      const loc = res.headers.location as string;
      if (loc?.startsWith('/')) queue.push(loc);
      continue;
    }
    if (res.statusCode !== 200) {
      problems.push(`${url} → ${res.statusCode}`);
      continue;
    }
    const type = String(res.headers['content-type'] ?? '');
    if (!type.startsWith('text/html')) continue;
    if (!/<html lang="(sv|nb|da|en)"/.test(res.body)) problems.push(`${url}: no lang`);
    if ((res.body.match(/<h1[\s>]/g) ?? []).length !== 1) problems.push(`${url}: not exactly one h1`);
    for (const m of res.body.matchAll(/href="(\/[^"#]*)"/g)) {
      const href = m[1]!.replace(/&amp;/g, '&');
      // Language switches and sign-out change state or only redirect; the docs are a separate app.
      if (href.startsWith('/lang/') || href.startsWith('/api/docs') || href.startsWith('/assets/')) continue;
      if (!seen.has(href)) queue.push(href);
    }
  }
  return { seen, problems };
}

test('every page reachable by an anonymous visitor works', async () => {
  const { seen, problems } = await crawl(await t.agent());
  assert.ok(seen.size > 50, `crawled ${seen.size}`);
  assert.deepEqual(problems, []);
});

test('every page reachable by a platform admin works', async () => {
  const { seen, problems } = await crawl(await t.agent('crawler@example.org'));
  assert.ok(seen.size > 60, `crawled ${seen.size}`);
  assert.deepEqual(problems, []);
});
