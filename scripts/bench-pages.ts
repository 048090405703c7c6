/**
 * Page delivery benchmark (not a test): `npm run bench:pages [-- options]`.
 * Why this file is long: one run's steps (data, load, measurements, report) in the order they run,
 * sharing its options and timings; split, a reader would follow one run across files.
 *
 * The whole app (buildApp: compression, ETags, the anonymous page cache) over the demo data plus
 * N benchmark indicators with Y years for every demo area, so the area page of Växjö lists N
 * indicators (400 by default, as a Nordic municipality with a full Kolada set would).
 * Measures, in one run:
 *  - the area page at K connections from a second process: uncached (page cache off), cached,
 *    and the same bytes as a static file through @fastify/static (with precompressed copies) in
 *    the same process; clients ask for `br, gzip` as browsers do;
 *  - compressed (br, gzip) and uncompressed weight of the five main pages;
 *  - a conditional request's server time (If-None-Match → 304), median and p95 of 300;
 *  - the app's RSS after the load.
 * Engine: PGlite on disk in this process by default; with DATABASE_URL a scratch database on that
 * PostgreSQL server and the app in a separate process running the build in dist/, as production does.
 * Options: --indicators N (400), --years Y (20), --duration S (10), --connections K (50);
 * --progress-only times only the three progress pages against their SQL.
 * Prints a markdown table.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import pg from 'pg';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { loadDemoData } from '../src/demo/index.js';
import { openAndMigrate, type Database } from '../src/platform/db/index.js';
import { systemActor } from '../src/platform/audit.js';
import { importObservations, indicatorQueries as q, sdgTargets } from '../src/modules/indicators/index.js';
import { progressQueries as pq, recomputeAll } from '../src/modules/progress/index.js';
import { directory } from '../src/modules/directory/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = argv.indexOf(`--${name}`);
  const env = process.env[`BENCH_${name.toUpperCase()}`];
  return i >= 0 ? Number(argv[i + 1]) : env ? Number(env) : dflt;
};
const N_IND = opt('indicators', 400);
const YEARS = opt('years', 20);
const DURATION = opt('duration', 10);
const CONNECTIONS = opt('connections', 50);
const SECRET = 'bench-secret-bench-secret-bench-secret-0000';
const log = (s: string) => process.stderr.write(`${s}\n`);
const config = loadConfig({ ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'silent', SESSION_SECRET: SECRET, DEMO_DATA: 'false' });

// Load generator mode: a separate process, so the server keeps its event loop to itself.
if (argv[0] === '--load') {
  const [, url, conc, secs] = argv;
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number(conc) });
  const end = Date.now() + Number(secs) * 1000;
  const lat: number[] = [];
  let errors = 0;
  let bytes = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      http
        .get(url!, { agent, headers: { 'accept-encoding': 'br, gzip', 'accept-language': 'en' } }, (res) => {
          res.on('data', (c: Buffer) => (bytes += c.length));
          res.on('end', () => {
            if (res.statusCode !== 200) errors++;
            lat.push(performance.now() - t0);
            resolve();
          });
        })
        .on('error', () => {
          errors++;
          resolve();
        });
    });
  const worker = async () => {
    while (Date.now() < end) await one();
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: Number(conc) }, worker));
  const secsTaken = (Date.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ requests: lat.length, errors, rps: lat.length / secsTaken, p50: lat[Math.floor(lat.length / 2)] ?? 0, p99: lat[Math.floor(lat.length * 0.99)] ?? 0, bytesPerReq: bytes / Math.max(lat.length, 1) }));
  agent.destroy();
  process.exit(0);
}

/** The app as production builds it, plus the static copy of the area page and the memory probe. */
async function buildBenchApp(db: Database, cacheBytes: number, staticDir: string): Promise<{ app: FastifyInstance; base: string }> {
  const app = await buildApp({ config, db, secret: SECRET, logger: false, pageCacheBytes: cacheBytes });
  const started = new WeakMap<object, number>();
  app.addHook('onRequest', async (req) => {
    started.set(req, performance.now());
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-server-ms', (performance.now() - (started.get(req) ?? performance.now())).toFixed(3));
  });
  // The area page's bytes as a file (written by the benchmark, with Brotli and gzip copies), served by @fastify/static.
  await app.register(fastifyStatic, { root: staticDir, prefix: '/bench/static/', decorateReply: false, preCompressed: true });
  // The area page's SQL alone, as JSON: the ceiling an uncached page is measured against.
  app.get('/bare/areas/:key', async (req) => {
    const a = await q.getArea(db.orm, (req.params as { key: string }).key);
    const [rows, goals] = await Promise.all([q.areaIndicators(db.orm, a.id), q.sdgGoals(db.orm, 'en')]);
    return { area: a, goals, rows };
  });
  app.get('/bench/rss', async () => ({ rss: process.memoryUsage().rss / 2 ** 20 }));
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base };
}

