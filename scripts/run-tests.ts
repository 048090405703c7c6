/**
 * Runs one kind of test through node's test runner:
 *   unit    — *.test.ts (unit and integration; need nothing but node_modules)
 *   shared  — *.shared.test.ts (read the reference data in ../shared; skip when absent)
 *   browser — *.browser.test.ts (drive Debian's chromium)
 * Extra arguments are passed on to node's test runner (e.g. --test-name-pattern); arguments that
 * name test files (ending in .test.ts) run only those files. `--checks` (what `npm test` passes)
 * also runs the type check and the module rules (npm run typecheck, npm run lint:deps) beside the
 * tests; the run fails when either fails.
 *
 * Unit tests run in a few worker processes, several files each (scripts/test-worker.ts): the
 * selected files are bundled once with esbuild, each worker process runs one file at a time as
 * one suite named after the file, and asks for the next when it ends. Starting a process,
 * transforming TypeScript and loading the app's modules once per file used to be most of the
 * suite's CPU time (docs/benchmarks.md, "Test suite time"). The shared and browser tests keep one
 * process per file (`node --test`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, freemem } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleEntries, bundleTests } from './test-bundle.js';
import { prepareDemoTemplate, prepareTemplate } from './test-templates.js';
import { loadConfig } from '../src/config.js';

const started = performance.now();
const kind = process.argv[2] ?? 'unit';
const extra = process.argv.slice(3).filter((a) => a !== '--checks');
const withChecks = process.argv.includes('--checks');
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
const named = extra.filter((a) => /\.test\.tsx?$/.test(a)).map((f) => path.relative(root, path.resolve(f)));
const passOn = extra.filter((a) => !/\.test\.tsx?$/.test(a));
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
const inWorkers = kind === 'unit';
/** Loaded before node:test in each worker: node:test's async hook without its per-promise cost (the file says why). */
const PRELOAD = pathToFileURL(path.join(root, 'scripts', 'test-worker-preload.mjs')).href;
// A hung browser or database must fail the run, not stall CI until its own limit.
const timeout = kind === 'browser' ? 240_000 : 300_000;

/** The type check and the module rules, beside the tests; their output is printed when they end. */
function runCheck(script: string): Promise<boolean> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn('npm', ['run', '--silent', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    child.on('close', (code) => {
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      console.log(`\n${code === 0 ? '✔' : '✖'} npm run ${script} (${secs} s)${out.trim() ? `\n${out.trimEnd()}` : ''}`);
      resolve(code === 0);
    });
  });
}

type Outcome = { ok: boolean; tests: number; pass: number; fail: number; failedFiles: string[] };

/**
 * Runs the files in worker processes, one process per worker for the run. Files are handed out
 * one at a time, heaviest first (by the last run's times, else test/cpu-weights.json, else by
 * size), so that the workers end at about the same time without a process per file or per batch.
 */
