/**
 * Indicator benchmark (not a test): `npm run bench:indicators [-- options]`.
 * Why this file is long: one run's steps (data, load, measurements, report) in the order they run,
 * sharing its options and timings; split, a reader would follow one run across files.
 *
 *  1. Generates a Nordic-scale dataset: every country, region and municipality of
 *     SE, NO and DK (from ../shared/data when present, else synthetic codes)
 *     × N indicators × Y years, about 6.3M observations at full scale.
 *  2. Imports it through the product's own importer (long CSV: parsing,
 *     validation, staging, merge, batch bookkeeping, summary refresh) and times
 *     a plain COPY of the same rows into a table of the same shape.
 *  3. Serves the indicator, area and compare pages on 127.0.0.1 and measures
 *     server time against the pages' own SQL, and the area page's throughput at
 *     50 connections against a bare Fastify route running the same SQL.
 *
 * Engine: PGlite with its data on disk by default (--memory: in memory); PostgreSQL when
 * DATABASE_URL is set (a scratch database is created on that server and dropped afterwards).
 * The production build measures what production runs: `npm run build && node
 * dist/scripts/bench-indicators.js --import-only` (the import's parsing process then starts from
 * JavaScript, not through tsx).
 * Options: --scale 0.1 (fraction of the 400 indicators), --indicators N, --years Y,
 * --chunk C (indicators per imported file), --duration S (load seconds), --connections K,
 * --import-only (stop after the import and its COPY baseline), --chunk-rows R (rows per chunk the
 * parse sends while the load runs; larger than a file, e.g. 1e9, for the whole-file import as it was
 * before chunks, to compare both in one sitting).
 * Prints a markdown table.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { loadConfig } from '../src/config.js';
import { openAndMigrate, type Database } from '../src/platform/db/index.js';
import { systemActor } from '../src/platform/audit.js';
import { webContext } from '../src/web/context.js';
import { registerErrorHandling } from '../src/web/errors.js';
import { authenticator } from '../src/modules/accounts/index.js';
import {
  importAreas,
  indicatorQueries as q,
  indicatorsModule,
  loadSdgFramework,
  sdgTargets,
  upsertAreaGroup,
  upsertIndicators,
} from '../src/modules/indicators/index.js';
import { CHUNK_ROWS as CHUNK_ROWS_DEFAULT, importFiles, parseAreaList } from '../src/modules/imports/index.js';
import { compareModule } from '../src/modules/compare/index.js';
import type { AreaInput } from '../src/modules/indicator-model/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = argv.indexOf(`--${name}`);
  const env = process.env[`BENCH_${name.toUpperCase()}`];
  return i >= 0 ? Number(argv[i + 1]) : env ? Number(env) : dflt;
};

// Load generator mode: a separate process so the server keeps its own cores' worth of event loop.
if (argv[0] === '--load') {
  const [, url, conc, secs] = argv;
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number(conc) });
  const end = Date.now() + Number(secs) * 1000;
  const lat: number[] = [];
  let errors = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      http
        .get(url!, { agent }, (res) => {
          res.resume();
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
  process.stdout.write(JSON.stringify({ requests: lat.length, errors, rps: lat.length / secsTaken, p50: lat[Math.floor(lat.length / 2)] ?? 0, p99: lat[Math.floor(lat.length * 0.99)] ?? 0 }));
  agent.destroy();
  process.exit(0);
}

const SCALE = opt('scale', 1);
const N_IND = opt('indicators', Math.max(1, Math.round(400 * SCALE)));
const YEARS = opt('years', 20);
const CHUNK = opt('chunk', 20);
const CHUNK_ROWS = opt('chunk-rows', CHUNK_ROWS_DEFAULT);
const DURATION = opt('duration', 10);
const CONNECTIONS = opt('connections', 50);
const config = loadConfig();
const log = (s: string) => process.stderr.write(`${s}\n`);

if (argv[0] === '--serve') {
  const db = await openAndMigrate({ kind: 'postgres', url: argv[1]!, max: 10 });
  const { app, base } = await buildBenchApp(db);
  process.stdout.write(`LISTENING ${base}\n`);
  process.on('SIGTERM', () => {
    void app.close().then(() => db.close()).then(() => process.exit(0));
  });
  await new Promise(() => {});
}

async function openBenchDb(): Promise<{ db: Database; kind: string; drop: () => Promise<void>; url?: string }> {
  if (!config.databaseUrl) {
    // On disk by default: millions of rows in PGlite's in-memory file system would crowd its WebAssembly heap.
    const inMemory = argv.includes('--memory');
    const dir = inMemory ? undefined : mkdtempSync(path.join(os.tmpdir(), 'samverka-bench-'));
    const db = await openAndMigrate({ kind: 'pglite', ...(dir ? { dataDir: dir } : {}) });
    return {
      db,
      kind: `PGlite ${inMemory ? '(in memory)' : '(data on disk)'}`,
      drop: async () => {
        await db.close();
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `samverka_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: config.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const ver = ((await admin.query('SHOW server_version')).rows[0] as { server_version: string }).server_version;
  await admin.end();
  const url = new URL(config.databaseUrl);
  url.pathname = `/${name}`;
  const db = await openAndMigrate({ kind: 'postgres', url: url.toString(), max: 20 });
  return {
    db,
    kind: `PostgreSQL ${ver}`,
    url: url.toString(),
    drop: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: config.databaseUrl });
      await a.connect();
      if (argv.includes('--keep')) {
        log(`kept the scratch database: ${url.toString()}`);
      } else await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

function nordicAreas(): AreaInput[] {
  const data = path.join(config.sharedDir, 'data');
  if (existsSync(path.join(data, 'municipalities'))) {
    const read = (p: string) => readFileSync(path.join(data, p), 'utf8');
    const fylker = existsSync(path.join(data, 'geo/norway_fylker_2024_small.geojson'))
      ? (JSON.parse(read('geo/norway_fylker_2024_small.geojson')) as { features: { properties: Record<string, string> }[] }).features.map((f) => ({ code: f.properties.fylkesnummer!, name: f.properties.name! }))
      : [];
    return [
      ...parseAreaList(read('municipalities/sweden_kommuner_and_regions_from_kolada.csv'), 'SE'),
      ...parseAreaList(read('municipalities/norway_kommuner_2024_from_robhop.csv'), 'NO', fylker),
      ...parseAreaList(read('municipalities/denmark_kommuner_from_magnuslarsen.csv'), 'DK'),
    ];
  }
  // Synthetic but same-sized: 290+21 SE, 357+15 NO, 98+5 DK.
  const out: AreaInput[] = [];
  const add = (country: 'SE' | 'NO' | 'DK', regions: number, munis: number, regionCode: (i: number) => string, muniCode: (r: string, i: number) => string) => {
    const c = country.toLowerCase();
    out.push({ key: c, country, level: 'country', code: '', name: country });
    for (let r = 0; r < regions; r++) {
      const rc = regionCode(r);
      out.push({ key: `${c}-${rc}`, country, level: 'region', code: rc, name: `${country} region ${rc}`, parentKey: c });
      for (let m = 0; m < Math.ceil(munis / regions) && out.filter((a) => a.country === country && a.level === 'municipality').length < munis; m++) {
        const mc = muniCode(rc, m);
        out.push({ key: `${c}-${mc}`, country, level: 'municipality', code: mc, name: `${country} ${mc}`, parentKey: `${c}-${rc}` });
      }
    }
  };
  add('SE', 21, 290, (i) => String(i + 1).padStart(2, '0'), (r, i) => `${r}${String(i + 1).padStart(2, '0')}`);
  add('NO', 15, 357, (i) => String(i + 11), (r, i) => `${r}${String(i + 1).padStart(2, '0')}`);
  add('DK', 5, 98, (i) => String(1081 + i), (r, i) => String(100 + Number(r.slice(2)) * 20 + i));
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

function load(url: string, conc: number, secs: number): Promise<{ requests: number; errors: number; rps: number; p50: number; p99: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'bench-indicators.ts'), '--load', url, String(conc), String(secs)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator exited ${code}`))));
  });
}

async function get(url: string): Promise<{ ms: number; status: number; serverMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    http
      .get(url, (res) => {
        res.resume();
        res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0, serverMs: Number(res.headers['x-server-ms'] ?? NaN) }));
      })
      .on('error', reject);
  });
}

/** The app as the benchmark serves it: this module's pages plus a bare route running the area page's SQL. */
async function buildBenchApp(db: Database) {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(cookie);
  await app.register(formbody);
  await app.register(webContext, { config, secret: 'bench-secret-bench-secret-bench-secret-0000', auth: authenticator(db, config) });
  registerErrorHandling(app);
  const started = new WeakMap<object, number>();
  app.addHook('onRequest', async (req) => {
    started.set(req, performance.now());
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-server-ms', (performance.now() - (started.get(req) ?? performance.now())).toFixed(3));
  });
  await app.register(indicatorsModule, { config, db, secret: 'x' });
  await app.register(compareModule, { config, db, secret: 'x' });
  app.get('/bare/areas/:key', async (req) => {
    const a = await q.getArea(db.orm, (req.params as { key: string }).key);
    const [rows, goals] = await Promise.all([q.areaIndicators(db.orm, a.id), q.sdgGoals(db.orm, 'en')]);
    return { area: a, goals, rows };
  });
  app.get('/bench/rss', async () => {
    const m = process.memoryUsage();
    const mb = (n: number) => Math.round(n / 2 ** 20);
    return { rss: m.rss / 2 ** 20, heapTotal: mb(m.heapTotal), heapUsed: mb(m.heapUsed), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) };
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base };
}

