/**
 * Two app servers on one PostgreSQL, as behind a load balancer: one in this process, the
 * other a real `src/server.ts` child process (so nothing held in process memory can make
 * the test pass). Proves that an import started on one is run and seen finished by the
 * other, and that the sign-in rate limit counts requests across both.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Agent, createTestApp, entryArgs, TEST_SECRET, type TestApp } from './helpers.js';
import { startS3 } from '../src/platform/storage/s3-test-server.js';
import { loadConfig } from '../src/config.js';

const skip = !loadConfig().testDatabaseUrl && 'TEST_DATABASE_URL is not set: the several-servers test needs a PostgreSQL server';
if (skip) console.log(`# skipped: ${skip}`);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('two app servers on one PostgreSQL', { skip }, () => {
  let a: TestApp;
  let b: ChildProcess;
  let bUrl: string;
  let s3: Awaited<ReturnType<typeof startS3>>;
  const ORG = 'vanersborgs-kommun';
  let urlOfDb = '';
  const dbUrl = () => urlOfDb;

  before(async () => {
    s3 = await startS3();
    // Server A runs no jobs: whatever it queues, only server B can run.
    a = await createTestApp({ demo: true, config: { JOB_WORKER: 'false', SIGNIN_RATE_LIMIT: '3', STORAGE_URL: s3.url() } });
    // Figures for Älmhult (se-0765) are written by its editors (docs/permissions.md).
    await a.makeUser({ email: 'editor@example.org', roles: { [ORG]: 'editor', 'almhults-kommun': 'editor' } });
    const dbUrl = (a.db.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    urlOfDb = dbUrl;
    const port = await freePort();
    bUrl = `http://127.0.0.1:${port}`;
    b = spawn(process.execPath, entryArgs('src/server.ts'), {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: dbUrl,
        HOST: '127.0.0.1',
        PORT: String(port),
        SESSION_SECRET: TEST_SECRET,
        DEMO_DATA: 'false',
        SIGNIN_RATE_LIMIT: '3',
        STORAGE_URL: s3.url(),
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    for (let i = 0; ; i++) {
      const ok = await fetch(`${bUrl}/readyz`).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 600 || b.exitCode !== null) throw new Error('server B did not become ready');
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  after(async () => {
    if (b && b.exitCode === null) {
      const gone = new Promise((r) => b.once('exit', r));
      b.kill('SIGTERM');
      await gone;
    }
    await a?.close();
    await s3?.close();
  });

  /** The agent's session, replayed against server B over HTTP. */
  const onB = (agent: Agent, url: string) =>
    fetch(`${bUrl}${url}`, { headers: { cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } }).then(async (r) => ({ status: r.status, body: await r.text() }));

  it('an import committed on server A is run by server B and seen finished on both', async () => {
    const editor = await a.agent('editor@example.org');
    const up = await editor.postMultipart('/imports', { format: 'long' }, [
      { name: 'file', filename: 'two.csv', content: Buffer.from('indicator,area,period,value\ndemo-renewable-share,se-0765,2026,77.5\n') },
    ]);
    assert.equal(up.statusCode, 303, up.body);
    const url = up.headers.location as string;
    assert.equal((await editor.postForm(url, { action: 'check' })).statusCode, 303);
    assert.match((await editor.get(url)).body, /value="commit"/);
    assert.equal((await editor.postForm(url, { action: 'commit' })).statusCode, 303);
    let body = '';
    for (let i = 0; i < 300 && !/Import finished\./.test(body); i++) {
      await new Promise((r) => setTimeout(r, 100));
      body = (await editor.get(url)).body;
    }
    assert.match(body, /Import finished\./, 'server A sees the import finished');
    const [job] = await a.db.query<{ state: string; progress: number; attempts: number }>(`SELECT state, progress, attempts FROM jobs WHERE kind = 'indicators.import'`);
    assert.deepEqual({ ...job }, { state: 'done', progress: 100, attempts: 1 });
    const fromB = await onB(editor, url);
    assert.equal(fromB.status, 200);
    assert.match(fromB.body, /Import finished\./, 'and so does server B, with the same session');
    assert.match((await onB(editor, '/areas/se-0765')).body, /77\.5 \(2026\)/);
    // And the operator sees it in the queue from the command line, a third process.
    const cli = spawnSync(process.execPath, [...entryArgs('src/cli.ts'), 'jobs', '--state', 'done'], { env: { ...process.env, DATABASE_URL: dbUrl(), SESSION_SECRET: TEST_SECRET }, encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /#\d+ +done +indicators\.import \([0-9a-f-]{36}\) +attempts 1\/2/);
  });

  it('counts sign-in attempts across both servers', async () => {
    const wrong = { email: 'editor@example.org', password: 'not the password' };
    // The editor's own sign-in above was the first attempt from 127.0.0.1 in this window.
    const anon = new Agent(a.app);
    const codes = [(await anon.postForm('/signin', wrong)).statusCode, (await anon.postForm('/signin', wrong)).statusCode];
    assert.deepEqual(codes, [401, 401], 'attempts two and three, on server A');
    // Server B has seen none of these itself; a per-process count would let this through.
    const page = await fetch(`${bUrl}/signin`);
    const seed = /samverka_csrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1];
    const { hmac } = await import('../src/platform/crypto.js');
    const form = new URLSearchParams({ ...wrong, _csrf: seed ? hmac(TEST_SECRET, decodeURIComponent(seed)) : '' });
    const r = await fetch(`${bUrl}/signin`, { method: 'POST', body: form, headers: { cookie: `samverka_csrf=${seed}`, 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
    assert.equal(r.status, 429, 'the fourth attempt, on server B, is over the limit of three');
    assert.equal((await anon.postForm('/signin', wrong)).statusCode, 429, 'and so is the next one on server A');
  });
});
