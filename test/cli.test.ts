import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { entryArgs } from './helpers.js';

// The command line refuses what it cannot run as written before it opens a database: a reason
// naming the option, a pointer to the help, exit code 2, and no database created.
const root = path.resolve(import.meta.dirname, '..');
const cli = (args: string[], dataDir: string) =>
  spawnSync(process.execPath, [...entryArgs('src/cli.ts'), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', DATA_DIR: dataDir, DEMO_DATA: 'false' },
    encoding: 'utf8',
  });

test('an unknown option, a missing value or a stray argument is a usage error (exit 2) that names it; a short password or a list of job kinds needs no database', () => {
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'samverka-cli-args-')), 'data');
  try {
    const unknown = cli(['create-admin', '--mail', 'a@example.org', '--name', 'A'], dataDir);
    assert.equal(unknown.status, 2, unknown.stderr);
    assert.match(unknown.stderr, /Unknown option '--mail'/);
    assert.match(unknown.stderr, /npm run cli -- help/);
    const missing = cli(['create-admin', '--name', 'A', '--email'], dataDir);
    assert.equal(missing.status, 2, missing.stderr);
    assert.match(missing.stderr, /Option '--email <value>' argument missing/);
    const swallowed = cli(['create-admin', '--email', '--name', 'A'], dataDir);
    assert.equal(swallowed.status, 2, swallowed.stderr);
    assert.match(swallowed.stderr, /'--email'/);
    const stray = cli(['migrate', 'now'], dataDir);
    assert.equal(stray.status, 2, stray.stderr);
    assert.match(stray.stderr, /Unexpected argument 'now'/);
    const unknownCommand = cli(['frobnicate'], dataDir);
    assert.equal(unknownCommand.status, 2);
    assert.match(unknownCommand.stderr, /Unknown command: frobnicate/);
    // A new administrator's details are checked before the database opens (or is created).
    const short = cli(['create-admin', '--email', 'a@example.org', '--name', 'A', '--password', 'short'], dataDir);
    assert.equal(short.status, 1, short.stderr);
    assert.match(short.stderr, /Rejected: password: Use at least 10 characters/);
    // The kinds of background job are this version's list: no database needed.
    const kinds = cli(['jobs', '--kinds'], dataDir);
    assert.equal(kinds.status, 0, kinds.stderr);
    assert.match(kinds.stdout, /^search\.reindex +attempts 2$/m);
    assert.match(kinds.stdout, /^mail\.send +attempts 5$/m);
    assert.equal(existsSync(dataDir), false, 'nothing was opened');
    const help = cli(['jobs', '--help'], dataDir);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /jobs \[--state S\] \[--limit N\]/);
  } finally {
    rmSync(path.dirname(dataDir), { recursive: true, force: true });
  }
});
