/**
 * The file-size rule of docs/architecture.md: a source file in src/ or scripts/ (tests aside) over
 * MAX_LINES lines says why at its top, in a line starting with MARKER within its first MARKER_WITHIN
 * lines. Long files are where several jobs hide; the marker makes the choice to keep one deliberate
 * and visible, and this test keeps new ones from growing unnoticed.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(import.meta.dirname, '..');
const MAX_LINES = 420;
const MARKER = 'Why this file is long:';
const MARKER_WITHIN = 40;

/** Lines as `wc -l` counts them: a final newline ends the last line rather than starting one. */
function lineCount(text: string): number {
  if (!text) return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** The marker counts at the start of a line, inside a block or line comment: ` * Why…`, `// Why…`. */
function hasReason(text: string): boolean {
  const head = text.split('\n').slice(0, MARKER_WITHIN);
  return head.some((line) => line.replace(/^\s*(\/\*\*?|\*|\/\/)?\s*/, '').startsWith(MARKER));
}

/** Whether a file breaks the rule: over MAX_LINES lines and no reason at its top. */
function tooLongWithoutReason(text: string): boolean {
  return lineCount(text) > MAX_LINES && !hasReason(text);
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel.split(path.sep).join('/'));
  }
  return out;
}

const fixture = (lines: number, top: string[] = []) => [...top, ...Array.from({ length: lines - top.length }, (_, i) => `export const x${i} = ${i};`)].join('\n') + '\n';

test('the checker fails a long file without a reason and passes one with it, or a short one', () => {
  assert.equal(lineCount(fixture(421)), 421);
  assert.equal(lineCount('a\nb'), 2);
  assert.equal(tooLongWithoutReason(fixture(421)), true, 'over the limit, no reason');
  assert.equal(tooLongWithoutReason(fixture(420)), false, 'at the limit');
  assert.equal(tooLongWithoutReason(fixture(900, ['/**', ' * Pages.', ` * ${MARKER} they share one form.`, ' */'])), false, 'reason in a block comment');
  assert.equal(tooLongWithoutReason(fixture(900, [`// ${MARKER} one pipeline.`])), false, 'reason in a line comment');
  // The marker counts only near the top, and only at the start of a line.
  const late = fixture(900).split('\n');
  late.splice(MARKER_WITHIN + 5, 0, `// ${MARKER} too late to be read first.`);
  assert.equal(tooLongWithoutReason(late.join('\n')), true, 'reason below the top');
  assert.equal(tooLongWithoutReason(fixture(900, [`const s = 'no ${MARKER} here';`])), true, 'marker inside code');
});

test(`every source file over ${MAX_LINES} lines says at its top why it is long`, () => {
  const files = [...sourceFiles('src'), ...sourceFiles('scripts')];
  assert.ok(files.length > 100, 'the walk finds the sources');
  const offenders = files.filter((f) => tooLongWithoutReason(readFileSync(path.join(root, f), 'utf8')));
  assert.deepEqual(
    offenders.map((f) => `${f}: over ${MAX_LINES} lines without "${MARKER}" in its first ${MARKER_WITHIN} lines`),
    [],
    'split the file along its seams, or write the reason at its top (docs/architecture.md)',
  );
});
