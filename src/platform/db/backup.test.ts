import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase, seedDataDir, seedDemoDataDir, testConfig } from '../../../test/helpers.js';
import { loadDemoData } from '../../demo/index.js';
import { openAndMigrate, openDatabase, type Database } from './index.js';
import { backupDatabase, BackupError, restoreDatabase } from './backup.js';

const config = testConfig();
const dir = mkdtempSync(path.join(tmpdir(), 'samverka-backup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Rows the demo does not make: accounts, sessions, a job, an upload with binary content. */
async function addAccountsAndJobs(db: Database) {
  const [u] = await db.query<{ id: string }>(`INSERT INTO users (email, display_name, password_hash) VALUES ('a@example.org', 'Å Ölund', 'x') RETURNING id`);
  await db.query(`INSERT INTO sessions (id, user_id, expires_at) VALUES ('s1', $1, now() + interval '1 day')`, [u!.id]);
  await db.query(`INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES ('r1', $1, now())`, [u!.id]);
  await db.query(`INSERT INTO invitations (token_hash, email, invited_by, expires_at) VALUES ('i1', 'b@example.org', $1, now())`, [u!.id]);
  await db.query(`INSERT INTO jobs (kind, payload, state) VALUES ('test.kind', '{"a":[1,"ü"]}', 'done')`);
  await db.query(`INSERT INTO ind_uploads (filename, format, content) VALUES ('x.csv', 'long', '\\x00ff10'::bytea)`);
}

/** Every table of the schema, each as its row count and a hash of all its rows. */
async function fingerprint(db: Database): Promise<Record<string, string>> {
  const tables = await db.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
  const out: Record<string, string> = {};
  for (const { t } of tables) {
    const [r] = await db.query<{ n: string; h: string }>(`SELECT count(*)::text AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${t}" x`);
    out[t] = `${r!.n}:${r!.h}`;
  }
  return out;
}

describe('backup and restore', () => {
  it('round-trips every table of the embedded database, and restores only into an empty folder', async () => {
    const src = path.join(dir, 'a', 'pglite');
    // The demo's data, copied from the run's template where there is one (what is backed up is the
    // subject here, not the demo's loading).
    const seeded = seedDemoDataDir(src, path.join(dir, 'a'));
    if (!seeded) seedDataDir(src);
    const db = await openAndMigrate({ kind: 'pglite', dataDir: src });
    if (!seeded) await loadDemoData(db, { dataDir: path.join(dir, 'a') });
    await addAccountsAndJobs(db);
    const before = await fingerprint(db);
    assert.ok(Object.keys(before).length >= 20, 'the whole schema is compared');
    const rows = (t: string) => Number(before[t]!.split(':')[0]);
    assert.ok(['organisations', 'ind_observations', 'meetings', 'users', 'sessions', 'jobs', 'ind_uploads'].every((t) => rows(t) > 0), `with data in it: ${JSON.stringify(before)}`);
    const file = path.join(dir, 'samverka.tar.gz');
    assert.equal(await backupDatabase(db, file), 'pglite-tar.gz');
    await assert.rejects(backupDatabase(db, file), /EEXIST/, 'an existing backup is never overwritten');
    await db.close();

    await assert.rejects(restoreDatabase({ kind: 'pglite', dataDir: src }, file), (e: Error) => e instanceof BackupError && /not empty/.test(e.message));
    const target = path.join(dir, 'b', 'pglite');
    await restoreDatabase({ kind: 'pglite', dataDir: target }, file);
    const restored = await openDatabase({ kind: 'pglite', dataDir: target });
    assert.deepEqual(await fingerprint(restored), before);
    await restored.close();

    const bogus = path.join(dir, 'bogus.dump');
    writeFileSync(bogus, 'PGDMP not really');
    await assert.rejects(restoreDatabase({ kind: 'pglite', dataDir: path.join(dir, 'c', 'pglite') }, bogus), /PostgreSQL \(pg_dump\) backup/);
  });

  it('round-trips every table on PostgreSQL with pg_dump/pg_restore, and restores only into an empty database', { skip: !config.testDatabaseUrl && 'TEST_DATABASE_URL is not set' }, async () => {
    // A copy of the run's database with the demo loaded where there is one, as above.
    const { db, drop } = await createTestDatabase(config, config.testDemoTemplate ?? config.testTemplate);
    const emptyName = `samverka_restore_${process.pid}`;
    const admin = new pg.Client({ connectionString: config.testDatabaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${emptyName}`);
    const url = new URL(config.testDatabaseUrl!);
    url.pathname = `/${emptyName}`;
    try {
      if (!config.testDemoTemplate) await loadDemoData(db, { dataDir: dir });
      await addAccountsAndJobs(db);
      const before = await fingerprint(db);
      const file = path.join(dir, 'samverka.dump');
      assert.equal(await backupDatabase(db, file), 'pg_dump-custom');
      const dbUrl = (db.pool as unknown as { options: { connectionString: string } }).options.connectionString;
      await assert.rejects(restoreDatabase({ kind: 'postgres', url: dbUrl }, file), /not empty/);
      await restoreDatabase({ kind: 'postgres', url: url.toString() }, file);
      const restored = await openDatabase({ kind: 'postgres', url: url.toString(), max: 2 });
      assert.deepEqual(await fingerprint(restored), before);
      await restored.close();
      await assert.rejects(restoreDatabase({ kind: 'postgres', url: url.toString() }, path.join(dir, 'samverka.tar.gz')), /PGlite|not a Samverka backup|No backup/);
    } finally {
      await drop();
      await admin.query(`DROP DATABASE IF EXISTS ${emptyName} WITH (FORCE)`);
      await admin.end();
    }
  });
});
