/**
 * readAll: independent reads run together on the root handle, and one after another inside a
 * transaction, whose one connection must not be sent a query while it runs another.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { createTestDatabase, testConfig } from '../../../test/helpers.js';
import { readAll, type Database, type Executor } from './index.js';

let db: Database;
let drop: () => Promise<void>;
before(async () => ({ db, drop } = await createTestDatabase(testConfig())));
after(() => drop());

/** Two reads that log when each starts and ends. */
async function logged(ex: Executor) {
  const log: string[] = [];
  const read = (name: string, value: number) => async () => {
    log.push(`${name} start`);
    const r = await ex.execute(sql`SELECT ${value}::int AS v`);
    log.push(`${name} end`);
    return (r.rows[0] as { v: number }).v;
  };
  const values = await readAll(ex, [read('a', 1), read('b', 2)]);
  return { values, log };
}

describe('readAll', () => {
  it('runs the reads together on the root handle, in order of the results', async () => {
    const { values, log } = await logged(db.orm);
    assert.deepEqual(values, [1, 2]);
    assert.deepEqual(log.slice(0, 2), ['a start', 'b start']);
  });

  it('runs them one after another in a transaction', async () => {
    const { values, log } = await db.orm.transaction((tx) => logged(tx));
    assert.deepEqual(values, [1, 2]);
    assert.deepEqual(log, ['a start', 'a end', 'b start', 'b end']);
  });
});