async function runInWorkers(bundle: string, env: NodeJS.ProcessEnv, demo?: { wanting: Set<string>; ready: Promise<void> }): Promise<Outcome> {
  const timingsFile = path.join(root, '.test-build', 'timings.json');
  let timings: Record<string, number> = {};
  try {
    timings = JSON.parse(readFileSync(timingsFile, 'utf8'));
  } catch {
    // First run here (CI's clean clone): the CPU seconds per file of a run when this was written
    // (test/cpu-weights.json, a copy of a run's .test-build/cpu.json), else the file's size. By
    // size alone a short file that starts processes (start-cli.test.ts) came last and ran alone.
    try {
      timings = JSON.parse(readFileSync(path.join(root, 'test', 'cpu-weights.json'), 'utf8'));
    } catch {
      // no hint either: by size
    }
  }
  const estimate = (f: string) => timings[f] ?? statSync(path.join(root, f)).size / 1000;
  const queue = [...files].sort((a, b) => estimate(b) - estimate(a));
  // A file that wants the demo waits for its template (prepareDemoTemplate); the others go first.
  let demoSettled = !demo;
  demo?.ready.then(
    () => (demoSettled = true),
    () => (demoSettled = true), // its files then fail on the missing template, and the run with them
  );
  const nextFile = async (): Promise<string | undefined> => {
    const i = queue.findIndex((f) => demoSettled || !demo!.wanting.has(f));
    if (i >= 0) return queue.splice(i, 1)[0];
    if (!queue.length) return undefined;
    await demo!.ready.catch(() => undefined);
    demoSettled = true;
    return queue.shift();
  };
  // Each worker holds one app and one embedded database (about 0.5 to 1 GB) at a time. On PGlite
  // the database runs inside the worker, so a worker that waits is rarely waiting for long: one
  // worker per core. A third worker on two cores cost more CPU than it filled (16 % more CPU in
  // the files, 10 s more wall time: docs/benchmarks.md, "Tenth round"), the processes evicting
  // each other's caches. On PostgreSQL the server works in its own processes while the workers
  // wait for it, and one more worker than cores keeps the cores busy.
  const memoryBound = Math.max(1, Math.floor(freemem() / 1.5e9));
  const perCore = availableParallelism() + (loadConfig().testDatabaseUrl ? 1 : 0);
  const workers = Math.max(1, Math.min(Number(process.env.TEST_WORKERS) || perCore, memoryBound, queue.length));
  const outcome: Outcome = { ok: true, tests: 0, pass: 0, fail: 0, failedFiles: [] };
  const seconds: Record<string, number> = {};
  // CPU seconds per file (its worker's and its child processes'): comparable on a shared machine.
  const cpu: Record<string, number> = {};
  const grace = 30_000;

  // One process per worker for the whole run, handed one file at a time (scripts/test-worker.ts).
  // A process that dies or is stopped in a file is replaced for the files still queued.
  const runProcess = (n: number) =>
    new Promise<number>((resolve) => {
      const t0 = performance.now();
      const child: ChildProcess = spawn(process.execPath, ['--enable-source-maps', '--import', PRELOAD, '--test-reporter=spec', '--test-reporter-destination=stdout', ...passOn, bundle], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        env: { ...env, SAMVERKA_TEST_TIMEOUT: String(timeout) },
      });
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (out += d));
      const given: string[] = [];
      const done = new Set<string>();
      let current: { file: string; since: number } | undefined;
      let problem = '';
      let watchdog: NodeJS.Timeout | undefined;
      const arm = (ms: number, why: () => string) => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          problem = why();
          child.kill('SIGKILL');
        }, ms);
      };
      const outside: { file: string; error: string }[] = [];
      child.on('message', (m: { next?: true; start?: string; done?: string; cpu?: number; outside?: { file: string; error: string } }) => {
        if (m.outside) outside.push(m.outside);
        if (m.next) {
          void (problem ? Promise.resolve(undefined) : nextFile()).then((file) => {
            if (file) {
              given.push(file);
              arm(timeout + grace, () => `${file} did not end within ${(timeout + grace) / 1000} s: the worker was stopped`);
              child.send({ file });
            } else {
              child.send({ end: true });
              arm(grace, () => `the worker did not exit ${grace / 1000} s after its last file: one of ${given.join(', ')} left something running (a server, a timer, a connection)`);
            }
          });
        }
        if (m.start) current = { file: m.start, since: performance.now() };
        if (m.done) {
          done.add(m.done);
          if (current?.file === m.done) seconds[m.done] = (performance.now() - current.since) / 1000;
          if (m.cpu !== undefined) cpu[m.done] = m.cpu;
          // A line per file as it ends; its results are printed with its worker's.
          console.log(`  ran ${m.done} (${seconds[m.done]?.toFixed(1) ?? '?'} s, ${cpu[m.done]?.toFixed(1) ?? '?'} s CPU, worker ${n})`);
        }
      });
      child.on('close', (code, signal) => {
        clearTimeout(watchdog);
        const text = out.replace(/\x1b\[[0-9;]*m/g, '');
        const count = (label: string) => Number(text.match(new RegExp(`^ℹ ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
        outcome.tests += count('tests');
        outcome.pass += count('pass');
        outcome.fail += count('fail');
        const failed = given.filter((f) => new RegExp(`^✖ ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'm').test(text));
        const missing = given.filter((f) => !done.has(f) && !failed.includes(f));
        if (code !== 0 || signal || problem || missing.length || outside.length) {
          outcome.ok = false;
          outcome.failedFiles.push(...new Set([...failed, ...missing, ...outside.map((o) => o.file)]));
        }
        const secs = ((performance.now() - t0) / 1000).toFixed(1);
        console.log(`\n── worker ${n}: ${given.length} file${given.length === 1 ? '' : 's'}, ${secs} s${code ? `, exit code ${code}` : ''}${signal ? `, ${signal}` : ''}`);
        process.stdout.write(out.endsWith('\n') || !out ? out : `${out}\n`);
        if (problem) console.log(`✖ ${problem}`);
        else if (missing.length) console.log(`✖ did not finish: ${missing.join(', ')}`);
        for (const o of outside) console.log(`✖ ${o.file}: an error outside its tests (from a timer or an unhandled rejection, while this file ran or after it):\n${o.error}`);
        resolve(given.length);
      });
    });

  let processes = 0;
  const worker = async () => {
    while (queue.length) {
      if ((await runProcess(++processes)) === 0 && queue.length) {
        // It ended before asking for a file (the bundle failed to load): another would too.
        outcome.ok = false;
        outcome.failedFiles.push(...queue.splice(0));
        console.log('✖ a worker process ended before running any file; the files not yet run are counted as failed');
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));

  const slowest = Object.entries(seconds).sort((a, b) => b[1] - a[1]).slice(0, 8);
  const costliest = Object.entries(cpu).sort((a, b) => b[1] - a[1]).slice(0, 8);
  const cpuTotal = Object.values(cpu).reduce((a, b) => a + b, 0);
  console.log(`\n${files.length} files in ${processes} worker processes (${workers} at a time); slowest files: ${slowest.map(([f, s]) => `${f} ${s.toFixed(1)} s`).join(', ')}`);
  console.log(`CPU in the files: ${cpuTotal.toFixed(0)} s; most: ${costliest.map(([f, s]) => `${f} ${s.toFixed(1)} s`).join(', ')}`);
  try {
    mkdirSync(path.dirname(timingsFile), { recursive: true });
    writeFileSync(timingsFile, JSON.stringify({ ...timings, ...seconds }, null, 1));
    const cpuFile = path.join(path.dirname(timingsFile), 'cpu.json');
    let cpuBefore: Record<string, number> = {};
    try {
      cpuBefore = JSON.parse(readFileSync(cpuFile, 'utf8'));
    } catch {
      // the first run here
    }
    writeFileSync(cpuFile, JSON.stringify({ ...cpuBefore, ...cpu }, null, 1));
  } catch {
    // only a hint for the next run's order
  }
  return outcome;
}

