/**
 * The databases a test run copies for each test file (scripts/run-tests.ts): the migrated schema
 * (TEST_TEMPLATE) and the same with the demo loaded (TEST_DEMO_TEMPLATE, TEST_DEMO_FILES), as
 * PGlite data folders or PostgreSQL template databases.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants as fsConstants, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openAndMigrate } from '../src/platform/db/index.js';
import { loadDemoData } from '../src/demo/index.js';

/**
 * Migrates one database for the whole run; test/helpers.ts copies it for each test file
 * (TEST_TEMPLATE). Creating and migrating an embedded database costs about two seconds of
 * CPU per file; opening a copy of a migrated one, a fraction of that.
 */
export async function prepareTemplate(): Promise<{ value: string; remove: () => Promise<void> }> {
  const config = loadConfig();
  const tag = `${process.pid}_${Date.now().toString(36)}`;
  if (config.testDatabaseUrl) {
    const name = `samverka_template_${tag}`;
    const admin = new pg.Client({ connectionString: config.testDatabaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(config.testDatabaseUrl);
    url.pathname = `/${name}`;
    const db = await openAndMigrate({ kind: 'postgres', url: url.toString(), max: 1 });
    await db.close(); // a template must have no open connections while it is copied
    return {
      value: name,
      remove: async () => {
        const a = new pg.Client({ connectionString: config.testDatabaseUrl });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  }
  // A data folder: each test file copies it (the kernel copies the files) and opens the copy, and
  // PostgreSQL reads only the pages it needs. Loading a dump into PGlite's in-memory file system
  // instead writes all ~45 MB through JavaScript, about twice the CPU per database. The folder and
  // every copy (test/helpers.ts puts them beside it) live in one folder of the run, in memory where
  // the system has a tmpfs: a copy there costs a tenth of one on disk, and removing the copies
  // does not wait for the disk. The whole folder goes when the run ends, whatever a test left.
  const scratch = mkdtempSync(path.join(memoryTmp(), 'samverka-tests-'));
  const dir = path.join(scratch, 'template');
  // The same migrations on the same PGlite make the same folder, so it is kept between runs
  // (docs/benchmarks.md, "Seventh round"): creating the cluster and migrating it costs about seven
  // seconds of CPU, at the start of the run, while every worker waits for it.
  const cached = path.join(CACHE, `template-${schemaKey()}`);
  if (existsSync(path.join(cached, 'PG_VERSION'))) {
    cpSync(cached, dir, { recursive: true });
  } else {
    const db = await openAndMigrate({ kind: 'pglite', dataDir: dir, smallBufferPool: true });
    // PGlite's folder holds three databases of about 7 MB each: the app's (postgres) and initdb's
    // template0 and template1, which an embedded database never uses (nothing here creates a
    // database). Without them each test file's copy has half the files: about 0.1 s of CPU less to
    // copy, open and remove, for every file that opens a database.
    for (const name of ['template0', 'template1']) {
      await db.exec(`ALTER DATABASE ${name} IS_TEMPLATE false`);
      await db.exec(`DROP DATABASE ${name}`);
    }
    await db.exec('CHECKPOINT');
    await db.close();
    keep(dir, cached);
  }
  return { value: dir, remove: async () => rmSync(scratch, { recursive: true, force: true }) };
}

/** Where a run keeps its migrated template for the next (beside the type check's and module rules' caches). */
const CACHE = path.join(import.meta.dirname, '..', 'node_modules', '.cache', 'samverka', 'test-templates');

/**
 * What the migrated template depends on: the migrations, the code that opens and migrates a
 * database and makes the template, and the PGlite and Node.js that run it. Any change makes a
 * new template. The demo template is not kept: the demo loader is most of the app's code, and
 * its rows' times would age between runs.
 */
function schemaKey(): string {
  const root = path.join(import.meta.dirname, '..');
  const hash = createHash('sha256').update(process.version);
  const files = [
    ...readdirSync(path.join(root, 'migrations')).sort().map((f) => path.join('migrations', f)),
    ...['index.ts', 'migrate.ts', 'pglite-client.ts'].map((f) => path.join('src', 'platform', 'db', f)),
    path.join('scripts', 'test-templates.ts'),
    path.join('node_modules', '@electric-sql', 'pglite', 'package.json'),
  ];
  for (const f of files) hash.update(f).update(readFileSync(path.join(root, f)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Copies a new template into the cache, whole or not at all (a folder renamed into place), and
 * removes the templates of older schemas. Two runs at once may both make one: the first to rename
 * its copy keeps it, and the other's copy is dropped. The cache is only a saving: a failure to
 * write it leaves the run as it was.
 */
function keep(dir: string, cached: string): void {
  try {
    mkdirSync(CACHE, { recursive: true });
    // Older schemas' templates, and what a stopped run left half-copied.
    for (const old of readdirSync(CACHE)) if (path.join(CACHE, old) !== cached) rmSync(path.join(CACHE, old), { recursive: true, force: true });
    const partial = mkdtempSync(path.join(CACHE, '.partial-'));
    cpSync(dir, partial, { recursive: true });
    try {
      renameSync(partial, cached);
    } catch {
      rmSync(partial, { recursive: true, force: true }); // another run kept one first
    }
  } catch {
    // no cache this time
  }
}

/** /dev/shm when it is a writable tmpfs (Linux), else the system's temporary folder. */
function memoryTmp(): string {
  try {
    accessSync('/dev/shm', fsConstants.W_OK);
    return statSync('/dev/shm').isDirectory() ? '/dev/shm' : tmpdir();
  } catch {
    return tmpdir();
  }
}

/**
 * The same again with the demo dataset loaded, for the files that ask for it (createTestApp({ demo: true })):
 * loading the demo costs about five seconds of CPU, once per file that wants it before this template.
 * The demo loader also writes files (meeting and knowledge attachments); they are kept in a folder
 * that test/helpers.ts copies into each test's data directory.
 *
 * Its names are fixed before it is made, and `ready` settles when it is: the workers start at once
 * with the files that do not want the demo, instead of waiting the ten or more seconds the load
 * takes (runInWorkers hands out a demo file only once `ready` has settled).
 */
export function prepareDemoTemplate(base: string): { value: string; files: string; ready: Promise<void>; remove: () => Promise<void> } {
  const config = loadConfig();
  const files = mkdtempSync(path.join(tmpdir(), 'samverka-demo-files-'));
  const removeFiles = () => rmSync(files, { recursive: true, force: true });
  if (config.testDatabaseUrl) {
    const name = `${base}_demo`;
    const ready = (async () => {
      const admin = new pg.Client({ connectionString: config.testDatabaseUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${base}`);
      await admin.end();
      const url = new URL(config.testDatabaseUrl!);
      url.pathname = `/${name}`;
      const db = await openAndMigrate({ kind: 'postgres', url: url.toString(), max: 1 });
      await loadDemoData(db, { dataDir: files });
      await db.close();
    })();
    return {
      value: name,
      files,
      ready,
      remove: async () => {
        await ready.catch(() => undefined);
        removeFiles();
        const a = new pg.Client({ connectionString: config.testDatabaseUrl });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  }
  const dir = `${base}-demo`;
  const ready = (async () => {
    cpSync(base, dir, { recursive: true });
    const db = await openAndMigrate({ kind: 'pglite', dataDir: dir, smallBufferPool: true });
    await loadDemoData(db, { dataDir: files });
    await db.close();
  })();
  return {
    value: dir,
    files,
    ready,
    remove: async () => {
      await ready.catch(() => undefined);
      removeFiles();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
