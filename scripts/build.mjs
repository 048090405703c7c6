/**
 * Production build: `npm run build` (and `npm start`, which builds first).
 *
 * Transpiles every TypeScript file of src/ and scripts/ to JavaScript in dist/, file by file,
 * with the same esbuild that tsx uses in development, and copies the files the code reads at
 * run time (stylesheets, data tables, migrations) beside them. Type checking is `npm run
 * typecheck`'s job; this step only strips types, so it takes about a second.
 *
 * Why not run the sources through tsx in production: its loader thread and transform caches
 * cost about 85 MB of memory per process (docs/decisions/0003-compiled-production-build.md).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const isSource = (f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts');
const isTest = (f) => /\.test\.tsx?$/.test(f);
const files = ['src', 'scripts'].flatMap((d) => walk(path.join(root, d)));
const entryPoints = files.filter((f) => isSource(f) && !isTest(f));

const t0 = performance.now();
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints,
  outdir: out,
  outbase: root,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  sourcemap: false,
  logLevel: 'warning',
});
// Run-time files next to the code that reads them (print.css, the SDG target list, web assets).
// The .mjs worker shim only exists to load TypeScript through tsx; the build has the .js.
for (const f of files) {
  if (isSource(f) || f.endsWith('.d.ts') || f.endsWith('.mjs')) continue;
  const dest = path.join(out, path.relative(root, f));
  cpSync(f, dest);
}
if (existsSync(path.join(root, 'migrations'))) cpSync(path.join(root, 'migrations'), path.join(out, 'migrations'), { recursive: true });

// Static assets precompressed once here (Brotli and gzip beside each file), so @fastify/static
// sends them with `preCompressed` instead of compressing on every request. The vendor files the
// pages link are copied into dist/vendor first: node_modules is not ours to write into.
// Brotli's top quality costs seconds on the 1 MB chart library, so large files get quality 9.
const require = createRequire(import.meta.url);
// Some packages' export maps hide package.json: take the folder itself.
const pkg = (name) => path.join(root, 'node_modules', name);
const vendor = path.join(out, 'vendor');
cpSync(path.join(pkg('@digdir/designsystemet-css'), 'dist'), path.join(vendor, 'ds-dist'), { recursive: true });
mkdirSync(path.join(vendor, 'htmx'), { recursive: true });
cpSync(path.join(pkg('htmx.org'), 'dist', 'htmx.min.js'), path.join(vendor, 'htmx', 'htmx.min.js'));
mkdirSync(path.join(vendor, 'echarts'), { recursive: true });
cpSync(require.resolve('echarts/dist/echarts.min.js'), path.join(vendor, 'echarts', 'echarts.min.js'));
// zlib's asynchronous calls run on libuv's thread pool, so the files compress on every core at once: on
// two cores the step takes about half the 0.9 s it took one file after another, and `npm start` (which
// builds first) reaches its first page that much sooner.
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const toPack = [...walk(vendor), ...walk(path.join(out, 'src', 'web', 'assets'))].filter((f) => /\.(css|js|svg|json|html)$/.test(f) && statSync(f).size >= 1024);
// Largest first, so the long one (the chart library) does not start last.
toPack.sort((a, b) => statSync(b).size - statSync(a).size);
await Promise.all(
  toPack.map(async (f) => {
    const body = readFileSync(f);
    const quality = body.length > 300_000 ? 9 : 11;
    const [br, gz] = await Promise.all([
      brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
      gzip(body, { level: 9 }),
    ]);
    writeFileSync(`${f}.br`, br);
    writeFileSync(`${f}.gz`, gz);
  }),
);
const packed = toPack.length;
process.stderr.write(`precompressed ${packed} static files\n`);
process.stderr.write(`built ${entryPoints.length} files into dist/ in ${Math.round(performance.now() - t0)} ms\n`);
