/**
 * The test workers' reused databases (test/reused-database.ts): a database given back holds the
 * template's rows again, exactly, and one whose schema a test changed is dropped, not reused.
 * Runs on copies of the run's template with a small schema of its own on top.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/platform/db/index.js';
import { scratchDir } from './helpers.js';
import { reusedDatabase } from './reused-database.js';

const SCHEMA = `
  CREATE TABLE rt_parent (id serial PRIMARY KEY, name text NOT NULL UNIQUE, words tsvector);
  CREATE FUNCTION rt_parent_words() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN NEW.words := to_tsvector('simple', NEW.name); RETURN NEW; END $$;
  CREATE TRIGGER rt_parent_words BEFORE INSERT OR UPDATE ON rt_parent FOR EACH ROW EXECUTE FUNCTION rt_parent_words();
  CREATE TABLE rt_child (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, parent_id int NOT NULL REFERENCES rt_parent (id), note text);
  CREATE TABLE rt_empty (x int);
  CREATE SEQUENCE rt_numbers START 100;
  INSERT INTO rt_parent (name) VALUES ('first'), ('second');
  INSERT INTO rt_child (parent_id, note) VALUES (1, 'kept');
  SELECT nextval('rt_numbers');
`;

let opened = 0;
/** The run's migrated PGlite template: only runs that have one reuse databases (test/helpers.ts). */
const template = loadConfig().testTemplate;
const skip = template && path.isAbsolute(template) && existsSync(path.join(template, 'PG_VERSION')) ? false : 'only embedded runs under scripts/run-tests.ts reuse databases';

/** A copy of the run's migrated template with the small schema above. */
async function open(): Promise<{ db: Database; drop: () => Promise<void> }> {
  opened++;
  const dir = scratchDir('reused-');
  cpSync(template!, dir, { recursive: true });
  const db = await openDatabase({ kind: 'pglite', dataDir: dir, smallBufferPool: true });
  await db.exec(SCHEMA);
  return {
    db,
    drop: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function contents(db: Database) {
  return {
    parent: await db.query('SELECT id, name, words::text FROM rt_parent ORDER BY id'),
    child: await db.query('SELECT id::text, parent_id, note FROM rt_child ORDER BY id'),
    empty: await db.query('SELECT * FROM rt_empty'),
    // The next values each sequence gives, read without moving them (is_called decides).
    sequences: await db.query(`SELECT sequencename, last_value::text FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`),
  };
}

test('a database given back holds the template rows again, and is the one handed out next', { skip }, async () => {
  const key = 'rows';
  const first = (await reusedDatabase(key, open))!;
  const before = await contents(first.db);
  // Held by this test: another app of the same test gets a copy of its own.
  assert.equal(await reusedDatabase(key, open), undefined);

  await first.db.exec(`
    INSERT INTO rt_parent (name) VALUES ('third');
    UPDATE rt_parent SET name = 'renamed' WHERE name = 'first';
    DELETE FROM rt_child;
    INSERT INTO rt_child (parent_id, note) VALUES (3, 'new'), (2, 'other');
    INSERT INTO rt_empty VALUES (1);
    SELECT nextval('rt_numbers'), nextval('rt_numbers');
  `);
  // A temporary table dropped at commit (the imports stage rows in one) leaves the schema as it was.
  await first.db.exec(`BEGIN; CREATE TEMP TABLE rt_stage (x int) ON COMMIT DROP; INSERT INTO rt_stage VALUES (1); COMMIT;`);
  assert.notDeepEqual(await contents(first.db), before);
  await first.drop();

  const again = (await reusedDatabase(key, open))!;
  assert.equal(again.db, first.db, 'the same database is handed out again');
  assert.deepEqual(await contents(again.db), before);
  // New rows get the ids and numbers they got the first time.
  assert.deepEqual(await again.db.query(`INSERT INTO rt_parent (name) VALUES ('third') RETURNING id`), [{ id: 3 }]);
  assert.deepEqual(await again.db.query(`SELECT nextval('rt_numbers')::int AS n`), [{ n: 101 }]);
  assert.deepEqual(await again.db.query(`INSERT INTO rt_child (parent_id) VALUES (1) RETURNING id::int`), [{ id: 2 }]);
  await again.drop();
  const third = (await reusedDatabase(key, open))!;
  assert.deepEqual(await contents(third.db), before);
  await third.drop();
});

test('a database whose schema a test changed, or that a test closed, is dropped and not handed out again', { skip }, async () => {
  const key = 'schema';
  // A table made (new catalog rows) and a trigger turned off (a catalog row rewritten); each open costs about a second.
  const changes = ['CREATE TABLE extra (x int)', 'ALTER TABLE rt_parent DISABLE TRIGGER rt_parent_words'];
  for (const change of changes) {
    const taken = (await reusedDatabase(key, open))!;
    await taken.db.exec(change);
    const count = opened;
    await taken.drop();
    assert.ok(taken.db.pglite!.closed, `closed after: ${change}`);
    const next = (await reusedDatabase(key, open))!;
    assert.notEqual(next.db, taken.db, change);
    assert.equal(opened, count + 1, `a new database after: ${change}`);
    await next.drop();
    assert.ok(!next.db.pglite!.closed, 'an unchanged one is kept');
  }

  const closed = (await reusedDatabase(key, open))!;
  await closed.db.close();
  await closed.drop();
  const fresh = (await reusedDatabase(key, open))!;
  assert.notEqual(fresh.db, closed.db);
  assert.deepEqual((await fresh.db.query('SELECT name FROM rt_parent ORDER BY id')).map((r) => r.name), ['first', 'second']);
  await fresh.drop();
});
