/**
 * Memory soak (issue #8, not a test): `npm run bench:soak [-- options]`.
 *
 * Starts the app as production runs it (the build in dist/, `dist/src/server.js`) on a fresh
 * PostgreSQL database with the demo data, signs a user in, and drives a mix of anonymous public
 * pages, JSON and OParl reads, signed-in pages (which bypass the anonymous page cache) and
 * signed-in writes (a person's details replaced, meetings added) at K connections for D seconds,
 * sampling the server process's RSS (from /proc, the operating system's own figure) every S
 * seconds. Prints a markdown table and a verdict: after the warm-up (W seconds), RSS must stay
 * within 20 % of its first post-warm-up sample.
 * Needs PostgreSQL: DATABASE_URL (the server is used to create and drop a scratch database);
 * defaults to postgres://postgres@127.0.0.1:5432/postgres.
 * Options: --duration D (300), --connections K (50), --sample S (10), --warmup W (60).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { accounts } from '../src/modules/accounts/index.js';
import { directory } from '../src/modules/directory/index.js';
import { systemActor } from '../src/platform/audit.js';
import { hmac } from '../src/platform/crypto.js';
import { openDatabase } from '../src/platform/db/index.js';
import { loadConfig } from '../src/config.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = argv.indexOf(`--${name}`);
  const env = process.env[`BENCH_${name.toUpperCase()}`];
  return i >= 0 ? Number(argv[i + 1]) : env ? Number(env) : dflt;
};
const DURATION = opt('duration', 300);
const CONNECTIONS = opt('connections', 50);
const SAMPLE = opt('sample', 10);
const WARMUP = opt('warmup', 60);
const SECRET = 'soak-secret-soak-secret-soak-secret-00000000';
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const EMAIL = 'soak@example.org';
const PASSWORD = 'soak-password-1234';
const ADMIN_EMAIL = 'soak-admin@example.org';
const NETWORK = 'kommunnatverket-for-hallbar-utveckling';
const log = (s: string) => process.stderr.write(`${s}\n`);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/** Resident set size of a process in MB, as the kernel counts it. */
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