/**
 * A file that measures the machine's speed (Lighthouse's simulated phone is calibrated from this host's
 * CPU) says so with this line, and runs alone after the others: another file beside it would slow
 * every task it measures.
 */
const ALONE = /^\/\/ test-runner: alone\b/;

/** The shared and browser tests: one process per file, as node --test does. */
function runPerFile(env: NodeJS.ProcessEnv): boolean {
  // Each test file gets its own embedded database (~1 GB of memory each), and a browser test its own
  // server and browser; two at a time fits the 2-core machines this runs on. A browser file spends
  // half its time waiting (on the page, the network idle, a navigation): one at a time, the suite
  // used half the cores.
  const alone = files.filter((f) => ALONE.test(readFileSync(path.join(root, f), 'utf8').split('\n', 1)[0]!));
  const together = files.filter((f) => !alone.includes(f));
  const run = (list: string[], concurrency: number) =>
    list.length === 0 ||
    spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, `--test-timeout=${timeout}`, ...passOn, ...list], { cwd: root, stdio: 'inherit', env }).status === 0;
  const first = run(together, 2);
  // The measuring files run even when the others failed, so that one run reports everything.
  const second = run(alone, 1);
  return first && second;
}

const checks = withChecks ? Promise.all([runCheck('typecheck'), runCheck('lint:deps')]) : Promise.resolve([] as boolean[]);
let buildDir: string | undefined;
if (inWorkers) {
  mkdirSync(path.join(root, '.test-build'), { recursive: true });
  buildDir = mkdtempSync(path.join(root, '.test-build', 'run-'));
}
const bundled = buildDir ? bundleTests(buildDir, path.join(buildDir, 'entries'), files) : undefined;
bundled?.catch(() => undefined); // awaited below; a build error is reported there
const entries = buildDir ? bundleEntries(path.join(buildDir, 'entries')) : undefined;
entries?.catch(() => undefined);

// Only worth its seconds when some selected file loads the demo.
const wantsDemoTemplate = (f: string) => /demo: true|seedDemoDataDir/.test(readFileSync(path.join(root, f), 'utf8'));
const wantsDemo = files.some(wantsDemoTemplate);

const template = await prepareTemplate();
let demo: ReturnType<typeof prepareDemoTemplate> | undefined;
let ok = false;
let summary = '';
try {
  if (wantsDemo) {
    demo = prepareDemoTemplate(template.value);
    demo.ready.catch(() => undefined); // awaited below; until then a failure must not end the process
  }
  const env = { ...process.env, TEST_TEMPLATE: template.value, ...(demo ? { TEST_DEMO_TEMPLATE: demo.value, TEST_DEMO_FILES: demo.files } : {}), ...(entries ? { TEST_ENTRIES: await entries } : {}) };
  if (bundled) {
    const outcome = await runInWorkers(await bundled, env, demo && { wanting: new Set(files.filter(wantsDemoTemplate)), ready: demo.ready });
    // A failed demo load fails the run with its own error, not only with its files' failures.
    await demo?.ready;
    ok = outcome.ok;
    summary = `tests ${outcome.tests}, passed ${outcome.pass}, failed ${outcome.fail}${outcome.failedFiles.length ? `\nfailed files:\n${outcome.failedFiles.map((f) => `  ${f}`).join('\n')}` : ''}`;
  } else {
    await demo?.ready;
    ok = runPerFile(env);
  }
} finally {
  await demo?.remove();
  await template.remove();
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
}
const checked = await checks;
if (checked.includes(false)) ok = false;
const secs = ((performance.now() - started) / 1000).toFixed(1);
console.log(`\n${ok ? '✔' : '✖'} ${kind} tests${withChecks ? ', type check and module rules' : ''}: ${ok ? 'passed' : 'FAILED'} in ${secs} s${summary ? `\n${summary}` : ''}`);
process.exit(ok ? 0 : 1);
