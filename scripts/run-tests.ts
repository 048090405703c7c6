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
import { accessSync, constants as fsConstants, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, freemem, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openAndMigrate } from '../src/platform/db/index.js';
import { loadDemoData } from '../src/demo/index.js';

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
// A hung browser or database must fail the run, not stall CI until its own limit.
const timeout = kind === 'browser' ? 240_000 : 300_000;

/**
 * Migrates one database for the whole run; test/helpers.ts copies it for each test file
 * (TEST_TEMPLATE). Creating and migrating an embedded database costs about two seconds of
 * CPU per file; opening a copy of a migrated one, a fraction of that.
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
  // A data folder: each test file copies it (the kernel copies the files) and opens the copy, and
  // PostgreSQL reads only the pages it needs. Loading a dump into PGlite's in-memory file system
  // instead writes all ~45 MB through JavaScript, about twice the CPU per database. The folder and
  // every copy (test/helpers.ts puts them beside it) live in one folder of the run, in memory where
  // the system has a tmpfs: a copy there costs a tenth of one on disk, and removing the copies
  // does not wait for the disk. The whole folder goes when the run ends, whatever a test left.
  const scratch = mkdtempSync(path.join(memoryTmp(), 'samverka-tests-'));
  const dir = path.join(scratch, 'template');
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
  return { value: dir, remove: async () => rmSync(scratch, { recursive: true, force: true }) };
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
function prepareDemoTemplate(base: string): { value: string; files: string; ready: Promise<void>; remove: () => Promise<void> } {
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

/**
 * Keeps each bundled module's own import.meta: the code finds its data files (migrations,
 * stylesheets, fixtures) next to its own source, and in a bundle every module would otherwise
 * share the bundle's. The exception is a module that starts a process from a file beside it
 * (RELOCATED): it sees itself in the entries folder, as in the production build, and starts the
 * run's bundle of that file instead of its source through tsx.
 */
const importMeta = (entriesDir: string): Plugin => ({
  name: 'samverka-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.(ts|tsx|mjs|js)$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta')) return undefined;
      const relative = path.relative(root, args.path);
      const url = RELOCATED.includes(relative) ? pathToFileURL(path.join(entriesDir, relative.replace(/\.tsx?$/, '.js'))).href : pathToFileURL(args.path).href;
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(url))
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      const ext = path.extname(args.path);
      return { contents, loader: ext === '.tsx' ? 'tsx' : ext === '.ts' ? 'ts' : 'js' };
    });
  },
});

const bundleOptions = {
  bundle: true,
  packages: 'external',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  keepNames: true,
  // Stack traces map back to the source files; the map leaves out the sources' text, which made it
  // several MB that every worker parsed at start (--enable-source-maps) for nothing.
  sourcemap: true,
  sourcesContent: false,
  // Code that calls require() on a package (createRequire is used explicitly elsewhere).
  banner: { js: "import { createRequire as __samverkaRequire } from 'node:module'; const require = __samverkaRequire(import.meta.url);" },
  logLevel: 'warning',
} as const;

/**
 * The entry points that tests start as processes (the CLI, the server, the job worker fixture)
 * or that the app forks (the import parsing process), each bundled once for the run: through tsx
 * each start transformed every module again, about two seconds of CPU more per CLI or server
 * start and 0.3 s per parsing process (docs/benchmarks.md, "Test suite time"). Tests find them
 * with test/helpers.ts entryArgs(); `npm run cli`'s own path through tsx keeps one test
 * (test/start-cli.test.ts).
 */
const ENTRIES = ['src/cli.ts', 'src/server.ts', 'src/platform/jobs.kill-fixture.ts', 'src/modules/imports/parse-worker.ts'];
/** Modules that fork an entry beside them by its name (parse-pool.ts forks ./parse-worker.js when it is built). */
const RELOCATED = ['src/modules/imports/parse-pool.ts'];
async function bundleEntries(outdir: string): Promise<string> {
  await build({
    ...bundleOptions,
    entryPoints: ENTRIES.map((e) => path.join(root, e)),
    outdir,
    outbase: root,
    // A dynamic import stays one (its own chunk), as in the production build: without splitting,
    // esbuild inlines the module and hoists its package imports, and every CLI or server start
    // loaded the S3 client (about 0.3 s of CPU) whether or not it stores files in S3.
    splitting: true,
    plugins: [importMeta(outdir)],
  });
  return outdir;
}

