/**
 * Runs one kind of test through node's test runner:
 *   unit    — *.test.ts (unit and integration; need nothing but node_modules)
 *   shared  — *.shared.test.ts (read the reference data in ../shared; skip when absent)
 *   browser — *.browser.test.ts (drive Debian's chromium)
 * Extra arguments are passed on to `node --test` (e.g. --test-name-pattern).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const kind = process.argv[2] ?? 'unit';
const extra = process.argv.slice(3);
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
const files = all.filter((f) => {
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
// Each test file gets its own embedded database (~1 GB of memory each), and a browser test its own
// server and browser; two at a time fits the 2-core machines this runs on.
const concurrency = kind === 'browser' ? 1 : 2;
// A hung browser or database must fail the run, not stall CI until its own limit.
const timeout = kind === 'browser' ? 240_000 : 300_000;
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, `--test-timeout=${timeout}`, ...extra, ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
