/**
 * Runs one kind of test through node's test runner:
 *   unit    — *.test.ts (unit and integration; need nothing but node_modules)
 *   shared  — *.shared.test.ts (read the reference data in ../shared; skip when absent)
 *   browser — *.browser.test.ts (drive Debian's chromium)
 * Extra arguments are passed on to `node --test` (e.g. --test-name-pattern); arguments that
 * name test files (ending in .test.ts) run only those files.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openAndMigrate } from '../src/platform/db/index.js';
import { loadDemoData } from '../src/demo/index.js';

const kind = process.argv[2] ?? 'unit';
const extra = process.argv.slice(3);
const root = path.resolve(import.meta.dirname, '..');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.') || name === 'data') continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (name.endsWith('.test.ts') || name.endsWith('.test.tsx')) out.push(path.relative(root, full));
  }
  return out;
}

const all = [...walk(path.join(root, 'src')), ...walk(path.join(root, 'test'))].sort();
const named = extra.filter((a) => /\.test\.tsx?$/.test(a));
const passOn = extra.filter((a) => !named.includes(a));
const files = named.length ? named : all.filter((f) => {
  const shared = /\.shared\.test\.tsx?$/.test(f);
  const browser = /\.browser\.test\.tsx?$/.test(f);
  if (kind === 'shared') return shared;
  if (kind === 'browser') return browser;
  return !shared && !browser;
});
if (files.length === 0) {
  console.error(`No ${kind} test files found.`);
  process.exit(1);
}
// Each test file gets its own embedded database (~1 GB of memory each), and a browser test its own
// server and browser; two at a time fits the 2-core machines this runs on.
const concurrency = kind === 'browser' ? 1 : 2;
// A hung browser or database must fail the run, not stall CI until its own limit.
const timeout = kind === 'browser' ? 240_000 : 300_000;

/**
 * Migrates one database for the whole run; test/helpers.ts copies it for each test file
 * (TEST_TEMPLATE). Creating and migrating an embedded database costs about two seconds of
 * CPU per file; loading a dump of a migrated one, a fraction of that.
 */
async function prepareTemplate(): Promise<{ value: string; remove: () => Promise<void> }> {
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
  const db = await openAndMigrate({ kind: 'pglite' });
  const dump = await db.pglite!.dumpDataDir('none');
  await db.close();
  const file = path.join(tmpdir(), `samverka-template-${tag}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  return { value: file, remove: async () => rmSync(file, { force: true }) };
}

/**
 * The same again with the demo dataset loaded, for the files that ask for it (createTestApp({ demo: true })):
 * loading the demo costs about five seconds of CPU, once per file that wants it before this template.
 * The demo loader also writes files (meeting and knowledge attachments); they are kept in a folder
 * that test/helpers.ts copies into each test's data directory.
 */
async function prepareDemoTemplate(base: string): Promise<{ value: string; files: string; remove: () => Promise<void> }> {
  const config = loadConfig();
  const files = mkdtempSync(path.join(tmpdir(), 'samverka-demo-files-'));
  const removeFiles = () => rmSync(files, { recursive: true, force: true });
  if (config.testDatabaseUrl) {
    const name = `${base}_demo`;
    const admin = new pg.Client({ connectionString: config.testDatabaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${base}`);
    await admin.end();
    const url = new URL(config.testDatabaseUrl);
    url.pathname = `/${name}`;
    const db = await openAndMigrate({ kind: 'postgres', url: url.toString(), max: 1 });
    await loadDemoData(db, { dataDir: files });
    await db.close();
    return {
      value: name,
      files,
      remove: async () => {
        removeFiles();
        const a = new pg.Client({ connectionString: config.testDatabaseUrl });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  }
  const db = await openAndMigrate({ kind: 'pglite', loadDataDir: new Blob([readFileSync(base)]) });
  await loadDemoData(db, { dataDir: files });
  const dump = await db.pglite!.dumpDataDir('none');
  await db.close();
  const file = base.replace(/\.tar$/, '-demo.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  return { value: file, files, remove: async () => { removeFiles(); rmSync(file, { force: true }); } };
}

// Only worth its seconds when some selected file loads the demo.
const wantsDemo = files.some((f) => /demo: true/.test(readFileSync(path.join(root, f), 'utf8')));

const template = await prepareTemplate();
let demo: Awaited<ReturnType<typeof prepareDemoTemplate>> | undefined;
let status = 1;
try {
  if (wantsDemo) demo = await prepareDemoTemplate(template.value);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, `--test-timeout=${timeout}`, ...passOn, ...files], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TEST_TEMPLATE: template.value, ...(demo ? { TEST_DEMO_TEMPLATE: demo.value, TEST_DEMO_FILES: demo.files } : {}) },
  });
  status = r.status ?? 1;
} finally {
  await demo?.remove();
  await template.remove();
}
process.exit(status);