/**
 * Bundles the worker with the selected test files: one esbuild pass (about a second) instead of
 * tsx transforming every module in every process. Packages stay external (node_modules as usual).
 * The bundle lives under the project so that bare imports resolve; each run has its own folder.
 */
async function bundleTests(outdir: string, entriesDir: string): Promise<string> {
  const registry: Plugin = {
    name: 'samverka-test-registry',
    setup(b) {
      b.onResolve({ filter: /^samverka:test-registry$/ }, () => ({ path: 'registry', namespace: 'samverka-tests' }));
      b.onLoad({ filter: /.*/, namespace: 'samverka-tests' }, () => ({
        // require() of a bundled ES module becomes its lazy initialiser: evaluated on call, synchronously.
        contents: `export const registry = {\n${files.map((f) => `  ${JSON.stringify(f)}: () => require(${JSON.stringify(`./${f}`)}),`).join('\n')}\n};`,
        resolveDir: root,
        loader: 'js',
      }));
    },
  };
  const outfile = path.join(outdir, 'test-worker.mjs');
  await build({
    ...bundleOptions,
    entryPoints: [path.join(root, 'scripts/test-worker.ts')],
    outfile,
    plugins: [registry, importMeta(entriesDir)],
  });
  return outfile;
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
  // Each worker holds one app and one embedded database (about 0.5 to 1 GB) at a time; one more
  // worker than cores keeps the cores busy while a worker waits on a child process or a timer.
  const memoryBound = Math.max(1, Math.floor(freemem() / 1.5e9));
  const workers = Math.max(1, Math.min(Number(process.env.TEST_WORKERS) || availableParallelism() + 1, memoryBound, queue.length));
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
      const child: ChildProcess = spawn(process.execPath, ['--enable-source-maps', '--test-reporter=spec', '--test-reporter-destination=stdout', ...passOn, bundle], {
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
      child.on('message', (m: { next?: true; start?: string; done?: string; cpu?: number }) => {
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
        if (code !== 0 || signal || problem || missing.length) {
          outcome.ok = false;
          outcome.failedFiles.push(...new Set([...failed, ...missing]));
        }
        const secs = ((performance.now() - t0) / 1000).toFixed(1);
        console.log(`\n── worker ${n}: ${given.length} file${given.length === 1 ? '' : 's'}, ${secs} s${code ? `, exit code ${code}` : ''}${signal ? `, ${signal}` : ''}`);
        process.stdout.write(out.endsWith('\n') || !out ? out : `${out}\n`);
        if (problem) console.log(`✖ ${problem}`);
        else if (missing.length) console.log(`✖ did not finish: ${missing.join(', ')}`);
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

/** The shared and browser tests: one process per file, as node --test does. */
function runPerFile(env: NodeJS.ProcessEnv): boolean {
  // Each test file gets its own embedded database (~1 GB of memory each), and a browser test its own
  // server and browser; two at a time fits the 2-core machines this runs on.
  const concurrency = kind === 'browser' ? 1 : 2;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, `--test-timeout=${timeout}`, ...passOn, ...files], { cwd: root, stdio: 'inherit', env });
  return r.status === 0;
}

const checks = withChecks ? Promise.all([runCheck('typecheck'), runCheck('lint:deps')]) : Promise.resolve([] as boolean[]);
let buildDir: string | undefined;
if (inWorkers) {
  mkdirSync(path.join(root, '.test-build'), { recursive: true });
  buildDir = mkdtempSync(path.join(root, '.test-build', 'run-'));
}
const bundled = buildDir ? bundleTests(buildDir, path.join(buildDir, 'entries')) : undefined;
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
