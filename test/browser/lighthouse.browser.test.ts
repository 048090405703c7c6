/**
 * Lighthouse (mobile profile: simulated mid-range phone on a slow 4G network) on the home, area,
 * indicator and compare pages, and on the area page of a municipality with 400 indicators, with
 * Debian's chromium, offline on a loopback server. Each page must score at least 95 for performance
 * and 100 for accessibility (issue #12); a failure names the page, every attempt's scores and
 * metrics, and the audits that cost the most.
 *
 * Up to three measurements per page, the best performance score counts. Why the best and not the
 * median: the score is simulated (Lighthouse's default "lantern" throttling) from a trace of this
 * machine's real CPU, so another process on a shared two-core machine makes every main-thread task
 * of the page longer, and never shorter. The error is one-sided: the best of a few runs is the
 * closest to what the page itself costs, while the median of three on a busy machine would measure
 * the neighbours. A page that truly regresses is slow in every run and still fails. The first
 * measurement that reaches the goal ends the test, so a quiet machine pays for one run per page.
 * A run that Lighthouse itself aborts (NO_NAVSTART, NO_FCP: "please run Lighthouse again") uses one
 * of the three attempts. Accessibility is deterministic and must be 100 in every run that has a
 * result.
 *
 * The CPU slowdown is calibrated to the host, as Lighthouse's docs/throttling.md prescribes: its
 * default 4× turns a high-end desktop (benchmarkIndex 1500 or more) into a mid-tier phone; a slower
 * host needs less to land on the same phone (about 2× from a low-end desktop, 1000–1500, and from a
 * high-end phone), or the test would measure a low-end phone instead. A repeated measurement uses
 * the multiplier for the benchmarkIndex the previous one reported, interpolated between those points
 * and never above 4×; the failure message names both.
 *
 * LIGHTHOUSE_REPORTS=<folder> keeps each run's report (.json), trace (-0.trace.json) and DevTools
 * log there, to see where a page's time goes (the trace opens in Chromium's performance panel).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { CHROMIUM, noBrowser, serve, type Served } from './helpers.js';
import { importObservations, sdgTargets } from '../../src/modules/indicators/index.js';
import { systemActor } from '../../src/platform/audit.js';

let t: Served;
let chrome: chromeLauncher.LaunchedChrome;

before(async () => {
  if (noBrowser) return;
  t = await serve({ demo: true });
  // Älmhult gets 400 indicators × 20 years, as a municipality with a full Kolada set has.
  const targets = sdgTargets();
  const metas = Array.from({ length: 400 }, (_, i) => ({ code: `lh-${String(i + 1).padStart(3, '0')}`, name: `Indicator ${i + 1} with a name as long as Kolada's usually are`, unit: '%', decimals: 1, sdgTargets: [targets[i % targets.length]!.code] }));
  let seed = 1;
  const rows = metas.flatMap((m) =>
    Array.from({ length: 20 }, (_, y) => ({ line: 0, indicator: m.code, area: 'se-0765', period: String(2005 + y), breakdown: '', value: ((seed = (seed * 16807) % 2147483647) % 100000) / 1000, status: '' as const, note: '' })),
  );
  rows.forEach((r, i) => (r.line = i + 1));
  const report = await importObservations(t.db, systemActor('lighthouse'), { rows, errors: [], indicators: metas }, { format: 'long' });
  assert.equal(report.ok, true);
  chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
  });
});
after(async () => {
  await chrome?.kill();
  await t?.close();
});

type Scores = { performance: number; accessibility: number; a11yFailing: string[]; perfCosts: string[]; metrics: string; benchmarkIndex: number; multiplier: number };
type Attempt = Scores | { error: string; multiplier: number };

/** Lighthouse's CPU slowdown for a mid-tier phone from a host of this benchmarkIndex (docs/throttling.md). */
function slowdownFor(benchmarkIndex: number): number {
  if (!(benchmarkIndex > 0) || benchmarkIndex >= 1500) return 4;
  if (benchmarkIndex <= 1000) return 2;
  return 2 + (2 * (benchmarkIndex - 1000)) / 500;
}

type Lhr = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];
const LIGHTHOUSE_CLI = join(dirname(createRequire(import.meta.url).resolve('lighthouse/package.json')), 'cli', 'index.js');
const run = promisify(execFile);

/**
 * One Lighthouse run, in a process of its own. Lighthouse reads the page's trace and network log
 * through this process's event loop when run in it, the same loop that serves the page: the server
 * then answered the stylesheets 300 ms late on loopback, and Lighthouse simulates every request to
 * the origin with that observed server time, which put the first paint of the 400-indicator area
 * page at 2.0 s instead of 1.4 s. Production serves from its own process, so the test does too.
 */
