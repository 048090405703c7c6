import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { scratchDir } from './helpers.js';

/*
 * What a newcomer does on a fresh clone: start the app on an empty data
 * directory and see the demo network (then create the first admin with the CLI:
 * start-cli.test.ts, a file of its own so that the two run beside each other).
 * Run as a real process, the way `npm start` (the build in dist/) runs it.
 */
const root = path.resolve(import.meta.dirname, '..');

const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? walk(path.join(dir, n)) : [path.join(dir, n)]));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

// The child gets only what it needs: a shared TEST_DATABASE_URL must not leak in.
const baseEnv = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn' });

test('the first start creates, migrates and fills the embedded database, then serves the demo network', async () => {
  const dataDir = scratchDir('samverka-start-');
  const port = await freePort();
  // What `npm start` runs: the production build, then the built server.
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  // The static files it compressed (in parallel) are each their file, in Brotli and in gzip.
  const packed = walk(path.join(root, 'dist')).filter((f) => f.endsWith('.br'));
  assert.ok(packed.length > 10, `${packed.length} precompressed files`);
  for (const br of packed) {
    const file = readFileSync(br.slice(0, -3));
    assert.ok(zlib.brotliDecompressSync(readFileSync(br)).equals(file), br);
    assert.ok(zlib.gunzipSync(readFileSync(`${br.slice(0, -3)}.gz`)).equals(file), `${br.slice(0, -3)}.gz`);
  }
  // LOG_LEVEL info: the start-up steps are info lines.
  const child = spawn(process.execPath, ['dist/src/server.js'], { cwd: root, env: { ...baseEnv(), LOG_LEVEL: 'info', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir } });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  try {
    let res: Response | null = null;
    for (let i = 0; i < 480 && !res; i++) {
      await new Promise((r) => setTimeout(r, 500));
      res = await fetch(`http://127.0.0.1:${port}/`).catch(() => null);
      if (child.exitCode !== null) assert.fail(`server exited: ${output}`);
    }
    assert.ok(res, `server did not answer: ${output}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.ok(html.includes('Bærekraftsnettverket'));
    assert.ok(html.includes('Kommunnätverket för hållbar utveckling'));
    // A line per step, readable (development is the default), with the address to open.
    assert.match(output, /INFO: Creating the embedded database in .* \(first start only\)/);
    assert.match(output, /INFO: Applied \d+ migrations/);
    assert.match(output, /loading the demo dataset/);
    assert.match(output, new RegExp(`INFO: Samverka is ready at http://127\\.0\\.0\\.1:${port} `));
    assert.doesNotMatch(output, /^\{"level"/m, 'no raw JSON lines in development');
    // SIGTERM: requests and jobs finish, the database is closed and its folder's lock released.
    const exit = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    assert.equal(await exit, 0, output);
    assert.match(output, /Stopped cleanly/);
    assert.equal(existsSync(path.join(dataDir, 'pglite.lock')), false, 'the lock is released');
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});
