/**
 * Reads that gather several queries run them together on the pool (a connection each) but one after
 * another inside a transaction, whose one connection must not be sent a query while it runs another:
 * node-postgres deprecates that and pg 9 refuses it (platform/db readAll). This calls such reads of
 * the modules' faces inside a transaction on PostgreSQL and watches the transaction's connection for a
 * query sent while another is running. PGlite has one connection and queues every query itself.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { systemActor } from '../src/platform/audit.js';
import { indicatorQueries } from '../src/modules/indicators/index.js';
import { progressQueries } from '../src/modules/progress/index.js';
import { directory } from '../src/modules/directory/index.js';
import { search, searchGrouped } from '../src/modules/search/index.js';
import { createTestApp, testConfig, type TestApp } from './helpers.js';

const skip = testConfig().testDatabaseUrl ? false : 'PGlite has one connection, which queues every query itself';
let t: TestApp;
/** Queries sent to a connection while it was running another. */
const overlaps: string[] = [];
const watched = new WeakSet<pg.PoolClient>();

before(async () => {
  if (skip) return;
  t = await createTestApp({ demo: true });
  // Every connection the pool hands out (a transaction's included) counts the queries it runs.
  t.db.pool!.on('acquire', (client) => {
    if (watched.has(client)) return;
    watched.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    let running = 0;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const first = args[0] as { text?: string } | string;
      if (running > 0) overlaps.push(String(typeof first === 'string' ? first : first?.text).slice(0, 100));
      running++;
      const r = query(...args) as Promise<unknown> | undefined;
      if (r && typeof r.then === 'function') return r.finally(() => running--);
      running--;
      return r;
    };
  });
});
after(async () => t?.close());

test('reads of several queries send one query at a time on a transaction’s connection', { skip }, async () => {
  const admin = systemActor('test');
  const area = await directory.getAreaByKey(t.db.orm, 'no-1506');
  await t.db.orm.transaction(async (tx) => {
    const p = await progressQueries.areaProgress(tx, area.id);
    assert.ok(p.statuses.length > 0, 'the demo has statuses for Molde');
    assert.ok((await progressQueries.areasSummary(tx, [area.id])).goals.length > 0);
    assert.ok((await indicatorQueries.coverage(tx)).withData > 0);
    assert.ok((await indicatorQueries.indicatorPage(tx, {}, 5, 0)).total > 0);
    assert.ok((await search(tx, admin, { q: 'kommune' })).total > 0);
    assert.ok((await searchGrouped(tx, admin, { q: 'kommune' })).total > 0);
  });
  assert.deepEqual(overlaps, []);
  // The same reads on the pool still run together (each query on a connection of its own).
  await progressQueries.areaProgress(t.db.orm, area.id);
  assert.deepEqual(overlaps, []);
});
