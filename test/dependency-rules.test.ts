/**
 * The module rules (docs/architecture.md, .dependency-cruiser.cjs) fail on deliberate
 * violations: test/fixtures/deps holds one of each, and one allowed import that must pass.
 * `npm run lint:deps` applies the same rules to the real tree in every `npm test`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(import.meta.dirname, '..');
// The package's exports hide its bin; it is installed beside the project's other packages.
const bin = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

test('each module rule fails the check on its deliberate violation, and only there', () => {
  const run = (type: string) =>
    spawnSync(process.execPath, [bin, '--config', path.join(root, '.dependency-cruiser.cjs'), '--output-type', type, 'src'], {
      cwd: path.join(root, 'test/fixtures/deps'),
      encoding: 'utf8',
    });
  // The reporter `npm run lint:deps` uses: its exit status is what fails `npm test`.
  assert.notEqual(run('err').status, 0, 'the check must exit non-zero on violations');
  const r = run('json');
  const out = JSON.parse(r.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  const found = out.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
  assert.deepEqual(found, [
    'kernel-knows-no-module: src/web/page.ts -> src/modules/gamma/index.ts',
    'module-faces: src/modules/beta/index.ts -> src/modules/alpha/internal.ts',
    'no-cycles: src/platform/x.ts -> src/platform/y.ts',
  ]);
});
