import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createTestApp, createTestDatabase, entryArgs, TEST_SECRET, testConfig, type TestApp } from '../../test/helpers.js';
import { defineJob, enqueue } from './jobs.js';

let started = 0;
defineJob({
  kind: 'test.slow',
  async run({ signal }) {
    started++;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 10_000);
      signal.addEventListener('abort', () => (clearTimeout(t), resolve()));
    });
  },
});

describe('health, readiness and shutdown', () => {
  let t: TestApp;
  before(async () => (t = await createTestApp({ config: { SHUTDOWN_TIMEOUT_SECONDS: '1' } })));
  after(async () => t.close());

  it('/healthz says alive; /readyz checks the database and that every migration is applied', async () => {
    assert.deepEqual((await t.app.inject('/healthz')).json(), { ok: true });
    const ready = await t.app.inject('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().ok, true);
    await t.db.query(`DELETE FROM schema_migrations WHERE name = '0311_rate_limits.sql'`);
    const notReady = await t.app.inject('/readyz');
    assert.equal(notReady.statusCode, 503);
    assert.match(notReady.json().reason, /migrations not applied: 0311_rate_limits\.sql/);
    await t.db.query(`INSERT INTO schema_migrations (name) VALUES ('0311_rate_limits.sql')`);
    assert.equal((await t.app.inject('/readyz')).statusCode, 200);
  });

  it('closing the app hands a job still running after the shutdown timeout back to the queue', async () => {
    const id = (await enqueue(t.db, 'test.slow', {}))!;
    for (let i = 0; i < 200 && !started; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(started, 1, 'the app’s worker picked the job up');
    await t.app.close();
    const [job] = await t.db.query<{ state: string; attempts: number; locked_by: string | null; error: string }>(`SELECT state, attempts, locked_by, error FROM jobs WHERE id = $1`, [id]);
    assert.deepEqual({ ...job }, { state: 'queued', attempts: 0, locked_by: null, error: 'handed back when its server stopped' });
  });
});

describe('the server process on SIGTERM', () => {
  const config = testConfig();
  it('stops taking requests, closes the database and exits 0', { skip: !config.testDatabaseUrl && 'TEST_DATABASE_URL is not set (the embedded-database start is covered by the lock and job tests)' }, async () => {
    const { db, drop } = await createTestDatabase(config);
    const url = (db.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const child = spawn(process.execPath, entryArgs('src/server.ts'), {
      env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: url, HOST: '127.0.0.1', PORT: String(port), SESSION_SECRET: TEST_SECRET, DEMO_DATA: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    try {
      for (let i = 0; !(await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false)); i++) {
        if (i > 600 || child.exitCode !== null) throw new Error(`server did not start: ${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // Production logs are JSON lines, one per start-up step.
      const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
      assert.ok(lines.some((l) => /^Connecting to PostgreSQL at postgres/.test(l.msg)));
      assert.ok(lines.some((l) => /^Samverka is ready at http:\/\/127\.0\.0\.1:\d+ \(PostgreSQL; started in/.test(l.msg)));
      const exit = new Promise<number | null>((r) => child.once('exit', r));
      child.kill('SIGTERM');
      assert.equal(await exit, 0, out);
      assert.match(out, /SIGTERM: no new requests/);
      assert.match(out, /Stopped cleanly/);
      assert.equal(await fetch(`http://127.0.0.1:${port}/healthz`).then(() => 'answered', () => 'closed'), 'closed');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await drop();
    }
  });
});
