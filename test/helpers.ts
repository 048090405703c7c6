/**
 * Shared test scaffolding: a migrated database holding only the template's rows for each test
 * app (embedded PGlite by default, a throw-away database on a real PostgreSQL server when
 * TEST_DATABASE_URL is set), the app over it, and an HTTP agent that keeps cookies and sends
 * the CSRF token like a browser would.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { accounts } from '../src/modules/accounts/index.js';
import { directory } from '../src/modules/directory/index.js';
import { loadDemoData } from '../src/demo/index.js';
import { systemActor } from '../src/platform/audit.js';
import { hmac, randomToken } from '../src/platform/crypto.js';
import { migrate, openAndMigrate, type Database } from '../src/platform/db/index.js';
import { reusedDatabase } from './reused-database.js';
import { createMailer, type Mailer } from '../src/platform/mail.js';
import { cpSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';
export const PASSWORD = 'correct horse battery';

export function testConfig(overrides: Record<string, string> = {}): Config {
  const env = loadConfig(); // reads TEST_DATABASE_URL and SHARED_DIR, if set
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SESSION_SECRET: TEST_SECRET,
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'samverka-test-')),
    DEMO_DATA: 'false',
    SIGNIN_RATE_LIMIT: '1000',
    ...(env.testDatabaseUrl ? { TEST_DATABASE_URL: env.testDatabaseUrl } : {}),
    ...(env.testTemplate ? { TEST_TEMPLATE: env.testTemplate } : {}),
    ...(env.testDemoTemplate && env.testDemoFiles ? { TEST_DEMO_TEMPLATE: env.testDemoTemplate, TEST_DEMO_FILES: env.testDemoFiles } : {}),
    SHARED_DIR: env.sharedDir,
    ...overrides,
  });
}

/**
 * A database with the current schema and the template's rows only. Call the returned drop() when done.
 * Under scripts/run-tests.ts the schema was migrated once for the whole run (TEST_TEMPLATE): on
 * PostgreSQL each app gets a copy (CREATE DATABASE … TEMPLATE); on PGlite the worker's one open
 * database for the template, put back to its rows when the last app dropped it
 * (reused-database.ts), or a copy of the data folder when that one is in use. Either is several
 * times faster than creating and migrating a database per file. migrate() still runs: it checks
 * the checksums and applies nothing.
 */
