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
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
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
process.stderr.write(`built ${entryPoints.length} files into dist/ in ${Math.round(performance.now() - t0)} ms\n`);
