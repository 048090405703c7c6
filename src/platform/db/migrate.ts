import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './index.js';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/**
 * One migration history for both engines: plain SQL files applied in name order,
 * each in its own transaction together with its bookkeeping row. An advisory
 * lock keeps two app servers starting at once from racing on a real server.
 */
export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
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
    const done = new Set((await q('SELECT name FROM schema_migrations')).rows.map((r) => r.name as string));
    for (const file of files) {
      if (done.has(file)) continue;
      const body = readFileSync(path.join(dir, file), 'utf8');
      await exec('BEGIN');
      try {
        await exec(body);
        await q('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
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