if (argv[0] === '--serve') {
  const db = await openAndMigrate({ kind: 'postgres', url: argv[1]!, max: 10 });
  const { app, base } = await buildBenchApp(db, Number(argv[2]), argv[3]!);
  process.stdout.write(`LISTENING ${base}\n`);
  process.on('SIGTERM', () => {
    void app.close().then(() => db.close()).then(() => process.exit(0));
  });
  await new Promise(() => {});
}

type Server = { base: string; rss: () => Promise<number>; stop: () => Promise<void> };

function startServerProcess(url: string, cacheBytes: number, staticDir: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, '../dist/scripts/bench-pages.js'), '--serve', url, String(cacheBytes), staticDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const m = buf.match(/^LISTENING (\S+)$/m);
      if (m) {
        const base = m[1]!;
        resolve({
          base,
          rss: async () => (JSON.parse((await fetchRaw(`${base}/bench/rss`)).body.toString()) as { rss: number }).rss,
          stop: () =>
            new Promise((res) => {
              child.once('exit', () => res());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.on('exit', (code) => reject(new Error(`server process exited ${code}`)));
  });
}

function fetchRaw(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer; ms: number }>((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - t0 }));
    });
    req.on('error', reject);
    req.end();
  });
}

type Load = { requests: number; errors: number; rps: number; p50: number; p99: number; bytesPerReq: number };
/** Several runs as one: requests and errors summed, rates averaged, latencies as the median run's. */
function combine(runs: Load[]): Load {
  const mid = [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)]!;
  return {
    requests: runs.reduce((a, r) => a + r.requests, 0),
    errors: runs.reduce((a, r) => a + r.errors, 0),
    rps: runs.reduce((a, r) => a + r.rps, 0) / runs.length,
    p50: mid.p50,
    p99: mid.p99,
    bytesPerReq: mid.bytesPerReq,
  };
}

