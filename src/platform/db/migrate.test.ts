import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { EditedMigrationError, migrate } from './migrate.js';
import { openDatabase, type Database } from './index.js';

let db: Database;
let dir: string;
before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'samverka-migrations-'));
  writeFileSync(path.join(dir, '0001_one.sql'), 'CREATE TABLE one (id int);\n');
  writeFileSync(path.join(dir, '0002_two.sql'), 'CREATE TABLE two (id int);\n');
  db = await openDatabase({ kind: 'pglite' });
});
after(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('applies each file once and records its checksum', async () => {
  assert.deepEqual(await migrate(db, dir), ['0001_one.sql', '0002_two.sql']);
  assert.deepEqual(await migrate(db, dir), []);
  const rows = await db.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations ORDER BY name');
  assert.equal(rows.length, 2);
  for (const r of rows) assert.match(r.checksum, /^[0-9a-f]{64}$/);
});

test('a history from before checksums adopts the current files on first sight', async () => {
  await db.exec('UPDATE schema_migrations SET checksum = NULL');
  assert.deepEqual(await migrate(db, dir), []);
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations WHERE checksum IS NULL');
  assert.equal(row!.n, 0);
});

test('Windows line endings are not an edit', async () => {
  writeFileSync(path.join(dir, '0001_one.sql'), 'CREATE TABLE one (id int);\r\n');
  assert.deepEqual(await migrate(db, dir), []);
});

test('an applied migration that was edited is refused by name, and nothing else is applied', async () => {
  writeFileSync(path.join(dir, '0002_two.sql'), 'CREATE TABLE two (id int, extra text);\n');
  writeFileSync(path.join(dir, '0003_three.sql'), 'CREATE TABLE three (id int);\n');
  await assert.rejects(migrate(db, dir), (err: unknown) => err instanceof EditedMigrationError && err.files.join() === '0002_two.sql' && /0002_two\.sql/.test(err.message));
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM schema_migrations WHERE name = '0003_three.sql'`);
  assert.equal(row!.n, 0);
});
