import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hostname } from 'node:os';
import { DatabaseLockedError, openDatabase } from './index.js';
import { entryArgs, seedDataDir } from '../../../test/helpers.js';

const root = mkdtempSync(path.join(tmpdir(), 'samverka-lock-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('one writer per embedded database', () => {
  it('refuses a second opener with a clear message and releases the lock on close', async () => {
    const dir = path.join(root, 'a', 'pglite');
    seedDataDir(dir);
    const db = await openDatabase({ kind: 'pglite', dataDir: dir });
    const lockFile = `${dir}.lock`;
    assert.equal(JSON.parse(readFileSync(lockFile, 'utf8')).pid, process.pid);
    await assert.rejects(openDatabase({ kind: 'pglite', dataDir: dir }), (err: Error) => {
      assert.ok(err instanceof DatabaseLockedError);
      assert.match(err.message, /in use by another process/);
      assert.match(err.message, /Stop the running Samverka server/);
      assert.match(err.message, /DATABASE_URL/);
      return true;
    });
    await db.query('CREATE TABLE kept (x int)');
    await db.close();
    assert.equal(existsSync(lockFile), false);
    const again = await openDatabase({ kind: 'pglite', dataDir: dir });
    assert.deepEqual(await again.query('SELECT count(*)::int AS n FROM kept'), [{ n: 0 }]);
    await again.close();
  });

  it('takes over a stale lock whose process is gone', async () => {
    const dir = path.join(root, 'b', 'pglite');
    mkdirSync(path.dirname(dir), { recursive: true });
    seedDataDir(dir);
    // The pid of a process that has certainly ended.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: Number(dead), host: hostname(), since: '2026-01-01T00:00:00Z', command: 'killed' }), { flag: 'w' });
    const db = await openDatabase({ kind: 'pglite', dataDir: dir });
    assert.equal(JSON.parse(readFileSync(`${dir}.lock`, 'utf8')).pid, process.pid);
    await db.close();
  });

  it('the CLI stops with the message, no stack trace, while the folder is open elsewhere', async () => {
    const dataDir = path.join(root, 'c');
    seedDataDir(path.join(dataDir, 'pglite'));
    const db = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    try {
      const r = spawnSync(process.execPath, [...entryArgs('src/cli.ts'), 'create-admin', '--email', 'a@example.org', '--name', 'A', '--password', 'long enough password'], {
        env: Object.fromEntries(Object.entries({ ...process.env, DATA_DIR: dataDir, NODE_ENV: 'development' }).filter(([k]) => k !== 'DATABASE_URL')),
        encoding: 'utf8',
      });
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /in use by another process/);
      assert.doesNotMatch(r.stderr, /\n\s+at /); // no stack frames
      assert.doesNotMatch(r.stdout, /Created platform administrator/);
    } finally {
      await db.close();
    }
  });
});
