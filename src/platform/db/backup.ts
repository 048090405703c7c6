/**
 * Backup and restore, in each engine's own format (engine-specific, so it lives here):
 * - PGlite: the data folder as a gzipped tarball (`dumpDataDir`), restored with `loadDataDir`.
 *   Byte-for-byte the database, so nothing can be lost in translation.
 * - PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore`: the tools every PostgreSQL
 *   operator already knows, consistent while the app keeps running, and readable by their own tools.
 * A restore goes only into an empty database, so it can never merge into or overwrite live data.
 * Uploaded files are not in the database; they are copied separately (docs/operations.md).
 */
import { PGlite } from '@electric-sql/pglite';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Database, DatabaseOptions } from './index.js';
import { lockDataDir } from './lock.js';

export class BackupError extends Error {}

const GZIP = Buffer.from([0x1f, 0x8b]);
const PGDMP = Buffer.from('PGDMP');

async function head(file: string): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const b = Buffer.alloc(8);
    await fh.read(b, 0, 8, 0);
    return b;
  } finally {
    await fh.close();
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) =>
      reject((e as NodeJS.ErrnoException).code === 'ENOENT' ? new BackupError(`${cmd} was not found: install the PostgreSQL client tools (the same major version as the server).`) : e),
    );
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new BackupError(`${cmd} failed (exit ${code}): ${err.trim()}`))));
  });
}

/** Writes a backup of the open database to `file`. Returns the engine-specific format written. */
export async function backupDatabase(db: Database, file: string): Promise<'pglite-tar.gz' | 'pg_dump-custom'> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  if (db.kind === 'pglite') {
    const blob = await db.pglite!.dumpDataDir('gzip');
    await writeFile(file, Buffer.from(await blob.arrayBuffer()), { flag: 'wx' });
    return 'pglite-tar.gz';
  }
  if (existsSync(file)) throw new BackupError(`${file} already exists: choose a new file name.`);
  const url = (db.pool as unknown as { options: { connectionString: string } }).options.connectionString;
  await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${url}`]);
  return 'pg_dump-custom';
}

/** Tables in the public schema; none means empty. */
async function tableCount(q: (sql: string) => Promise<{ rows: { n: number | string }[] }>): Promise<number> {
  const { rows } = await q(`SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`);
  return Number(rows[0]?.n ?? 0);
}

/** Restores `file` into the database `opts` names, which must be empty (a new folder, or a database without tables). */
export async function restoreDatabase(opts: DatabaseOptions, file: string): Promise<void> {
  if (!existsSync(file)) throw new BackupError(`No backup at ${file}.`);
  const magic = await head(file);
  if (opts.kind === 'pglite') {
    if (!magic.subarray(0, 2).equals(GZIP)) {
      throw new BackupError(
        magic.subarray(0, 5).equals(PGDMP) ? `${file} is a PostgreSQL (pg_dump) backup: restore it with DATABASE_URL set to a PostgreSQL server.` : `${file} is not a Samverka backup.`,
      );
    }
    if (!opts.dataDir) throw new BackupError('Restoring needs a data folder.');
    if (existsSync(opts.dataDir) && readdirSync(opts.dataDir).length) {
      throw new BackupError(`The embedded database in ${opts.dataDir} is not empty. Restore into an empty DATA_DIR (or move this folder away first).`);
    }
    const lock = lockDataDir(path.resolve(opts.dataDir));
    try {
      await mkdir(opts.dataDir, { recursive: true });
      const data = await readFile(file);
      const client = await PGlite.create(opts.dataDir, { loadDataDir: new Blob([data]) });
      await client.query('SELECT 1');
      await client.close();
    } finally {
      lock.release();
    }
    return;
  }
  if (!magic.subarray(0, 5).equals(PGDMP)) {
    throw new BackupError(magic.subarray(0, 2).equals(GZIP) ? `${file} is an embedded-database (PGlite) backup: restore it without DATABASE_URL, into an empty DATA_DIR.` : `${file} is not a Samverka backup.`);
  }
  const client = new pg.Client({ connectionString: opts.url });
  await client.connect();
  try {
    if ((await tableCount((s) => client.query(s))) > 0) {
      throw new BackupError('The PostgreSQL database named by DATABASE_URL is not empty. Restore into a new, empty database (createdb), then point DATABASE_URL at it.');
    }
  } finally {
    await client.end();
  }
  await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${opts.url}`, file]);
}
