import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import path from 'node:path';
import type { Config } from '../../config.js';
import { migrate } from './migrate.js';
import { lockDataDir, type DataDirLock } from './lock.js';
import { drizzleFriendlyClient } from './pglite-client.js';

export { DatabaseLockedError } from './lock.js';

/**
 * Both engines expose the same Drizzle query builder; we type against the
 * node-postgres flavour and keep engine-specific code in this file only.
 */
export type Orm = NodePgDatabase<Record<string, never>>;
export type Tx = Parameters<Parameters<Orm['transaction']>[0]>[0];
/** Anything that can run a query: the root handle or an open transaction. */
export type Executor = Orm | Tx;

export type Database = {
  kind: 'pglite' | 'postgres';
  orm: Orm;
  /** Runs a script of one or more statements without parameters. */
  exec(sqlText: string): Promise<void>;
  /** Runs one parameterised statement and returns its rows. */
  query<T = Record<string, unknown>>(sqlText: string, params?: unknown[]): Promise<T[]>;
  /**
   * The engine handle, for engine-specific work such as COPY. Its own queries return timestamps,
   * dates and intervals as text (what Drizzle asks for, pglite-client.ts); `query` converts them.
   */
  pglite?: PGlite;
  pool?: pg.Pool;
  /**
   * Embedded engine only: calls `onNotify` for every NOTIFY on the channel, before the promise of
   * the committing statement resolves. Only one process can open an embedded database, so this
   * sees every write. Absent on PostgreSQL, where other servers write too.
   */
  listenLocal?(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

export type DatabaseOptions =
  | {
      kind: 'pglite';
      dataDir?: string /* undefined: in memory */;
      /**
       * Settings for the tests' small, throw-away databases only. A 16 MB buffer pool instead of
       * PostgreSQL's 128 MB starts in about half the CPU time (PGlite sets up the whole pool at
       * start), which counts when every test file opens a database. No full-page images in the
       * write-ahead log and no waiting for it at commit: they protect against a crash half-way
       * through a write, which a test database is never recovered from (PGlite already runs
       * without fsync, -F).
       */
      smallBufferPool?: boolean;
    }
  | { kind: 'postgres'; url: string; max?: number };

/**
 * PGlite's compiled WebAssembly module and its file bundle, made once per process and shared by
 * every embedded database it opens. Compiling the 9 MB module and reading the 6 MB bundle is
 * most of a PGlite start's CPU; a server opens one database (a backup or restore one more), but a
 * test worker opens one per test file.
 */
let pgliteAssets: { pgliteWasmModule: WebAssembly.Module; fsBundle: Blob } | undefined;
async function sharedPgliteAssets() {
  if (!pgliteAssets) {
    const dist = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    const pgliteWasmModule = await WebAssembly.compile(readFileSync(path.join(dist, 'pglite.wasm')));
    pgliteAssets ??= { pgliteWasmModule, fsBundle: new Blob([readFileSync(path.join(dist, 'pglite.data'))]) };
  }
  return pgliteAssets;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  let db: Database;
  if (opts.kind === 'pglite') {
    let lock: DataDirLock | undefined;
    let client: PGlite;
    if (opts.dataDir) {
      mkdirSync(path.dirname(path.resolve(opts.dataDir)), { recursive: true });
      lock = lockDataDir(path.resolve(opts.dataDir));
      mkdirSync(opts.dataDir, { recursive: true });
    }
    // An exit without close() (process.exit after an error) must not leave the lock behind;
    // a kill -9 does, and the next opener sees its pid is gone.
    const releaseOnExit = () => lock?.release();
    if (lock) process.once('exit', releaseOnExit);
    try {
      // pg_trgm serves typo-tolerant name search (migrations/0700, docs/decisions/0005-search.md).
      client = await PGlite.create(opts.dataDir ?? 'memory://', {
        ...(await sharedPgliteAssets()),
        extensions: { pg_trgm },
        ...(opts.smallBufferPool ? { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'full_page_writes=off', '-c', 'synchronous_commit=off'] } : {}),
      });
    } catch (err) {
      lock?.release();
      process.off('exit', releaseOnExit);
      throw err;
    }
    // Drizzle's queries without PGlite's per-query copy of its parser table (pglite-client.ts).
    const forDrizzle = drizzleFriendlyClient(client);
    db = {
      kind: 'pglite',
      orm: drizzlePglite({ client: forDrizzle }) as unknown as Orm,
      async exec(sqlText) {
        await client.exec(sqlText);
      },
      async query<T>(sqlText: string, params: unknown[] = []) {
        const r = await forDrizzle.query<T>(sqlText, params);
        return r.rows;
      },
      pglite: client,
      listenLocal: async (channel, onNotify) => {
        const unlisten = await client.listen(channel, onNotify);
        // Closing the database ends every listener; a closed client refuses the UNLISTEN.
        return async () => {
          if (!client.closed) await unlisten();
        };
      },
      async close() {
        try {
          if (!client.closed) await client.close();
        } finally {
          lock?.release();
          process.off('exit', releaseOnExit);
        }
      },
    };
  } else {
    // Dates stay strings: a `date` column means a calendar day, not an instant,
    // and converting it through the server's time zone shifts it.
    const types = {
      getTypeParser(oid: number, format?: 'text' | 'binary') {
        if (oid === 1082) return (v: string) => v;
        return pg.types.getTypeParser(oid, format as 'text');
      },
    };
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.max ?? 10, types });
    // An idle connection can fail (server restart, a DBA terminating it): the pool replaces it,
    // and without a listener Node would treat the event as fatal and stop the whole app.
    let closing = false;
    pool.on('error', (err: Error & { code?: string }) => {
      if (closing && err.code === '57P01') return; // terminated after we asked to close: expected
      console.error(`PostgreSQL: an idle connection failed and will be replaced: ${err.message}`);
    });
    db = {
      kind: 'postgres',
      orm: drizzlePg(pool),
      async exec(sqlText) {
        await pool.query(sqlText);
      },
      async query<T>(sqlText: string, params: unknown[] = []) {
        const r = await pool.query(sqlText, params);
        return r.rows as T[];
      },
      pool,
      async close() {
        closing = true;
        await pool.end();
      },
    };
  }
  return db;
}