function load(url: string): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'bench-pages.ts'), '--load', url, String(CONNECTIONS), String(DURATION)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator exited ${code}`))));
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? 0;
};

async function openBenchDb(): Promise<{ db: Database; kind: string; url?: string; drop: () => Promise<void> }> {
  if (!config.databaseUrl) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'samverka-bench-'));
    const db = await openAndMigrate({ kind: 'pglite', dataDir: dir });
    return { db, kind: 'PGlite (data on disk, app in the same process)', drop: async () => (await db.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const name = `samverka_benchpages_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: config.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const ver = ((await admin.query('SHOW server_version')).rows[0] as { server_version: string }).server_version;
  await admin.end();
  const url = new URL(config.databaseUrl);
  url.pathname = `/${name}`;
  const db = await openAndMigrate({ kind: 'postgres', url: url.toString(), max: 10 });
  return {
    db,
    kind: `PostgreSQL ${ver} (app in its own process, built)`,
    url: url.toString(),
    drop: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: config.databaseUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/**
 * The three progress pages (issue #13): server time with the page cache off against the same reads
 * run raw (the page's own SQL, without rendering). Molde is a member of Bærekraftsnettverket.
 */
async function timeProgressPages(db: Database, base: string): Promise<Record<string, { server: number; sql: number }>> {
  const net = 'baerekraftsnettverket';
  const pages: Record<string, [string, () => Promise<unknown>]> = {
    'area progress': [
      '/areas/no-1506/progress',
      async () => {
        const a = await directory.getAreaByKey(db.orm, 'no-1506');
        const [, nets] = await Promise.all([pq.areaProgress(db.orm, a.id), pq.networksOfArea(db.orm, a.id)]);
        await q.areaIndicators(db.orm, a.id);
        if (nets[0]) await directory.getOrganisation(db.orm, nets[0]);
      },
    ],
    goal: [
      `/goals/13?network=${net}`,
      async () => {
        const networks = (await directory.listOrganisations(db.orm, { kind: 'network', pageSize: 200 })).items;
        const members = (await pq.networkMembers(db.orm, networks.find((o) => o.slug === net)!.id)).members;
        const rows = await pq.goalStatuses(db.orm, '13', members.map((m) => m.areaId));
        for (const c of new Set(rows.map((s) => s.indicator_code))) await q.getIndicator(db.orm, c);
      },
    ],
    'network status': [
      `/organisations/${net}/status`,
      async () => {
        const { organisation: org, members } = await pq.networkMembers(db.orm, net);
        await Promise.all([pq.areasSummary(db.orm, members.map((m) => m.areaId)), pq.listTargets(db.orm, { organisationId: org.id }), q.indicatorOptions(db.orm)]);
      },
    ],
  };
  const out: Record<string, { server: number; sql: number }> = {};
  for (const [name, [url, raw]] of Object.entries(pages)) {
    for (let i = 0; i < 3; i++) await fetchRaw(base + url, { 'accept-language': 'en' });
    const server: number[] = [];
    const sql: number[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await fetchRaw(base + url, { 'accept-language': 'en' });
      if (r.status !== 200) throw new Error(`${url} answered ${r.status}`);
      server.push(Number(r.headers['x-server-ms']));
      const t0 = performance.now();
      await raw();
      sql.push(performance.now() - t0);
    }
    out[name] = { server: pct(server, 0.5), sql: pct(sql, 0.5) };
  }
  return out;
}

async function main() {
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}`;
  const { db, kind, url: dbUrl, drop } = await openBenchDb();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'samverka-bench-data-'));
  const staticDir = mkdtempSync(path.join(os.tmpdir(), 'samverka-bench-static-'));
  try {
    log(`engine: ${kind}`);
    await loadDemoData(db, { dataDir });
    const areas = (await db.query<{ key: string }>(`SELECT key FROM areas WHERE level = 'municipality' ORDER BY key`)).map((a) => a.key);
    const targets = sdgTargets();
    const years = Array.from({ length: YEARS }, (_, i) => String(2024 - YEARS + 1 + i));
    let seed = 1;
    let rows = 0;
    for (let i = 0; i < N_IND; i += 50) {
      const metas = Array.from({ length: Math.min(50, N_IND - i) }, (_, k) => ({
        code: `bench-${String(i + k + 1).padStart(4, '0')}`,
        name: `Benchmark indicator ${i + k + 1} with a name as long as Kolada's usually are`,
        unit: '%',
        decimals: 1,
        sdgTargets: [targets[(i + k) % targets.length]!.code],
      }));
      const obs = metas.flatMap((m) =>
        areas.flatMap((a) => years.map((y) => ({ line: 0, indicator: m.code, area: a, period: y, breakdown: '', value: ((seed = (seed * 16807) % 2147483647) % 100000) / 1000, status: '' as const, note: '' }))),
      );
      obs.forEach((o, n) => (o.line = n + 1));
      const r = await importObservations(db, systemActor('bench'), { rows: obs, errors: [], indicators: metas }, { format: 'long' });
      if (!r.ok) throw new Error(JSON.stringify(r.errors.slice(0, 3)));
      rows += r.inserted;
    }
    log(`imported ${rows} observations: ${areas.length} municipalities × ${N_IND} indicators × ${YEARS} years`);
    // Statuses for every indicator, as the recurring job leaves them after an import (the progress pages read them).
    await recomputeAll(db);

    let cachedSrv: Server;
    let uncachedSrv: Server;
    if (dbUrl) {
      execFileSync(process.execPath, [path.join(here, 'build.mjs')], { stdio: 'inherit' });
      cachedSrv = await startServerProcess(dbUrl, 48 * 2 ** 20, staticDir);
      uncachedSrv = await startServerProcess(dbUrl, 0, staticDir);
    } else {
      const wrap = async (bytes: number): Promise<Server> => {
        const { app, base } = await buildBenchApp(db, bytes, staticDir);
        return { base, rss: async () => process.memoryUsage().rss / 2 ** 20, stop: () => app.close() };
      };
      cachedSrv = await wrap(48 * 2 ** 20);
      uncachedSrv = await wrap(0);
    }
    const base = cachedSrv.base;
    if (argv.includes('--progress-only')) {
      // Only the three progress pages against their SQL (a quick check while working on them).
      const progress = await timeProgressPages(db, uncachedSrv.base);
      await cachedSrv.stop();
      await uncachedSrv.stop();
      const ms = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 2 });
      process.stdout.write(`${kind}, ${N_IND} indicators × ${YEARS} years, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
      for (const [name, x] of Object.entries(progress)) process.stdout.write(`| ${name} | ${ms(x.server)} ms vs ${ms(x.sql)} ms of its SQL (limit ${ms(1.5 * x.sql + 5)}) | ${x.server <= 1.5 * x.sql + 5 ? 'met' : 'not met'} |\n`);
      return;
    }
    const pages: Record<string, string> = {
      home: '/',
      area: '/areas/se-0780',
      indicator: '/indicators/bench-0001?area=se-0780',
      compare: '/compare?indicator=bench-0001&area=se-0780',
      organisation: '/organisations/kommunnatverket-for-hallbar-utveckling',
      meetings: '/meetings',
    };
    const en = { 'accept-language': 'en' };
    // Weights: identity, gzip, br (the cached copy where the page cache has made it).
    const weights: Record<string, { raw: number; gzip: number; br: number; ms: number }> = {};
    for (const [name, url] of Object.entries(pages)) {
      const raw = await fetchRaw(base + url, en);
      if (raw.status !== 200) throw new Error(`${url} answered ${raw.status}`);
      await fetchRaw(base + url, en); // a repeat: the cache compresses its own copies then
      await new Promise((r) => setTimeout(r, 500));
      const gz = await fetchRaw(base + url, { ...en, 'accept-encoding': 'gzip' });
      const br = await fetchRaw(base + url, { ...en, 'accept-encoding': 'br' });
      weights[name] = { raw: raw.body.length, gzip: gz.body.length, br: br.body.length, ms: Number(raw.headers['x-server-ms']) };
    }
    const areaHtml = (await fetchRaw(base + pages.area!, en)).body;
    writeFileSync(path.join(staticDir, 'area.html'), areaHtml);
    writeFileSync(path.join(staticDir, 'area.html.br'), zlib.brotliCompressSync(areaHtml, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9 } }));
    writeFileSync(path.join(staticDir, 'area.html.gz'), zlib.gzipSync(areaHtml, { level: 9 }));

    // Conditional requests: the reader's own ETag back.
    const first = await fetchRaw(base + pages.area!, en);
    const tag = String(first.headers.etag);
    const condServer: number[] = [];
    const condClient: number[] = [];
    for (let i = 0; i < 300; i++) {
      const r = await fetchRaw(base + pages.area!, { ...en, 'if-none-match': tag });
      if (r.status !== 304) throw new Error(`conditional request answered ${r.status}`);
      condServer.push(Number(r.headers['x-server-ms']));
      condClient.push(r.ms);
    }
    // Server time of a full (uncached) and a cached area page, sequentially.
    const seq = async (b: string) => {
      const xs: number[] = [];
      for (let i = 0; i < 30; i++) xs.push(Number((await fetchRaw(b + pages.area!, { ...en, 'accept-encoding': 'br, gzip' })).headers['x-server-ms']));
      return pct(xs, 0.5);
    };
    const seqUncached = await seq(uncachedSrv.base);
    const seqCached = await seq(base);
    const progress = await timeProgressPages(db, uncachedSrv.base);

    const uncached = await load(uncachedSrv.base + pages.area);
    const bare = await load(`${uncachedSrv.base}/bare/areas/se-0780`);
    // The machine is shared and its load moves by the minute: the cached page and the static file
    // are measured in alternation, three rounds each, and summed, so both see the same weather.
    const rounds = { cached: [] as Load[], stat: [] as Load[] };
    for (let i = 0; i < 3; i++) {
      rounds.cached.push(await load(base + pages.area));
      rounds.stat.push(await load(`${base}/bench/static/area.html`));
    }
    const cached = combine(rounds.cached);
    const stat = combine(rounds.stat);
    const rss = await cachedSrv.rss();
    await cachedSrv.stop();
    await uncachedSrv.stop();

    const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toLocaleString('en-GB', { maximumFractionDigits: d }) : 'n/a');
    const kb = (n: number) => `${f(n / 1024, 1)} kB`;
    const pass = (ok: boolean) => (ok ? 'met' : 'not met');
    const line = (label: string, r: typeof cached) => `| ${label} | ${f(r.rps, 0)} req/s, p50 ${f(r.p50)} ms, p99 ${f(r.p99)} ms, ${kb(r.bytesPerReq)} per answer, ${r.errors} errors`;
    const out = [
      `### Page delivery, ${kind} — ${new Date().toISOString().slice(0, 10)}`,
      '',
      `Machine: ${machine}. Data: the demo plus ${N_IND} indicators × ${YEARS} years for each of ${areas.length} municipalities (${f(rows, 0)} observations; the area page's size and SQL depend on the indicators of one area, not on the total). Load: ${CONNECTIONS} connections for ${DURATION} s from a second process, asking for \`br, gzip\`; the cached page and the static file in three alternating rounds each (rates averaged, latencies of the median round).`,
      '',
      '| measure | result | goal | |',
      '|---|---|---|---|',
      `${line('Area page, page cache off (SQL, render, Brotli q4 per request)', uncached)} | ≥ 0.7 × bare SQL route | ${f(uncached.rps / bare.rps, 2)} × — ${pass(uncached.rps >= 0.7 * bare.rps && uncached.errors === 0)} |`,
      `${line('Bare Fastify route running the area page’s SQL, JSON', bare)} | | |`,
      `${line('Area page, anonymous page cache', cached)} | ≥ 0.5 × static file | ${f(cached.rps / stat.rps, 2)} × — ${pass(cached.rps >= 0.5 * stat.rps && cached.errors === 0)} |`,
      `${line('Same bytes as a static file (@fastify/static, precompressed)', stat)} | | |`,
      `| Area page server time, one at a time (median of 30) | uncached ${f(seqUncached, 2)} ms, cached ${f(seqCached, 2)} ms | | |`,
      ...Object.entries(progress).map(([name, x]) => `| Server time, ${name} page, page cache off (median of 30) | ${f(x.server, 2)} ms vs ${f(x.sql, 2)} ms of its SQL | ≤ 1.5 × SQL + 5 ms = ${f(1.5 * x.sql + 5, 2)} ms | ${pass(x.server <= 1.5 * x.sql + 5)} |`),
      `| Conditional request (If-None-Match → 304), server time | median ${f(pct(condServer, 0.5), 2)} ms, p95 ${f(pct(condServer, 0.95), 2)} ms (client ${f(pct(condClient, 0.5), 2)} ms) | ≤ 2 ms median | ${pass(pct(condServer, 0.5) <= 2)} |`,
      ...Object.entries(weights).map(([name, w]) => `| Weight of the ${name} page (${pages[name]}) | ${kb(w.raw)} plain, ${kb(w.gzip)} gzip, ${kb(w.br)} Brotli | ${name === 'area' ? '≤ 150 kB compressed' : ''} | ${name === 'area' ? pass(w.br <= 150 * 1024) : ''} |`),
      dbUrl
        ? `| App RSS after the load (server process alone, PostgreSQL) | ${f(rss, 0)} MB | ≤ 300 MB | ${pass(rss <= 300)} |`
        : `| Process RSS after the load (PGlite, database, two app instances and the seeding in one process) | ${f(rss, 0)} MB | ≤ 700 MB | ${pass(rss <= 700)} |`,
      '',
    ].join('\n');
    process.stdout.write(out + '\n');
  } finally {
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(staticDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
