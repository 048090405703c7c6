import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

/** What migrating needs of a database handle (structural, so this file does not import index.ts back). */
type Migratable = { kind: 'pglite' | 'postgres'; pglite?: PGlite; pool?: pg.Pool };

/** A migration's fingerprint; line endings are normalised so a Windows checkout does not count as an edit. */
export function migrationChecksum(body: string): string {
  return createHash('sha256').update(body.replace(/\r\n/g, '\n')).digest('hex');
}

/** An applied migration whose file has changed since: the schema no longer matches the history. */
export class EditedMigrationError extends Error {
  constructor(readonly files: string[]) {
    super(
      `Migration${files.length > 1 ? 's' : ''} ${files.join(', ')} changed after ${files.length > 1 ? 'they were' : 'it was'} applied to this database. ` +
        'Applied migrations must never be edited: restore the original file and put the change in a new migration.',
    );
    this.name = 'EditedMigrationError';
  }
}

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/**
 * One migration history for both engines: plain SQL files applied in name order,
 * each in its own transaction together with its bookkeeping row. An advisory
 * lock keeps two app servers starting at once from racing on a real server.
 * Each applied file's checksum is kept; a changed file is refused at start
 * (histories from before checksums adopt the current file's on first sight).
 */
export async function migrate(db: Migratable, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  const lockKey = 7_283_513; // arbitrary, fixed: "samverka migrations"
  const applied: string[] = [];
  const run = async (q: (text: string, params?: unknown[]) => Promise<{ rows: any[] }>, exec: (t: string) => Promise<unknown>) => {
    await exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    await exec('ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text');
    const done = new Map((await q('SELECT name, checksum FROM schema_migrations')).rows.map((r) => [r.name as string, r.checksum as string | null]));
    const bodies = new Map(files.map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
    const edited = files.filter((f) => done.has(f) && done.get(f) !== null && done.get(f) !== migrationChecksum(bodies.get(f)!));
    if (edited.length) throw new EditedMigrationError(edited);
    for (const file of files) {
      if (done.get(file) === null) await q('UPDATE schema_migrations SET checksum = $2 WHERE name = $1', [file, migrationChecksum(bodies.get(file)!)]);
    }
    for (const file of files) {
      if (done.has(file)) continue;
      const body = bodies.get(file)!;
      await exec('BEGIN');
      try {
        await exec(body);
        await q('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [file, migrationChecksum(body)]);
        await exec('COMMIT');
      } catch (err) {
        await exec('ROLLBACK');
        throw new Error(`Migration ${file} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(file);
    }
  };
  if (db.kind === 'postgres' && db.pool) {
    const client = await db.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [lockKey]);
      try {
        await run((t, p) => client.query(t, p), (t) => client.query(t));
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [lockKey]);
      }
    } finally {
      client.release();
    }
  } else if (db.pglite) {
    const c = db.pglite;
    await run((t, p) => c.query(t, p), (t) => c.exec(t));
  }
  return applied;
}