/** Opens the database the configuration names and brings its schema up to date. */
export async function openAndMigrate(opts: DatabaseOptions): Promise<Database> {
  const db = await openDatabase(opts);
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

export { migrate };

/** Embedded PGlite in DATA_DIR unless DATABASE_URL names a PostgreSQL server. */
export function databaseOptions(config: Config): DatabaseOptions {
  return config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') };
}

type RawClient = { query(text: string, params?: unknown[], opts?: { blob?: Blob }): Promise<{ rows: any[] }> };

/**
 * The engine client under a Drizzle handle or transaction (PGlite Transaction or
 * pg PoolClient): COPY and array-parameter statements need it, and using the
 * transaction's own client keeps them inside the same transaction.
 */
export function rawClient(ex: Executor): RawClient {
  return (ex as unknown as { session: { client: RawClient } }).session.client;
}

export async function rawQuery<T = Record<string, unknown>>(ex: Executor, text: string, params: unknown[] = []): Promise<T[]> {
  return (await rawClient(ex).query(text, params)).rows as T[];
}

/**
 * COPY … FROM of rows into `target` ("table (columns)") inside the executor's transaction, in
 * PostgreSQL's text format (tab-separated, \N for NULL; see copyTextField) or CSV.
 * `text` yields complete lines, each ending in a newline. On PostgreSQL the text is streamed in
 * pieces of about 64 kB while it is still being produced (a lazy generator lets Node compute the
 * next rows while the server ingests the last ones); PGlite takes one blob per COPY.
 */
export async function copyIn(ex: Executor, target: string, text: Iterable<string> | AsyncIterable<string>, format: 'text' | 'csv' = 'text'): Promise<void> {
  const client = rawClient(ex);
  if (!(client instanceof pg.Client)) {
    const parts: string[] = [];
    for await (const t of text) parts.push(t);
    if (parts.length) await client.query(`COPY ${target} FROM '/dev/blob' WITH (FORMAT ${format})`, [], { blob: new Blob(parts) });
    return;
  }
  async function* pieces() {
    let piece = '';
    for await (const t of text) {
      piece += t;
      if (piece.length >= 65_536) {
        yield piece;
        piece = '';
      }
    }
    if (piece) yield piece;
  }
  const stream = (client as unknown as { query(s: ReturnType<typeof copyFrom>): ReturnType<typeof copyFrom> }).query(copyFrom(`COPY ${target} FROM STDIN WITH (FORMAT ${format})`));
  await pipeline(Readable.from(pieces()), stream);
}

/**
 * Runs `fn` with an executor on a PostgreSQL connection of its own, opened for the call and closed
 * after it: outside the pool, so it never waits for a pool connection that the caller's own
 * transaction (or work blocked by it) holds, and outside any transaction. PGlite has one
 * connection: `fn` gets null there.
 */
export async function withOwnConnection<T>(db: Database, fn: (ex: Executor | null) => Promise<T>): Promise<T> {
  if (!db.pool) return fn(null);
  const client = new pg.Client(db.pool.options);
  // A dropped connection also fails the query in flight, which is where it is reported; without a
  // listener Node would treat the client's 'error' event as fatal and stop the whole app.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(drizzlePg(client) as unknown as Executor);
  } finally {
    await client.end();
  }
}

/**
 * Whether an error is PostgreSQL's unique violation (23505), on either engine, also when the query
 * builder wrapped the driver's error in its own.
 */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: any = err, depth = 0; e && depth < 4; e = e.cause, depth++) if (e.code === '23505') return true;
  return false;
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
/** One field of a COPY line in text format: NULL as \N, and backslash, tab, newline and return escaped. */
export function copyTextField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : v;
}

/**
 * Runs independent reads together where that is safe: on the root handle each gets a connection
 * of its own from the pool; in a transaction, whose one connection must not be sent a query while
 * it runs another (node-postgres deprecates that and pg 9 refuses it), one after another.
 */
export async function readAll<T extends readonly unknown[]>(ex: Executor, reads: readonly [...{ [K in keyof T]: () => PromiseLike<T[K]> }]): Promise<T> {
  if (!(ex instanceof PgTransaction)) return (await Promise.all(reads.map((r) => r()))) as unknown as T;
  const out: unknown[] = [];
  for (const r of reads) out.push(await r());
  return out as unknown as T;
}