type Res = { status: number; headers: http.IncomingHttpHeaders; body: string };
function request(agent: http.Agent, base: string, method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request(base + url, { method, agent, headers: { 'accept-encoding': 'br, gzip', 'accept-language': 'sv', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * The node flags production starts the server with (`npm start` in package.json), so the soak
 * measures the server as deployed: the capped V8 heap is what keeps its memory flat.
 */
function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(here, '../package.json'), 'utf8')) as { scripts: Record<string, string> };
  const cmd = pkg.scripts.start!.split('&&').map((s) => s.trim()).find((s) => s.includes('dist/src/server.js'));
  return (cmd ?? '').split(/\s+/).filter((a) => a.startsWith('--'));
}

function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...startFlags(), path.join(here, '../dist/src/server.js')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const base = `http://127.0.0.1:${env.PORT}`;
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      if (out.length > 100_000) out = out.slice(-50_000);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited ${code}:\n${out.slice(-3000)}`)));
    const poll = async () => {
      for (let i = 0; i < 600; i++) {
        try {
          const agent = new http.Agent();
          const r = await request(agent, base, 'GET', '/readyz');
          agent.destroy();
          if (r.status === 200) return resolve({ child, base });
        } catch {
          /* not listening yet */
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      reject(new Error(`server did not become ready:\n${out.slice(-3000)}`));
    };
    void poll();
  });
}

type Session = { cookie: string; 'x-csrf-token': string };

/**
 * Imports a CSV as large as the upload limit allows (short rows, so as many rows as the limit
 * holds) through the API, as a platform admin, sampling the server's RSS meanwhile: proof that the
 * largest file a user can send fits the server's capped heap (issue #8).
 */
async function largestImport(signIn: (e: string, p: string) => Promise<Session>, agent: http.Agent, base: string, dbUrl: string, pid: number) {
  const limit = loadConfig({}).uploadMaxBytes;
  const db = await openDatabase({ kind: 'postgres', url: dbUrl, max: 1 });
  const areas = (await db.query<{ key: string }>(`SELECT key FROM areas WHERE level = 'municipality' AND valid_from IS NULL AND valid_to IS NULL ORDER BY key`)).map((r) => r.key);
  const codes = (await db.query<{ code: string }>('SELECT code FROM ind_indicators ORDER BY code')).map((r) => r.code);
  await db.close();
  // Monthly periods from 1900 on, each (indicator, area, month) once: unique rows until the limit.
  // JSON escaping adds a byte per newline, so the text stays a little under the limit.
  const lines = ['indicator,area,period,value'];
  let bytes = lines[0]!.length + 1;
  let rows = 0;
  fill: for (let y = 1900; y < 3000; y++) {
    for (let m = 1; m <= 12; m++) {
      const period = `${y}-${String(m).padStart(2, '0')}`;
      for (const a of areas) {
        for (const c of codes) {
          const line = `${c},${a},${period},${((rows * 7919) % 100_000) / 100}`;
          if (bytes + (line.length + 1) * 1.05 > limit) break fill;
          lines.push(line);
          bytes += line.length + 1;
          rows++;
        }
      }
    }
  }
  const content = lines.join('\n') + '\n';
  lines.length = 0;
  const admin = await signIn(ADMIN_EMAIL, PASSWORD);
  const rssBefore = rssOf(pid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssOf(pid))), 200);
  log(`importing ${rows} rows (${(Buffer.byteLength(content) / 2 ** 20).toFixed(1)} MB) through POST /api/imports…`);
  const t = Date.now();
  const res = await request(agent, base, 'POST', '/api/imports', { ...admin, 'content-type': 'application/json', accept: 'application/json', 'accept-encoding': 'identity' }, JSON.stringify({ format: 'long', filename: 'largest.csv', content }));
  clearInterval(sampler);
  const seconds = (Date.now() - t) / 1000;
  const inserted = res.status === 200 ? (JSON.parse(res.body) as { inserted: number }).inserted : 0;
  if (res.status !== 200) log(`the largest import answered ${res.status}: ${res.body.slice(0, 500)}`);
  return { rows, bytes: Buffer.byteLength(content), limit, status: res.status, inserted, seconds, rssBefore, rssPeak: Math.max(rssPeak, rssOf(pid)), ok: res.status === 200 && inserted === rows };
}

async function main() {
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}`;
  const name = `samverka_soak_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const ver = ((await admin.query('SHOW server_version')).rows[0] as { server_version: string }).server_version;
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'samverka-soak-'));
  let server: ChildProcess | undefined;
  try {
    execFileSync(process.execPath, [path.join(here, 'build.mjs')], { stdio: 'inherit' });
    const port = await freePort();
    log(`starting the app on PostgreSQL ${ver} (database ${name}), loading the demo data…`);
    const started = await startServer({
      NODE_ENV: 'production', DATABASE_URL: url.toString(), DEMO_DATA: 'true', PORT: String(port), HOST: '127.0.0.1',
      SESSION_SECRET: SECRET, DATA_DIR: dataDir, LOG_LEVEL: 'warn', SIGNIN_RATE_LIMIT: '1000',
    });
    server = started.child;
    const base = started.base;

    // The signed-in user: editor of the demo network, from a second connection to the same database.
    const db = await openDatabase({ kind: 'postgres', url: url.toString(), max: 2 });
    await accounts.createUser(db, systemActor('soak'), { email: EMAIL, displayName: 'Soak Editor', password: PASSWORD, isPlatformAdmin: false });
    const network = await directory.getOrganisation(db.orm, NETWORK);
    await accounts.grantOrgRole(db, systemActor('soak'), network.id, { email: EMAIL, role: 'editor' });
    await accounts.createUser(db, systemActor('soak'), { email: ADMIN_EMAIL, displayName: 'Soak Admin', password: PASSWORD, isPlatformAdmin: true });
    await db.close();

    const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    // Sign in as a browser does: the CSRF cookie first, then the form with the derived token.
    const signIn = async (email: string, password: string) => {
      const first = await request(agent, base, 'GET', '/healthz');
      const cookies = new Map<string, string>();
      const keep = (r: Res) => {
        for (const c of [r.headers['set-cookie'] ?? []].flat()) {
          const [kv] = c.split(';');
          const [k, v] = kv!.split('=');
          cookies.set(k!, v ?? '');
        }
      };
      keep(first);
      const token = hmac(SECRET, cookies.get('samverka_csrf') ?? '');
      const signin = await request(agent, base, 'POST', '/signin', { 'content-type': 'application/x-www-form-urlencoded', cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') }, new URLSearchParams({ email, password, _csrf: token }).toString());
      if (signin.status !== 303) throw new Error(`sign-in answered ${signin.status}`);
      keep(signin);
      return { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': token };
    };
    const session = await signIn(EMAIL, PASSWORD);

    const largest = await largestImport(signIn, agent, base, url.toString(), server.pid!);
    const plain = { 'accept-encoding': 'identity', accept: 'application/json' };
    const json = { ...session, 'content-type': 'application/json', accept: 'application/json' };
    const person = await request(agent, base, 'POST', '/api/people', { ...json, ...plain }, JSON.stringify({ name: 'Soak Person', lang: 'sv' }));
    if (person.status !== 201) throw new Error(`creating a person answered ${person.status}: ${person.body}`);
    const personId = (JSON.parse(person.body) as { id: string }).id;

    // What to ask for: discovered from the demo data, so the mix follows it.
    const orgs = (JSON.parse((await request(agent, base, 'GET', '/api/organisations?pageSize=100', plain)).body) as { items: { slug: string }[] }).items.map((o) => o.slug);
    const meetings = (JSON.parse((await request(agent, base, 'GET', '/api/meetings', plain)).body) as { items: { id: string }[] }).items.map((m) => m.id);
    const indicators = (JSON.parse((await request(agent, base, 'GET', '/api/indicators', plain)).body) as { items: { code: string }[] }).items.map((i) => i.code);
    const areaKeys = ['se-0780', 'se-1487', 'dk-657'];
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;
    const publicPages = () =>
      pick([
        '/', '/organisations', `/organisations/${pick(orgs)}`, '/people', '/commitments', '/meetings',
        ...(meetings.length ? [`/meetings/${pick(meetings)}`] : []), `/areas/${pick(areaKeys)}`,
        ...(indicators.length ? [`/indicators/${pick(indicators)}?area=${pick(areaKeys)}`, `/compare?indicator=${pick(indicators)}&area=${pick(areaKeys)}`] : []),
        `/search?q=${pick(['klimat', 'energi', 'vatten', 'hållbar', 'møde'])}`, '/projects', '/plans', '/challenges',
      ]);
    const apiReads = () =>
      pick([
        '/api/organisations', `/api/organisations/${pick(orgs)}`, '/api/people', '/api/meetings', '/api/indicators',
        `/api/search/names?q=${pick(['kom', 'nät', 'her'])}`, '/oparl/v1/', `/meetings/bodies/${NETWORK}/calendar.ics`, `/meetings/bodies/${NETWORK}/feed.atom`, `/api/organisations/${pick(orgs)}/history`,
      ]);
    let writes = 0;
    let seq = 0;
    type Kind = 'public' | 'api' | 'signed-in page' | 'write';
    const counts: Record<Kind, { n: number; errors: number }> = { public: { n: 0, errors: 0 }, api: { n: 0, errors: 0 }, 'signed-in page': { n: 0, errors: 0 }, write: { n: 0, errors: 0 } };
    const statuses = new Map<string, number>();
    const one = async () => {
      const r = Math.random();
      let kind: Kind;
      let res: Res;
      if (r < 0.5) {
        kind = 'public';
        res = await request(agent, base, 'GET', publicPages());
      } else if (r < 0.8) {
        kind = 'api';
        res = await request(agent, base, 'GET', apiReads(), { accept: 'application/json' });
      } else if (r < 0.97) {
        kind = 'signed-in page';
        res = await request(agent, base, 'GET', publicPages(), { cookie: session.cookie });
      } else {
        kind = 'write';
        writes++;
        if (writes % 4 === 0) {
          const day = String(1 + (seq++ % 28)).padStart(2, '0');
          res = await request(agent, base, 'POST', '/api/meetings', json, JSON.stringify({ title: `Soak meeting ${seq}`, lang: 'sv', start: `2031-05-${day}T09:00:00+02:00`, organisationIds: [network.id] }));
        } else {
          res = await request(agent, base, 'PUT', `/api/people/${personId}`, json, JSON.stringify({ name: 'Soak Person', lang: 'sv', title: `Title ${seq++}` }));
        }
      }
      counts[kind].n++;
      if (res.status >= 400) {
        counts[kind].errors++;
        statuses.set(`${kind} ${res.status}`, (statuses.get(`${kind} ${res.status}`) ?? 0) + 1);
      }
    };

    const pid = server.pid!;
    const samples: { t: number; rss: number; requests: number }[] = [{ t: 0, rss: rssOf(pid), requests: 0 }];
    const t0 = Date.now();
    const end = t0 + DURATION * 1000;
    const total = () => Object.values(counts).reduce((a, c) => a + c.n, 0);
    const timer = setInterval(() => {
      const s = { t: Math.round((Date.now() - t0) / 1000), rss: rssOf(pid), requests: total() };
      samples.push(s);
      log(`${s.t} s: RSS ${s.rss.toFixed(0)} MB, ${s.requests} requests`);
    }, SAMPLE * 1000);
    log(`load: ${CONNECTIONS} connections for ${DURATION} s`);
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (Date.now() < end) {
          try {
            await one();
          } catch {
            counts.public.errors++;
            statuses.set('connection error', (statuses.get('connection error') ?? 0) + 1);
          }
        }
      }),
    );
    clearInterval(timer);
    samples.push({ t: Math.round((Date.now() - t0) / 1000), rss: rssOf(pid), requests: total() });
    agent.destroy();

    const after = samples.filter((s) => s.t >= WARMUP);
    const ref = after[0]!.rss;
    const max = Math.max(...after.map((s) => s.rss));
    const min = Math.min(...after.map((s) => s.rss));
    const flat = max <= ref * 1.2 && min >= ref * 0.8;
    const f = (n: number, d = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: d, minimumFractionDigits: d });
    const out = [
      `### Memory soak, PostgreSQL ${ver} — ${new Date().toISOString().slice(0, 10)}`,
      '',
      `Machine: ${machine}. The app as production runs it (\`dist/src/server.js\`), demo data, ${CONNECTIONS} connections for ${DURATION} s from the benchmark's process: ` +
        `${f(counts.public.n)} anonymous pages, ${f(counts.api.n)} API/OParl/iCalendar reads, ${f(counts['signed-in page'].n)} signed-in pages, ${f(counts.write.n)} writes ` +
        `(${f(total() / DURATION)} req/s; answers ≥ 400: ${[...statuses].map(([k, v]) => `${k} × ${v}`).join(', ') || 'none'}).`,
      '',
      `Before the load, the largest import the server accepts: ${f(largest.rows)} rows, ${f(largest.bytes / 2 ** 20, 1)} MB of CSV (the upload limit is ${f(largest.limit / 2 ** 20, 1)} MB) through \`POST /api/imports\` by a platform admin, answered ${largest.status} in ${f(largest.seconds, 1)} s with ${f(largest.inserted)} observations inserted; RSS ${f(largest.rssBefore)} MB before, at most ${f(largest.rssPeak)} MB during it (node flags: \`${startFlags().join(' ') || 'none'}\`).`,
      '',
      '| time (s) | RSS (MB) | requests so far |',
      '|---:|---:|---:|',
      ...samples.map((s) => `| ${s.t} | ${f(s.rss)} | ${f(s.requests)} |`),
      '',
      `After the ${WARMUP} s warm-up: first sample ${f(ref)} MB, range ${f(min)}–${f(max)} MB (${f(((max - ref) / ref) * 100, 1)} % above the first). Goal: within 20 % — ${flat ? 'met' : 'not met'}.`,
      '',
    ].join('\n');
    process.stdout.write(out + '\n');
    process.exitCode = flat && largest.ok ? 0 : 1;
  } finally {
    if (server && server.exitCode === null) {
      server.removeAllListeners('exit');
      await new Promise<void>((res) => {
        server!.once('exit', () => res());
        server!.kill('SIGTERM');
      });
    }
    const a = new pg.Client({ connectionString: ADMIN_URL });
    await a.connect();
    await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await a.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
