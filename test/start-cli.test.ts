import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { entryArgs, scratchDir, seedDataDir } from './helpers.js';

/*
 * What a newcomer does after the first start (start.test.ts): create the first admin with the
 * CLI, and load the demo into a database that has none. Run as real processes, the way
 * `npm run cli` runs them.
 */
const root = path.resolve(import.meta.dirname, '..');
const cliArgs = entryArgs('src/cli.ts');

// The child gets only what it needs: a shared TEST_DATABASE_URL must not leak in.
const baseEnv = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn' });

test('the CLI creates the first platform administrator, reading the password from standard input', () => {
  const dataDir = scratchDir('samverka-cli-');
  // A migrated folder, as after a first start (start.test.ts covers the creation itself).
  seedDataDir(path.join(dataDir, 'pglite'));
  try {
    const env = { ...baseEnv(), DATA_DIR: dataDir, DEMO_DATA: 'false' };
    // The first run as `npm run cli` runs it, through tsx; the others from the run's bundle (entryArgs).
    const ok = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'create-admin', '--email', 'first@example.org', '--name', 'First Admin'], { cwd: root, env, input: 'a long enough password\n', encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /Created platform administrator First Admin <first@example.org>/);
    const weak = spawnSync(process.execPath, [...cliArgs, 'create-admin', '--email', 'second@example.org', '--name', 'Second'], { cwd: root, env, input: 'short\n', encoding: 'utf8' });
    assert.equal(weak.status, 1);
    assert.match(weak.stderr, /password: Use at least 10 characters/);
    const dup = spawnSync(process.execPath, [...cliArgs, 'create-admin', '--email', 'FIRST@example.org', '--name', 'Again'], { cwd: root, env, input: 'a long enough password\n', encoding: 'utf8' });
    assert.equal(dup.status, 1);
    assert.match(dup.stderr, /already exists/);
    const demo1 = spawnSync(process.execPath, [...cliArgs, 'demo'], { cwd: root, env, encoding: 'utf8' });
    assert.equal(demo1.status, 0, demo1.stderr);
    assert.match(demo1.stdout, /directory: [1-9]\d* created, 0 already there/);
    // A second load creates nothing: src/demo/demo.test.ts, in-process, over every table.
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