function startServerProcess(url: string): Promise<{ base: string; rss: () => Promise<number>; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    // The server runs as production runs it: the build in dist/, not the sources through tsx.
    execFileSync(process.execPath, [path.join(here, 'build.mjs')], { stdio: 'inherit' });
    const child = spawn(process.execPath, [path.join(here, '../dist/scripts/bench-indicators.js'), '--serve', url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const m = buf.match(/^LISTENING (\S+)$/m);
      if (m) {
        const base = m[1]!;
        resolve({
          base,
          rss: () =>
            new Promise((res, rej) =>
              http.get(`${base}/bench/rss`, (r) => {
                let body = '';
                r.on('data', (c) => (body += c));
                r.on('end', () => {
                  log(`server memory (MB): ${body}`);
                  res((JSON.parse(body) as { rss: number }).rss);
                });
              }).on('error', rej),
            ),
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

async function main() {
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}`;
  const { db, kind, drop, url: dbUrl } = await openBenchDb();
  const actor = systemActor('bench');
  try {
    log(`engine: ${kind}; ${N_IND} indicators × ${YEARS} years`);
    await loadSdgFramework(db, actor);
    const areas = nordicAreas();
    await importAreas(db, actor, areas);
    const areaKeys = areas.map((a) => a.key);
    const targets = sdgTargets();
    const metas = Array.from({ length: N_IND }, (_, i) => ({
      code: `bench-${String(i + 1).padStart(4, '0')}`,
      name: `Benchmark indicator ${i + 1}`,
      unit: '%',
      sdgTargets: [targets[i % targets.length]!.code],
    }));
    await db.orm.transaction((tx) => upsertIndicators(tx, metas));
    await upsertAreaGroup(db, actor, { key: 'bench-peers', name: 'Benchmark peers', lang: 'en', kind: 'similar', memberKeys: areaKeys.filter((k) => k.startsWith('se-')).slice(0, 30) });

    const years = Array.from({ length: YEARS }, (_, i) => String(2024 - YEARS + 1 + i));
    const csvFor = (codes: string[]) => {
      const lines = ['indicator,area,period,value'];
      let seed = 1;
      for (const c of codes) for (const a of areaKeys) for (const y of years) lines.push(`${c},${a},${y},${((seed = (seed * 16807) % 2147483647) % 100000) / 1000}`);
      return lines.join('\n') + '\n';
    };

    // 2a. The product's importer, as the CLI runs a multi-file import: every file all-or-nothing,
    // the next file parsed in a worker thread while the current one loads.
    const files: Buffer[] = [];
    for (let i = 0; i < metas.length; i += CHUNK) files.push(Buffer.from(csvFor(metas.slice(i, i + CHUNK).map((m) => m.code))));
    let rows = 0;
    // Each measured load starts from a checkpoint, so neither inherits the other's dirty pages:
    // with the server's default max_wal_size a checkpoint falls every dozen seconds during a load.
    await db.exec('CHECKPOINT');
    const t0 = performance.now();
    await importFiles(
      db,
      actor,
      files.map((buf, i) => () => ({ format: 'long' as const, filename: `bench-${i}.csv`, buf, options: { format: 'long' as const, filename: `bench-${i}.csv` } })),
      (_i, filename, r) => {
        if (r instanceof Error || !r.ok) throw new Error(`import of ${filename} failed: ${r instanceof Error ? r.message : JSON.stringify(r.errors.slice(0, 3))}`);
        rows += r.inserted;
        log(`imported ${rows} rows (${Math.round(rows / ((performance.now() - t0) / 1000))} rows/s)`);
      },
      CHUNK_ROWS,
    );
    const importMs = performance.now() - t0;
    files.length = 0;

    // 2b. Plain COPY of the same rows into a table like ind_observations: with its CHECK
    // constraints (the period pattern and the status list, which every imported row pays too), and
    // for comparison without them, as this baseline was measured until 2026-11-29. Each file's
    // rows go into both, one after the other, so machine load falls on both alike.
    const ids = new Map((await db.query<{ id: string; code: string }>('SELECT id, code FROM ind_indicators')).map((r) => [r.code, r.id]));
    const aids = new Map((await db.query<{ id: string; key: string }>('SELECT id, key FROM areas')).map((r) => [r.key, r.id]));
    const baselines = [
      { table: 'bench_copy', like: 'INCLUDING ALL', ms: 0 },
      { table: 'bench_copy_nocheck', like: 'INCLUDING DEFAULTS INCLUDING INDEXES', ms: 0 },
    ];
    for (const b of baselines) await db.exec(`CREATE TABLE ${b.table} (LIKE ind_observations ${b.like})`);
    await db.exec('CHECKPOINT');
    let copyNote = '';
    for (let i = 0; i < metas.length && !copyNote; i += CHUNK) {
      const codes = metas.slice(i, i + CHUNK).map((m) => m.code);
      const lines: string[] = [];
      let seed = 1;
      for (const c of codes) for (const a of areaKeys) for (const y of years) lines.push(`${ids.get(c)},${aids.get(a)},${y},"",${((seed = (seed * 16807) % 2147483647) % 100000) / 1000},"","",1`);
      const csv = lines.join('\n') + '\n';
      for (const b of baselines) {
        if (db.kind === 'pglite') {
          const t0 = performance.now();
          await db.pglite!.query(`COPY ${b.table} FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([csv]) });
          b.ms += performance.now() - t0;
        } else {
          // Server-side COPY from a file (node-postgres has no COPY FROM STDIN without pg-copy-streams).
          const file = path.join(os.tmpdir(), `samverka-bench-${process.pid}.csv`);
          writeFileSync(file, csv, { mode: 0o644 });
          try {
            const t0 = performance.now();
            await db.query(`COPY ${b.table} FROM '${file}' WITH (FORMAT csv)`);
            b.ms += performance.now() - t0;
          } catch (err) {
            copyNote = `plain COPY unavailable: ${(err as Error).message}`;
          } finally {
            unlinkSync(file);
          }
        }
      }
    }
    for (const b of baselines) await db.exec(`DROP TABLE ${b.table}`);
    const copyMs = baselines[0]!.ms;
    const noCheckMs = baselines[1]!.ms;
    const importRate = rows / (importMs / 1000);
    const copyRate = copyNote ? NaN : rows / (copyMs / 1000);
    const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toLocaleString('en-GB', { maximumFractionDigits: d }) : 'n/a');
    const pass = (ok: boolean) => (ok ? 'met' : 'not met');
    const importLines = [
      `| Import through the product (parse, validate, stage, merge, batch, summaries) | ${f(importRate, 0)} rows/s (${f(importMs / 1000)} s) | ≥ 80 % of plain COPY (issue #12) | ${copyNote ? 'n/a' : `${f((importRate / copyRate) * 100, 0)} % — ${pass(importRate >= 0.8 * copyRate)}`} |`,
      `| Plain COPY of the same rows into a table like ind_observations (its indexes and CHECK constraints) | ${copyNote ? copyNote : `${f(copyRate, 0)} rows/s (${f(copyMs / 1000)} s)`} | | |`,
      `| The same COPY without the CHECK constraints (the baseline until 2026-11-29; import against it: ${copyNote ? 'n/a' : `${f((importRate / (rows / (noCheckMs / 1000))) * 100, 0)} %`}) | ${copyNote ? copyNote : `${f(rows / (noCheckMs / 1000), 0)} rows/s (${f(noCheckMs / 1000)} s)`} | | |`,
    ];
    const heading = [
      `### ${kind} — ${new Date().toISOString().slice(0, 10)}`,
      '',
      `Machine: ${machine}. Dataset: ${areaKeys.length} areas × ${N_IND} indicators × ${YEARS} years = ${f(rows, 0)} observations (scale ${SCALE}). Load: ${CONNECTIONS} connections for ${DURATION} s from a second process.`,
      '',
      '| measure | result | goal | |',
      '|---|---|---|---|',
    ];
    if (argv.includes('--import-only')) {
      process.stdout.write([...heading, ...importLines, ''].join('\n') + '\n');
      return;
    }

    // 3. Pages. With PostgreSQL the app runs in its own process, so its memory is the app's alone.
    const local = db.kind === 'postgres' ? null : await buildBenchApp(db);
    const server = local ? { base: local.base, rss: async () => NaN, stop: () => local.app.close() } : await startServerProcess(dbUrl!);
    const base = server.base;
    const area = 'se-0780';
    const pages = {
      indicator: `/indicators/${metas[0]!.code}`,
      area: `/areas/${area}`,
      compare: `/compare?indicator=${metas[0]!.code}&area=${area}`,
    };
    const rawSql: Record<keyof typeof pages, () => Promise<unknown>> = {
      indicator: async () => {
        const ind = await q.getIndicator(db.orm, metas[0]!.code);
        await q.indicatorLinks(db.orm, ind.id, 'en');
        const withData = await q.indicatorAreas(db.orm, ind.id);
        const chosen = await q.areasByKeys(db.orm, withData.slice(0, 5).map((a) => a.key));
        await q.indicatorSeries(db.orm, ind.id, chosen.map((a) => a.id));
      },
      area: async () => {
        const a = await q.getArea(db.orm, area);
        await q.areaIndicators(db.orm, a.id);
        await q.sdgGoals(db.orm, 'en');
      },
      compare: async () => {
        await q.indicatorOptions(db.orm);
        await q.listGroups(db.orm);
        const ind = await q.getIndicator(db.orm, metas[0]!.code);
        const a = await q.getArea(db.orm, area);
        const rowsC = await q.compareLatest(db.orm, ind.id, 'country', a.country);
        const ts = await q.areasByKeys(db.orm, rowsC.slice(0, 10).map((x) => x.key));
        await q.indicatorSeries(db.orm, ind.id, ts.map((x) => x.id), { totalOnly: true });
        const all = await q.areasByKeys(db.orm, rowsC.map((x) => x.key));
        await q.geometries(db.orm, all.map((x) => x.id));
      },
    };
    const timing: Record<string, { server: number; sql: number }> = {};
    for (const [name, url] of Object.entries(pages) as [keyof typeof pages, string][]) {
      for (let i = 0; i < 3; i++) await get(base + url); // warm caches and the chart cache
      const server: number[] = [];
      const sql: number[] = [];
      for (let i = 0; i < 30; i++) {
        const r = await get(base + url);
        if (r.status !== 200) throw new Error(`${url} answered ${r.status}`);
        server.push(r.serverMs);
        const t0 = performance.now();
        await rawSql[name]();
        sql.push(performance.now() - t0);
      }
      timing[name] = { server: median(server), sql: median(sql) };
    }
    if (db.kind === 'postgres') await server.rss();
    const pageLoad = await load(base + pages.area, CONNECTIONS, DURATION);
    if (db.kind === 'postgres') await server.rss();
    const bareLoad = await load(`${base}/bare/areas/${area}`, CONNECTIONS, DURATION);
    const rss = db.kind === 'postgres' ? await server.rss() : process.memoryUsage().rss / 2 ** 20;
    await server.stop();

    const out = [
      ...heading,
      ...importLines,
      ...(['indicator', 'area', 'compare'] as const).map(
        (p) => `| Server time, ${p} page (median of 30) | ${f(timing[p]!.server, 2)} ms vs ${f(timing[p]!.sql, 2)} ms of its SQL | ≤ 1.5 × SQL + 5 ms = ${f(1.5 * timing[p]!.sql + 5, 2)} ms | ${pass(timing[p]!.server <= 1.5 * timing[p]!.sql + 5)} |`,
      ),
      `| Area page at ${CONNECTIONS} connections | ${f(pageLoad.rps, 0)} req/s, p50 ${f(pageLoad.p50)} ms, p99 ${f(pageLoad.p99)} ms, ${pageLoad.errors} errors | ≥ 0.7 × bare route, no errors | ${f(pageLoad.rps / bareLoad.rps, 2)} × — ${pass(pageLoad.rps >= 0.7 * bareLoad.rps && pageLoad.errors === 0)} |`,
      `| Bare Fastify route, same SQL as JSON | ${f(bareLoad.rps, 0)} req/s, p50 ${f(bareLoad.p50)} ms, ${bareLoad.errors} errors | | |`,
      db.kind === 'postgres'
        ? `| App process RSS after the load (server alone, PostgreSQL) | ${f(rss, 0)} MB | ≤ 300 MB | ${pass(rss <= 300)} |`
        : `| Process RSS after the run (PGlite, importer and server in one process) | ${f(rss, 0)} MB | (goal is for PostgreSQL) | n/a |`,
      '',
    ].join('\n');
    process.stdout.write(out + '\n');
  } finally {
    await drop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
