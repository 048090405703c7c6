/**
 * Files built to hurt the server (issue #8): each is generated here, sent through the import API,
 * and must get a report naming the problem while the server keeps answering other requests.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
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

/** The import is refused with a report naming the content, nothing is written, and the server still answers. */
async function refusedWithReport(body: Record<string, unknown>, pattern: RegExp) {
  const before = await snapshot(t.db, TABLES);
  const started = Date.now();
  const res = await admin.api('POST', '/api/imports', { dryRun: false, ...body });
  assert.equal(res.statusCode, 422, res.body.slice(0, 500));
  assert.equal(res.json().errors[0].field, 'content');
  assert.match(res.json().errors[0].message, pattern);
  assert.ok(Date.now() - started < 20_000, 'answered promptly');
  assert.deepEqual(await snapshot(t.db, TABLES), before);
  assert.equal((await admin.api('GET', '/api/indicators')).statusCode, 200, 'still serving');
}

describe('pathological files get a report and the server keeps serving', () => {
  it('an XLSX with one cell at XFD1048576', async () => {
    const buf = workbook(`${HEADER}<row r="1048576">${str('XFD1048576', 'x')}</row>`);
    assert.ok(buf.length < 4000, `a tiny file (${buf.length} bytes)`);
    await refusedWithReport({ format: 'long', filename: 'bomb.xlsx', encoding: 'base64', content: buf.toString('base64') }, /row 1,048,576|column 16,384/);
  });

  it('an XLSX whose declared dimension is the whole sheet', async () => {
    const buf = workbook(HEADER, 'A1:XFD1048576');
    await refusedWithReport({ format: 'long', filename: 'dim.xlsx', encoding: 'base64', content: buf.toString('base64') }, /1,048,576|16,384/);
  });

  it('a sparse JSON-stat declaring 10⁹ cells', async () => {
    const cats = (n: number, p: string) => ({ index: Array.from({ length: n }, (_, i) => `${p}${i}`) });
    const ds = {
      version: '2.0', class: 'dataset', id: ['Region', 'Tid', 'x'], size: [1000, 1000, 1000],
      dimension: { Region: { category: cats(1000, 'r') }, Tid: { category: cats(1000, 't') }, x: { category: cats(1000, 'x') } },
      value: { '0': 1 },
    };
    await refusedWithReport({ format: 'jsonstat', filename: 'sparse.json', content: JSON.stringify(ds) }, /more than 20,000,000 cells/);
  });

  it('a UTF-8 body over the upload limit in bytes, though under it in characters', async () => {
    const content = `indicator,area,period,value,note\n${'demo-energy,se-0780,2019,1,'.padEnd(60, 'x')}${'ö'.repeat(UPLOAD_MAX / 2 + 10)}\n`;
    assert.ok(content.length < UPLOAD_MAX && Buffer.byteLength(content) > UPLOAD_MAX);
    await refusedWithReport({ format: 'long', filename: 'big.csv', content }, /limit is 2\.0 MB/);
  });

  it('a 40,000-row XLSX is parsed off the main thread: other requests are answered meanwhile', async () => {
    const rows: string[] = [HEADER];
    for (let r = 2; r <= 40_001; r++) rows.push(`<row r="${r}">${str(`A${r}`, 'demo-energy')}${str(`B${r}`, 'se-0780')}<c r="C${r}"><v>${1900 + (r % 120)}</v></c><c r="D${r}"><v>${r}</v></c></row>`);
    const buf = workbook(rows.join(''));
    const importing = admin.api('POST', '/api/imports', { format: 'long', filename: 'big.xlsx', encoding: 'base64', content: buf.toString('base64'), dryRun: true });
    let answered = 0;
    let slowest = 0;
    let done = false;
    void importing.then(() => (done = true));
    while (!done) {
      const s = Date.now();
      assert.equal((await admin.api('GET', '/api/indicators')).statusCode, 200);
      slowest = Math.max(slowest, Date.now() - s);
      answered++;
      await new Promise((r) => setTimeout(r, 50));
    }
    const res = await importing;
    assert.ok(res.statusCode === 200 || res.statusCode === 422, res.body.slice(0, 300));
    assert.ok(answered >= 3, `answered ${answered} requests during the import`);
    assert.ok(slowest < 3000, `slowest answer during the import: ${slowest} ms`);
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