async function audit(url: string, multiplier = 4): Promise<Attempt> {
  const keep = process.env.LIGHTHOUSE_REPORTS;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'lighthouse-test-'));
  const out = join(dir, `${new URL(url).pathname.replace(/\W+/g, '_')}-${Date.now()}.json`);
  let lhr: Lhr;
  try {
    // The CLI saves the report and then exits with an error when Lighthouse aborted the run (its
    // runtimeError, reported below); without a report its last words on stderr say what went wrong.
    const failed = await run(process.execPath, [
      LIGHTHOUSE_CLI, url, `--port=${chrome.port}`, '--output=json', `--output-path=${out}`, '--only-categories=performance,accessibility',
      `--throttling.cpuSlowdownMultiplier=${multiplier}`, '--quiet', ...(keep ? ['--save-assets'] : []),
    ], { timeout: 120_000, maxBuffer: 16 << 20 }).then(() => undefined, (e: Error & { stderr?: string }) => e.stderr?.trim().split('\n').slice(-3).join(' ') || e.message);
    if (!existsSync(out)) return { error: `lighthouse gave no result: ${failed ?? 'no report written'}`, multiplier };
    lhr = JSON.parse(readFileSync(out, 'utf8')) as Lhr;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  if (lhr.runtimeError) return { error: `${lhr.runtimeError.code}: ${lhr.runtimeError.message}`, multiplier };
  const a11yIds = new Set(lhr.categories.accessibility!.auditRefs.map((x) => x.id));
  const a11yFailing = Object.values(lhr.audits)
    .filter((a) => a11yIds.has(a.id) && a.score !== null && a.score < 1)
    .map((a) => `${a.id}: ${a.title}`);
  // What cost the performance score: the weighted metrics by points lost, then the diagnostics
  // Lighthouse flags (long tasks, main-thread work, render-blocking files, …) with their figures.
  const perfRefs = lhr.categories.performance!.auditRefs;
  const lost = perfRefs
    .filter((x) => x.weight > 0 && (lhr.audits[x.id]?.score ?? 1) < 1)
    .map((x) => ({ x, points: x.weight * (1 - (lhr.audits[x.id]!.score ?? 0)) }))
    .sort((p, q) => q.points - p.points)
    .map(({ x, points }) => `${x.id} ${lhr.audits[x.id]!.displayValue ?? ''} (−${points.toFixed(1)} points)`);
  const flagged = perfRefs
    .filter((x) => x.group === 'diagnostics' && lhr.audits[x.id]?.score !== null && (lhr.audits[x.id]?.score ?? 1) < 0.9)
    .map((x) => `${x.id}${lhr.audits[x.id]!.displayValue ? ` ${lhr.audits[x.id]!.displayValue}` : ''}`);
  const m = (id: string) => `${id} ${lhr.audits[id]?.displayValue ?? '?'}`;
  return {
    performance: lhr.categories.performance!.score ?? 0,
    accessibility: lhr.categories.accessibility!.score ?? 0,
    a11yFailing,
    perfCosts: [...lost, ...flagged].slice(0, 6),
    metrics: ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index'].map(m).join(', '),
    benchmarkIndex: lhr.environment.benchmarkIndex,
    multiplier,
  };
}

const GOAL = { performance: 0.95, accessibility: 1 };
const ATTEMPTS = 3;

const describe = (x: Attempt) =>
  'error' in x
    ? `run failed (${x.error}; CPU slowdown ${x.multiplier.toFixed(2)}×)`
    : `performance ${x.performance}, accessibility ${x.accessibility} (${x.metrics}; host benchmarkIndex ${Math.round(x.benchmarkIndex)}, CPU slowdown ${x.multiplier.toFixed(2)}×)`;

for (const [name, path] of [
  ['home', '/'],
  ['area', '/areas/se-0780'],
  ['area (400 indicators)', '/areas/se-0765'],
  ['indicator', '/indicators/demo-renewable-share?area=se-0780&area=no-1506'],
  ['compare', '/compare?indicator=demo-renewable-share&area=se-0780'],
] as const) {
  test(`Lighthouse, mobile: the ${name} page scores at least 95 for performance and 100 for accessibility`, { skip: noBrowser, timeout: 300_000 }, async (tc) => {
    const attempts: Attempt[] = [];
    let multiplier = 4;
    let best: Scores | undefined;
    while (attempts.length < ATTEMPTS && !(best && best.performance >= GOAL.performance)) {
      const s = await audit(t.baseUrl + path, multiplier);
      attempts.push(s);
      if ('error' in s) continue;
      if (!best || s.performance > best.performance) best = s;
      multiplier = slowdownFor(s.benchmarkIndex);
    }
    const runs = attempts.map((x, i) => `  ${i + 1}. ${describe(x)}`).join('\n');
    assert.ok(best, `the ${name} page (${path}): no Lighthouse run gave a result in ${ATTEMPTS} attempts:\n${runs}`);
    for (const s of attempts) {
      if ('error' in s) continue;
      assert.equal(s.accessibility, GOAL.accessibility, `the ${name} page (${path}): accessibility ${s.accessibility}, goal 1; failing: ${s.a11yFailing.join('; ')}\n${runs}`);
    }
    assert.ok(
      best.performance >= GOAL.performance,
      `the ${name} page (${path}): performance ${best.performance} at best in ${attempts.length} runs, goal ${GOAL.performance}; ` +
        `what cost most in the best run: ${best.perfCosts.join('; ') || 'nothing flagged'}\n${runs}`,
    );
    tc.diagnostic(`${path}: ${describe(best)}; ${attempts.length} run(s)`);
  });
}
