/**
 * The esbuild bundles of a unit-test run (scripts/run-tests.ts): the worker with every selected
 * test file, and the entry points that tests start as processes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');

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
export async function bundleEntries(outdir: string): Promise<string> {
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
export async function bundleTests(outdir: string, entriesDir: string, files: string[]): Promise<string> {
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
