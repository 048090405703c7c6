/**
 * Progress benchmark (not a test): `npm run bench:progress [-- options]`.
 *
 * Generates ~790 areas (3 countries, 790 municipalities) × N indicators × Y years, imports them
 * through the product's importer (timed), imports a global target with index bounds on every
 * indicator and a national target on every other one (one targets CSV), then times recomputing
 * every status, goal score and index. It also prints this process's CPU time for both (on
 * PostgreSQL the server's own CPU is not in it) and the load average. The goal: recompute ≤ 0.25 × import time.
 * Full scale (--indicators 400 --years 20) is 6.3M observations; the default is a tenth of that.
 * Engine: PGlite on disk by default; PostgreSQL when DATABASE_URL is set (a scratch database is
 * created there and dropped afterwards). Prints a markdown table row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openAndMigrate, type Database } from '../src/platform/db/index.js';
import { systemActor } from '../src/platform/audit.js';
import { importAreas, importObservations, loadSdgFramework, sdgTargets } from '../src/modules/indicators/index.js';
import { importTargets, recomputeAll } from '../src/modules/progress/index.js';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const INDICATORS = opt('indicators', 40);
const YEARS = opt('years', 20);
const AREAS = opt('areas', 790);
const config = loadConfig();
const actor = systemActor('bench');
const log = (m: string) => process.stderr.write(`${m}\n`);

async function open(): Promise<{ db: Database; kind: string; drop: () => Promise<void> }> {
  if (!config.databaseUrl) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'samverka-bench-progress-'));
    const db = await openAndMigrate({ kind: 'pglite', dataDir: dir });
    return { db, kind: 'PGlite (data on disk)', drop: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const name = `samverka_bench_progress_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: config.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(config.databaseUrl);
  url.pathname = `/${name}`;
  const db = await openAndMigrate({ kind: 'postgres', url: url.toString(), max: 10 });
  return {
    db,
    kind: 'PostgreSQL',
    drop: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: config.databaseUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

const { db, kind, drop } = await open();
try {
  await loadSdgFramework(db, actor);
  const countries = ['SE', 'NO', 'DK'] as const;
  const areas = [
    ...countries.map((c) => ({ key: c.toLowerCase(), country: c, level: 'country' as const, code: '', name: c })),
    ...Array.from({ length: AREAS }, (_, i) => {
      const c = countries[i % 3]!;
      const code = String(9999 - i);
      return { key: `${c.toLowerCase()}-${code}`, country: c, level: 'municipality' as const, code, name: `Bench ${i}`, parentKey: c.toLowerCase() };
    }),
  ];
  await importAreas(db, actor, areas);
  const targets = sdgTargets();
  const metas = Array.from({ length: INDICATORS }, (_, i) => ({
    code: `bench-${i}`,
    name: `Bench indicator ${i}`,
    direction: (i % 3 === 0 ? 'lower' : 'higher') as 'lower' | 'higher',
    sdgTargets: [targets[(i * 7) % targets.length]!.code],
  }));
  const rows = [];
  let line = 1;
  for (const m of metas) {
    for (const a of areas) {
      for (let y = 0; y < YEARS; y++) {
        const v = 50 + ((line * 7919) % 1000) / 20 + (m.direction === 'lower' ? -y : y);
        rows.push({ line: line++, indicator: m.code, area: a.key, period: String(2006 + y), breakdown: '', value: Number(v.toFixed(2)), status: '' as const, note: '' });
      }
    }
  }
  log(`${kind}: importing ${rows.length.toLocaleString('en')} observations…`);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const rep = await importObservations(db, actor, { rows, errors: [], indicators: metas }, { format: 'long', source: 'bench', filename: 'bench' });
  const importMs = performance.now() - t0;
  const importCpu = process.cpuUsage(c0);
  if (!rep.ok) throw new Error('import failed');
  rows.length = 0;
  log('setting targets…');
  // One CSV import of every target: one transaction and one recompute, as an analyst would load them.
  const csv = ['indicator,level,country,value,bound'];
  for (const m of metas) csv.push(`${m.code},global,,${m.direction === 'lower' ? 20 : 100},${m.direction === 'lower' ? 100 : 0}`);
  metas.forEach((m, i) => i % 2 === 0 && csv.push(`${m.code},national,NO,${m.direction === 'lower' ? 30 : 90},`));
  await importTargets(db, actor, { format: 'csv', content: csv.join('\n') });
  log('recomputing everything…');
  const c1 = process.cpuUsage();
  const t1 = performance.now();
  const phases = await recomputeAll(db);
  const recomputeCpu = process.cpuUsage(c1);
  log(`phases (ms): ${JSON.stringify(Object.fromEntries(Object.entries(phases.ms).map(([k, v]) => [k, Math.round(v)])))}`);
  log(`this process's CPU (user+sys): import ${((importCpu.user + importCpu.system) / 1e6).toFixed(1)} s, recompute ${((recomputeCpu.user + recomputeCpu.system) / 1e6).toFixed(1)} s; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const recomputeMs = performance.now() - t1;
  const [n] = await db.query<{ n: string }>('SELECT count(*) AS n FROM prog_statuses');
  console.log('| engine | observations | statuses | import (s) | recompute (s) | recompute / import | goal ≤ 0.25 |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(`| ${kind} | ${(INDICATORS * areas.length * YEARS).toLocaleString('en')} | ${Number(n!.n).toLocaleString('en')} | ${(importMs / 1000).toFixed(1)} | ${(recomputeMs / 1000).toFixed(1)} | ${(recomputeMs / importMs).toFixed(2)} | ${recomputeMs / importMs <= 0.25 ? 'met' : 'not met'} |`);
} finally {
  await drop();
}
