import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

/*
 * The unit-test workers load scripts/test-worker-preload.mjs before node:test, which leaves
 * promises out of node:test's async hook. What the suite relies on must still hold.
 */
const root = path.resolve(import.meta.dirname, '..');
const preload = path.join(root, 'scripts', 'test-worker-preload.mjs');
const run = (fixture: string) =>
  spawnSync(process.execPath, ['--import', preload, '--test-reporter=tap', path.join(root, 'test', 'fixtures', 'runner', fixture)], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });

test('tests and hooks still belong to the suite they are declared in', () => {
  const r = run('suite-order.mjs');
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /ORDER before,first,second,after/);
  // The suite (with its after hook) ended before the test declared after it began.
  assert.match(r.stdout, /LATER before,first,second\n/);
  assert.match(r.stdout, /# pass 3/);
});

test('an error thrown outside a test’s own code still fails the run and is shown', () => {
  const r = run('outside-error.mjs');
  const out = r.stdout + r.stderr;
  assert.equal(r.status, 1, out);
  assert.match(out, /thrown from a timer/);
  assert.match(out, /rejected with nobody to catch it/);
  // The preload is in force: node:test no longer charges the errors to the tests (it would fail
  // them, and keep following every promise to do so), so the tests pass and the run fails.
  assert.match(out, /A resource generated asynchronous activity after the test ended/);
  assert.match(out, /# pass 2/);
  assert.match(out, /# fail 0/);
});