export async function createTestDatabase(config: Config, template = config.testTemplate): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (!config.testDatabaseUrl) {
    if (!template || !existsSync(template)) {
      const db = await openAndMigrate({ kind: 'pglite', smallBufferPool: true });
      return { db, drop: () => db.close() };
    }
    // The worker's database for this template, its rows put back after each use (reused-database.ts),
    // unless another app of this test holds it.
    const reused = await reusedDatabase(template, () => openCopy(template));
    if (reused) {
      // As a copy would: the checksums are checked and nothing is applied.
      await migrate(reused.db).catch(async (err) => {
        await reused.drop();
        throw err;
      });
      return reused;
    }
    return openCopy(template);
  }
  const name = `samverka_test_${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
  const admin = new pg.Client({ connectionString: config.testDatabaseUrl });
  await admin.connect();
  await admin.query(template ? `CREATE DATABASE ${name} TEMPLATE ${pgIdent(template)}` : `CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(config.testDatabaseUrl);
  url.pathname = `/${name}`;
  const db = await openAndMigrate({ kind: 'postgres', url: url.toString(), max: 5 });
  return {
    db,
    drop: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: config.testDatabaseUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/**
 * Fills an embedded data folder with the run's migrated template when there is one (PGlite under
 * scripts/run-tests.ts), so that opening it finds a migrated cluster instead of running initdb
 * and every migration (about ten seconds of CPU). For tests whose subject is what happens to an
 * existing folder (locks, backups), not its first creation. Does nothing otherwise.
 */
export function seedDataDir(dataDir: string): void {
  const template = loadConfig().testTemplate;
  if (!template || !existsSync(template) || !statSync(template).isDirectory()) return;
  cpSync(template, dataDir, { recursive: true });
}

const projectRoot = path.resolve(import.meta.dirname, '..');

/**
 * A new empty folder for a test's files: beside the run's PGlite template when there is one (in
 * memory where the system has a tmpfs, and removed with the run), else in the system's temporary
 * folder. Starting a database in memory saves the waits on the disk, not CPU.
 */
export function scratchDir(prefix: string): string {
  const template = loadConfig().testTemplate;
  const beside = template && path.isAbsolute(template) && existsSync(template) && statSync(template).isDirectory();
  return mkdtempSync(path.join(beside ? path.dirname(template) : tmpdir(), prefix));
}

/**
 * Node's arguments to start one of the app's entry points as a process (`src/cli.ts`,
 * `src/server.ts`, `src/platform/jobs.kill-fixture.ts`; relative to the project or absolute): the
 * run's bundle of it when scripts/run-tests.ts made one (TEST_ENTRIES), else the source through
 * tsx as `npm run cli` does. The bundle is the same code without tsx's transform of every module
 * at each start, about two seconds of CPU per process.
 */
export function entryArgs(entry: string): string[] {
  const relative = path.relative(projectRoot, path.resolve(projectRoot, entry));
  const dir = loadConfig().testEntries;
  const bundled = dir && path.join(dir, relative.replace(/\.tsx?$/, '.js'));
  if (bundled && existsSync(bundled)) return [bundled];
  return ['--import', 'tsx', path.join(projectRoot, relative)];
}

/**
 * Like seedDataDir, from the run's template with the demo dataset loaded, and the files the demo
 * loader wrote copied into filesDir. Returns false when the run has no such template (PostgreSQL, a
 * run without demo files, a file run on its own through node --test): the caller loads the demo
 * itself, about five seconds of CPU.
 */
export function seedDemoDataDir(dataDir: string, filesDir: string): boolean {
  const { testDemoTemplate: template, testDemoFiles: files } = loadConfig();
  if (!template || !files || !existsSync(template) || !statSync(template).isDirectory()) return false;
  cpSync(template, dataDir, { recursive: true });
  cpSync(files, filesDir, { recursive: true });
  return true;
}

/**
 * A copy of a migrated PGlite data folder, opened: the kernel copies the files, and PostgreSQL
 * reads only the pages it needs. The copy goes beside the template, in the run's own folder (in
 * memory where possible; scripts/run-tests.ts removes it at the end).
 */
async function openCopy(template: string): Promise<{ db: Database; drop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(path.dirname(template), 'db-'));
  cpSync(template, dir, { recursive: true });
  try {
    const db = await openAndMigrate({ kind: 'pglite', dataDir: dir, smallBufferPool: true });
    return {
      db,
      drop: async () => {
        try {
          await db.close();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

function pgIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`TEST_TEMPLATE is not a plain database name: ${name}`);
  return name;
}

export type TestApp = {
  app: FastifyInstance;
  db: Database;
  config: Config;
  mailer: Mailer;
  close: () => Promise<void>;
  /** Creates a user, optionally platform admin and with organisation roles given by slug. */
  makeUser: (opts: { email: string; name?: string; admin?: boolean; roles?: Record<string, 'admin' | 'editor' | 'member'> }) => Promise<{ id: string; email: string }>;
  /** An agent signed in as the given user (or anonymous without email). */
  agent: (email?: string) => Promise<Agent>;
};

export async function createTestApp(opts: { demo?: boolean; config?: Record<string, string> } = {}): Promise<TestApp> {
  const config = testConfig(opts.config);
  // Loading the demo costs seconds of CPU; under scripts/run-tests.ts it was loaded once per run
  // into a template (database and files), which each file that wants it copies instead.
  const demoCopy = opts.demo && config.testDemoTemplate && config.testDemoFiles ? { template: config.testDemoTemplate, files: config.testDemoFiles } : undefined;
  const { db, drop } = await createTestDatabase(config, demoCopy?.template ?? config.testTemplate);
  if (demoCopy) cpSync(demoCopy.files, config.dataDir, { recursive: true });
  else if (opts.demo) await loadDemoData(db, { dataDir: config.dataDir });
  const mailer = createMailer(config);
  const app = await buildApp({ config, db, secret: TEST_SECRET, mailer, logger: false });
  await app.ready();
  const t: TestApp = {
    app,
    db,
    config,
    mailer,
    close: async () => {
      await app.close();
      await drop();
      rmSync(config.dataDir, { recursive: true, force: true });
    },
    makeUser: async ({ email, name, admin, roles }) => {
      const u = await accounts.createUser(db, systemActor('test'), { email, displayName: name ?? email.split('@')[0]!, password: PASSWORD, isPlatformAdmin: !!admin });
      for (const [slug, role] of Object.entries(roles ?? {})) {
        const org = await directory.getOrganisation(db.orm, slug);
        await accounts.grantOrgRole(db, systemActor('test'), org.id, { email, role });
      }
      return { id: u.id, email: u.email };
    },
    agent: async (email) => {
      const a = new Agent(app);
      if (email) await a.signIn(email);
      return a;
    },
  };
  return t;
}

type Fields = Record<string, string | number | undefined | null>;

/** Plays the browser: keeps cookies, adds the CSRF token to forms and API writes. */
export class Agent {
  cookies = new Map<string, string>();
  constructor(readonly app: FastifyInstance) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  private keep(res: LightMyRequestResponse) {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && new Date(c.expires) < new Date())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }
  get csrf(): string {
    const seed = this.cookies.get('samverka_csrf');
    return seed ? hmac(TEST_SECRET, seed) : '';
  }
  async ensureCsrf() {
    if (!this.cookies.get('samverka_csrf')) await this.get('/healthz');
  }
  async get(url: string, headers: Record<string, string> = {}) {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } }));
  }
  async postForm(url: string, fields: Fields = {}, opts: { csrf?: boolean } = {}) {
    await this.ensureCsrf();
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) body.set(k, String(v));
    if (opts.csrf !== false) body.set('_csrf', this.csrf);
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        payload: body.toString(),
      }),
    );
  }
  /** A form with file inputs, as a browser sends it (multipart/form-data). */
  async postMultipart(url: string, fields: Fields, files: { name: string; filename: string; content: Buffer }[], opts: { csrf?: boolean } = {}) {
    await this.ensureCsrf();
    const all: Fields = opts.csrf === false ? fields : { _csrf: this.csrf, ...fields };
    return this.multipart('POST', url, all, files, { accept: 'text/html' });
  }
  /** multipart/form-data to the JSON API, as an integration sends it: the CSRF token (or an API token) in a header. */
  async apiMultipart(method: 'POST' | 'PUT', url: string, fields: Fields, files: { name: string; filename: string; content: Buffer }[], opts: { csrf?: boolean; token?: string } = {}) {
    await this.ensureCsrf();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    else if (opts.csrf !== false) headers['x-csrf-token'] = this.csrf;
    return this.multipart(method, url, fields, files, headers);
  }
  private async multipart(method: 'POST' | 'PUT', url: string, fields: Fields, files: { name: string; filename: string; content: Buffer }[], headers: Record<string, string>) {
    const boundary = '----samverkaTestBoundary7MA4YWxk';
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    for (const f of files) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
      parts.push(f.content, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return this.keep(
      await this.app.inject({
        method,
        url,
        headers: { cookie: this.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}`, ...headers },
        payload: Buffer.concat(parts),
      }),
    );
  }
  async api(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, json?: unknown, opts: { csrf?: boolean; token?: string } = {}) {
    await this.ensureCsrf();
    const headers: Record<string, string> = { cookie: this.cookieHeader(), accept: 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    else if (opts.csrf !== false && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (json !== undefined) headers['content-type'] = 'application/json';
    return this.keep(await this.app.inject({ method, url, headers, ...(json !== undefined ? { payload: JSON.stringify(json) } : {}) }));
  }
  async signIn(email: string, password = PASSWORD) {
    const res = await this.postForm('/signin', { email, password });
    if (res.statusCode !== 303) throw new Error(`sign-in failed for ${email}: ${res.statusCode}`);
    return res;
  }
}

/**
 * Runs the app's job worker until no job is due or running: the mail a request queued has been
 * handed to the mailer (t.mailer.sent), imports and other work it set off have ended. Jobs waiting
 * for a retry later are left alone, so a failing job is seen failing, not waited for.
 */
export async function drainJobs(t: { app: FastifyInstance; db: Database }, timeoutMs = 60_000): Promise<void> {
  const worker = t.app.jobWorker;
  if (!worker) throw new Error('drainJobs needs the app’s job worker (JOB_WORKER is off)');
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await worker.runOne()) continue;
    await worker.idle();
    const [r] = await t.db.query<{ n: string | number }>(`SELECT count(*) AS n FROM jobs WHERE state = 'running' OR (state = 'queued' AND run_after <= now())`);
    if (Number(r?.n ?? 0) === 0) return;
    if (Date.now() > until) throw new Error(`Jobs still due or running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Counts rows of a table, for "changes nothing" assertions. */
export async function countRows(db: Database, table: string): Promise<number> {
  const [r] = await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(r?.n ?? 0);
}

/** A fingerprint of every row of the given tables, to prove a rejected write changed nothing. */
export async function snapshot(
  db: Database,
  tables = ['organisations', 'people', 'memberships', 'commitments', 'commitment_signatures', 'areas', 'audit_events', 'users', 'org_roles', 'api_tokens', 'invitations', 'sessions'],
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tables) {
    const [r] = await db.query<{ h: string; n: string | number }>(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h, count(*) AS n FROM ${t} t`);
    out[t] = `${r?.n}:${r?.h}`;
  }
  return out;
}
