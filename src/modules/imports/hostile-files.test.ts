/**
 * Files built to hurt the server (issue #8): each is generated here, sent through the import API,
 * and must get a report naming the problem while the server keeps answering other requests.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import childProcess, { type ChildProcess } from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { unzipSync, zipSync, strToU8 } from 'fflate';
import { createTestApp, snapshot, type Agent, type TestApp } from '../../../test/helpers.js';
import { fixture } from '../../../test/indicators-support.js';
import { ParsePool } from './parse-pool.js';
import { FileFormatError } from './importers/table.js';

let t: TestApp;
let admin: Agent;
const TABLES = ['ind_indicators', 'ind_observations', 'ind_import_batches', 'audit_events'];
const UPLOAD_MAX = 2 * 1024 * 1024;

before(async () => {
  t = await createTestApp({ demo: true, config: { UPLOAD_MAX_BYTES: String(UPLOAD_MAX) } });
  await t.makeUser({ email: 'admin@example.org', admin: true });
  admin = await t.agent('admin@example.org');
});
after(() => t.close());

/** The long template workbook with its sheet replaced. */
function workbook(sheetData: string, dimension?: string): Buffer {
  const files = unzipSync(new Uint8Array(fixture('long-template.xlsx')));
  files['xl/worksheets/sheet1.xml'] = strToU8(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${dimension ? `<dimension ref="${dimension}"/>` : ''}<sheetData>${sheetData}</sheetData></worksheet>`,
  );
  return Buffer.from(zipSync(files));
}
const str = (ref: string, s: string) => `<c r="${ref}" t="inlineStr"><is><t>${s}</t></is></c>`;
const HEADER = `<row r="1">${str('A1', 'indicator')}${str('B1', 'area')}${str('C1', 'period')}${str('D1', 'value')}</row>`;

/**
 * Sends a request whose file is read in a parsing process, and holds that process stopped
 * (SIGSTOP) as soon as it is forked, so that `meanwhile` runs while the file is still waiting
 * to be read; then lets it go (SIGCONT) and returns the answer. If the request answers without
 * forking a process, the file was read on the server's thread and the test fails; if the
 * server's thread waited on the parse, `meanwhile`'s requests would not be answered while it is
 * held. The real fork runs: parse-pool.ts imports it by name, which syncBuiltinESMExports points
 * at the wrapper for the duration. No clock is read.
 */
async function withParseHeld<T>(request: () => Promise<T>, meanwhile: () => Promise<void>): Promise<T> {
  const realFork = childProcess.fork;
  let heldOne!: (c: ChildProcess) => void;
  const held = new Promise<ChildProcess>((resolve) => (heldOne = resolve));
  let forked = 0;
  childProcess.fork = ((...args: Parameters<typeof realFork>) => {
    const child = realFork(...args);
    if (++forked === 1) {
      child.kill('SIGSTOP');
      heldOne(child);
    }
    return child;
  }) as typeof realFork;
  syncBuiltinESMExports();
  try {
    const answer = request();
    const child = await Promise.race([held, answer.then(() => null)]);
    assert.ok(child, 'the file is read in a parsing process, not on the server’s thread');
    try {
      await meanwhile();
      assert.equal(child.exitCode, null, 'the parsing process was still holding the file');
    } finally {
      child.kill('SIGCONT');
    }
    return await answer;
  } finally {
    childProcess.fork = realFork;
    syncBuiltinESMExports();
  }
}

/**
 * The import is refused with a report naming the content, nothing is written, and the server
 * still answers. `where` says where the file's size is found out:
 * - 'parse process': a workbook is read in a parsing process of its own. That process is held
 *   stopped while another request is sent, which must be answered meanwhile: the hostile parse
 *   does not run on (or wait on) the server's thread. Were it parsed inline, no process would be
 *   forked and the test fails; were the server's thread blocked on it, the other request would
 *   never be answered while the parse is held.
 * - 'declared size': a small text file is read inline, and refused by the declared-size check
 *   (importers/limits.ts) before anything is built, as the pattern proves; no process is needed.
 * - 'before reading': the body is refused for its size before any parse.
 */
async function refusedWithReport(body: Record<string, unknown>, pattern: RegExp, where: 'parse process' | 'declared size' | 'before reading') {
  const before = await snapshot(t.db, TABLES);
  const send = () => admin.api('POST', '/api/imports', { dryRun: false, ...body });
  const res =
    where === 'parse process'
      ? await withParseHeld(send, async () => {
          assert.equal((await admin.api('GET', '/api/indicators')).statusCode, 200, 'another request is answered while the hostile file waits to be read');
        })
      : await send();
  assert.equal(res.statusCode, 422, res.body.slice(0, 500));
  assert.equal(res.json().errors[0].field, 'content');
  assert.match(res.json().errors[0].message, pattern);
  assert.deepEqual(await snapshot(t.db, TABLES), before);
  assert.equal((await admin.api('GET', '/api/indicators')).statusCode, 200, 'still serving');
}

describe('pathological files get a report and the server keeps serving', () => {
  it('an XLSX with one cell at XFD1048576', async () => {
    const buf = workbook(`${HEADER}<row r="1048576">${str('XFD1048576', 'x')}</row>`);
    assert.ok(buf.length < 4000, `a tiny file (${buf.length} bytes)`);
    await refusedWithReport({ format: 'long', filename: 'bomb.xlsx', encoding: 'base64', content: buf.toString('base64') }, /row 1,048,576|column 16,384/, 'parse process');
  });

  it('an XLSX whose declared dimension is the whole sheet', async () => {
    const buf = workbook(HEADER, 'A1:XFD1048576');
    await refusedWithReport({ format: 'long', filename: 'dim.xlsx', encoding: 'base64', content: buf.toString('base64') }, /1,048,576|16,384/, 'parse process');
  });

  it('a sparse JSON-stat declaring 10⁹ cells', async () => {
    const cats = (n: number, p: string) => ({ index: Array.from({ length: n }, (_, i) => `${p}${i}`) });
    const ds = {
      version: '2.0', class: 'dataset', id: ['Region', 'Tid', 'x'], size: [1000, 1000, 1000],
      dimension: { Region: { category: cats(1000, 'r') }, Tid: { category: cats(1000, 't') }, x: { category: cats(1000, 'x') } },
      value: { '0': 1 },
    };
    await refusedWithReport({ format: 'jsonstat', filename: 'sparse.json', content: JSON.stringify(ds) }, /more than 20,000,000 cells/, 'declared size');
  });

  it('a UTF-8 body over the upload limit in bytes, though under it in characters', async () => {
    const content = `indicator,area,period,value,note\n${'demo-energy,se-0780,2019,1,'.padEnd(60, 'x')}${'ö'.repeat(UPLOAD_MAX / 2 + 10)}\n`;
    assert.ok(content.length < UPLOAD_MAX && Buffer.byteLength(content) > UPLOAD_MAX);
    await refusedWithReport({ format: 'long', filename: 'big.csv', content }, /limit is 2\.0 MB/, 'before reading');
    // The right to import comes first: someone who may not import hears that, not the file's size.
    const orgId = (await t.db.query<{ id: string }>('SELECT id FROM organisations ORDER BY slug LIMIT 1'))[0]!.id;
    await t.makeUser({ email: 'member@example.org', roles: { [orgId]: 'member' } });
    const member = await t.agent('member@example.org');
    assert.equal((await member.api('POST', '/api/imports', { format: 'long', filename: 'big.csv', content })).statusCode, 403);
    // The same for reference data, which only platform administrators may import.
    assert.equal((await member.api('POST', '/api/reference-imports', { kind: 'kolada-areas', content })).statusCode, 403);
    const admin = await t.agent('admin@example.org');
    const tooLarge = await admin.api('POST', '/api/reference-imports', { kind: 'kolada-areas', content });
    assert.equal(tooLarge.statusCode, 422);
    assert.match(tooLarge.body, /limit is 2\.0 MB/);
  });

  it('a 40,000-row XLSX is parsed off the main thread: other requests are answered meanwhile', async () => {
    const rows: string[] = [HEADER];
    for (let r = 2; r <= 40_001; r++) rows.push(`<row r="${r}">${str(`A${r}`, 'demo-energy')}${str(`B${r}`, 'se-0780')}<c r="C${r}"><v>${1900 + (r % 120)}</v></c><c r="D${r}"><v>${r}</v></c></row>`);
    const buf = workbook(rows.join(''));
    // While the workbook waits in its parsing process, the server answers one request after another.
    let answered = 0;
    const res = await withParseHeld(
      () => admin.api('POST', '/api/imports', { format: 'long', filename: 'big.xlsx', encoding: 'base64', content: buf.toString('base64'), dryRun: true }),
      async () => {
        for (; answered < 3; answered++) assert.equal((await admin.api('GET', '/api/indicators')).statusCode, 200);
      },
    );
    assert.ok(res.statusCode === 200 || res.statusCode === 422, res.body.slice(0, 300));
    assert.equal(answered, 3, `answered ${answered} requests during the import`);
  });
});

describe('the parsing worker’s own limits', () => {
  it('a file that needs more heap than allowed gets a report; the next file parses in a fresh worker', async () => {
    const pool = new ParsePool({ heapMb: 64, timeMs: 60_000 });
    try {
      const huge = Buffer.from(`indicator,area,period,value\n${'demo-energy,se-0780,2019,1\n'.repeat(1_500_000)}`);
      await assert.rejects(pool.parse({ format: 'long', filename: 'huge.csv', buf: huge }), (err: Error) => err instanceof FileFormatError && /memory/.test(err.message));
      const ok = await pool.parse({ format: 'long', filename: 'small.csv', buf: Buffer.from('indicator,area,period,value\ndemo-energy,se-0780,2019,1\n') });
      assert.equal(ok.rows.length, 1);
    } finally {
      await pool.close();
    }
  });

  it('a parse over the time limit gets a report; the next file parses in a fresh worker', async () => {
    const pool = new ParsePool({ heapMb: 256, timeMs: 1 });
    const small = () => pool.parse({ format: 'long', filename: 'small.csv', buf: Buffer.from('indicator,area,period,value\ndemo-energy,se-0780,2019,1\n') });
    try {
      await assert.rejects(small(), (err: Error) => err instanceof FileFormatError && /longer than/.test(err.message));
    } finally {
      await pool.close();
    }
    const patient = new ParsePool({ heapMb: 256, timeMs: 60_000 });
    try {
      assert.equal((await patient.parse({ format: 'long', filename: 'small.csv', buf: Buffer.from('indicator,area,period,value\ndemo-energy,se-0780,2019,1\n') })).rows.length, 1);
    } finally {
      await patient.close();
    }
  });
});

describe('the upload preview (the mapping step) reads workbooks in the worker too', () => {
  /** The web upload is refused with a page naming the problem; nothing is stored; the server still answers. */
  async function previewRefused(filename: string, buf: Buffer, pattern: RegExp) {
    const before = await snapshot(t.db, [...TABLES, 'ind_uploads']);
    const res = await admin.postMultipart('/imports', { format: 'long' }, [{ name: 'file', filename, content: buf }]);
    assert.equal(res.statusCode, 422, res.body.slice(0, 300));
    assert.match(res.body, pattern);
    assert.deepEqual(await snapshot(t.db, [...TABLES, 'ind_uploads']), before);
    assert.equal((await admin.api('GET', '/api/indicators')).statusCode, 200, 'still serving');
  }

  it('an XLSX whose declared dimension is the whole sheet gets a report at the preview route', async () => {
    await previewRefused('dim.xlsx', workbook(HEADER, 'A1:XFD1048576'), /1,048,576|16,384/);
  });

  it('an XLSX with one cell at XFD1048576 gets a report at the preview route', async () => {
    await previewRefused('bomb.xlsx', workbook(`${HEADER}<row r="1048576">${str('XFD1048576', 'x')}</row>`), /1,048,576|16,384/);
  });

  it('a workbook’s preview from the worker is the one the importer makes inline, and the upload page shows it', async () => {
    const { previewFile } = await import('./importers/index.js');
    const buf = fixture('long-template.xlsx');
    const pool = new ParsePool();
    try {
      assert.deepEqual(await pool.preview({ format: 'long', filename: 'long-template.xlsx', buf }), await previewFile('long', 'long-template.xlsx', buf));
    } finally {
      await pool.close();
    }
    const res = await admin.postMultipart('/imports', { format: 'long' }, [{ name: 'file', filename: 'long-template.xlsx', content: buf }]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const page = await admin.get(String(res.headers.location));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<th scope="col">indicator<\/th>/);
  });

  it('the preview runs under the worker’s time limit', async () => {
    const pool = new ParsePool({ heapMb: 256, timeMs: 1 });
    try {
      await assert.rejects(pool.preview({ format: 'long', filename: 'long-template.xlsx', buf: fixture('long-template.xlsx') }), (err: Error) => err instanceof FileFormatError && /longer than/.test(err.message));
    } finally {
      await pool.close();
    }
  });
});
