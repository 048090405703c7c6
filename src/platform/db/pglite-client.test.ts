import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { createTestDatabase, testConfig } from '../../../test/helpers.js';
import { rawClient, type Database } from './index.js';

/*
 * pglite-client.ts takes Drizzle's per-query parsers into the instance's table. These tests hold
 * it to "the same rows as before": raw SQL still gets PGlite's own conversions, Drizzle still gets
 * text, and Drizzle's queries reach PGlite without per-query parsers.
 */
let db: Database;
let drop: (() => Promise<void>) | undefined;
const config = testConfig();
// The PostgreSQL run has no PGlite to hold to this; node-postgres converts types its own way.
const skip = !!config.testDatabaseUrl && 'PGlite only (TEST_DATABASE_URL is set)';
const SELECT = `SELECT ts, tstz, d, iv, n, tss, tstzs, ds, ivs, ns, label FROM t ORDER BY label`;

before(async () => {
  if (skip) return;
  ({ db, drop } = await createTestDatabase(config));
  const setup = `CREATE TABLE t (ts timestamp, tstz timestamptz, d date, iv interval, n numeric, tss timestamp[], tstzs timestamptz[], ds date[], ivs interval[], ns numeric[], label text);
    INSERT INTO t VALUES ('2026-01-02 03:04:05.123456', '2026-01-02 03:04:05.5+01', '2026-11-29', '1 day 02:00:00', 1.50,
      ARRAY['2026-01-02 03:04:05'::timestamp, NULL], ARRAY['2026-01-02 03:04:05+00'::timestamptz], ARRAY['2026-11-29'::date], ARRAY['1 hour'::interval], ARRAY[1.5, 2.25], 'a'),
      (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'b'), ('infinity', '-infinity', 'infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'c');`;
  await db.exec(setup);
});
after(() => drop?.());

// What PGlite itself gives for these rows (its default parsers; a timestamp without zone is read
// in the process's zone, as new Date does): converted values, no text for the converted types.
const A = {
  ts: new Date('2026-01-02 03:04:05.123456'),
  tstz: new Date('2026-01-02T02:04:05.500Z'),
  d: new Date('2026-11-29'),
  iv: '1 day 02:00:00',
  n: '1.50',
  tss: [new Date('2026-01-02 03:04:05'), null],
  tstzs: [new Date('2026-01-02T03:04:05Z')],
  ds: [new Date('2026-11-29')],
  ivs: ['01:00:00'],
  ns: ['1.5', '2.25'],
  label: 'a',
};
const B = { ts: null, tstz: null, d: null, iv: null, n: null, tss: null, tstzs: null, ds: null, ivs: null, ns: null, label: 'b' };
const C = { ...B, ts: Infinity, tstz: -Infinity, d: Infinity, label: 'c' };
const TEXT_A = {
  ts: '2026-01-02 03:04:05.123456',
  tstz: '2026-01-02 02:04:05.5+00',
  d: '2026-11-29',
  iv: '1 day 02:00:00',
  n: '1.50',
  tss: '{"2026-01-02 03:04:05",NULL}',
  tstzs: '{"2026-01-02 03:04:05+00"}',
  ds: '{2026-11-29}',
  ivs: '{01:00:00}',
  ns: '{1.5,2.25}',
  label: 'a',
};

test('raw SQL gets the values PGlite itself gives, the nine types included', { skip }, async () => {
  assert.deepEqual(await db.query(SELECT), [A, B, C]);
});

test('raw SQL in a transaction and in array mode gets the same conversions', { skip }, async () => {
  const inTx = await db.orm.transaction(async (tx) => {
    const client = rawClient(tx) as unknown as { query(s: string, p?: unknown[], o?: object): Promise<{ rows: unknown[] }> };
    return [(await client.query(SELECT)).rows, (await client.query(SELECT, [], { rowMode: 'array' })).rows];
  });
  assert.deepEqual(inTx[0], [A, B, C]);
  assert.deepEqual(inTx[1], [A, B, C].map((r) => Object.values(r)));
});

test('Drizzle gets the nine types as text, as it asked', { skip }, async () => {
  const rows = (await db.orm.execute(sql.raw(SELECT))).rows as Record<string, unknown>[];
  assert.deepEqual(rows, [TEXT_A, B, { ...B, ts: 'infinity', tstz: '-infinity', d: 'infinity', label: 'c' }]);
});

test("Drizzle's queries reach PGlite without per-query parsers (the copy this saves)", { skip }, async () => {
  const seen: (object | undefined)[] = [];
  const pglite = db.pglite!;
  const original = pglite.query.bind(pglite);
  (pglite as unknown as { query: unknown }).query = (s: string, p?: unknown[], o?: object) => {
    seen.push(o);
    return original(s, p, o);
  };
  try {
    await db.orm.execute(sql`SELECT 1 AS one`);
    await db.orm.transaction(async (tx) => tx.execute(sql`SELECT 2 AS two`));
  } finally {
    (pglite as unknown as { query: unknown }).query = original;
  }
  // The transaction's statement goes through the transaction object, not pglite.query.
  assert.equal(seen.length, 1);
  assert.equal((seen[0] as { parsers?: unknown } | undefined)?.parsers, undefined);
});
