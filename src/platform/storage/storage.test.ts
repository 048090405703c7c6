import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { inspectUpload, LocalDiskStorage, sniff, cleanFileName } from './index.js';
import { elfBytes, peBytes, plainZip, tinyDocx, tinyOds, tinyPdf, tinyPng, tinyXlsx } from '../../../test/fixtures/meetings/make.js';

const MAX = 1024 * 1024;

test('accepts allowed types by their content', async () => {
  const cases: [Uint8Array, string, string][] = [
    [tinyPdf(), 'a.pdf', 'application/pdf'],
    [tinyDocx(), 'a.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    [tinyXlsx(), 'a.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    [tinyOds(), 'a.ods', 'application/vnd.oasis.opendocument.spreadsheet'],
    [tinyPng(), 'a.png', 'image/png'],
    [new TextEncoder().encode('kommun;värde\nVänersborg;12\n'), 'a.csv', 'text/csv'],
    [new TextEncoder().encode('Minnesanteckningar\n'), 'notes.txt', 'text/plain'],
  ];
  for (const [data, name, mime] of cases) {
    const r = await sniff(data, name);
    assert.ok(r.ok, `${name} should be accepted: ${JSON.stringify(r)}`);
    assert.equal(r.mime, mime, name);
  }
});

test('rejects executables, plain zips, binary text and mismatched extensions', async () => {
  assert.deepEqual((await sniff(elfBytes(), 'report.pdf')).ok, false);
  assert.deepEqual((await sniff(peBytes(), 'minutes.docx')).ok, false);
  assert.deepEqual((await sniff(plainZip(), 'file.docx')).ok, false);
  assert.deepEqual((await sniff(new Uint8Array([65, 0, 66]), 'x.txt')).ok, false);
  assert.deepEqual((await sniff(new Uint8Array([0xff, 0xfe, 0xfd]), 'x.csv')).ok, false);
  const r = await sniff(tinyPdf(), 'sheet.xlsx');
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.reason, 'extension_mismatch');
  assert.equal((await sniff(new Uint8Array(), 'x.txt')).ok, false);
});

test('appends the right extension when the name has none', async () => {
  const r = await sniff(tinyPdf(), 'Protokoll');
  assert.ok(r.ok);
  assert.equal(r.fileName, 'Protokoll.pdf');
});

test('inspectUpload checks size, computes SHA-512 and extracts PDF and DOCX text', async () => {
  const pdf = tinyPdf('Uppföljning av miljömål i Vänersborg');
  const big = await inspectUpload(pdf, 'a.pdf', pdf.byteLength - 1);
  assert.deepEqual(big, { ok: false, reason: 'too_large' });
  const ok = await inspectUpload(pdf, 'C:\\Users\\x\\a.pdf', MAX);
  assert.ok(ok.ok);
  assert.equal(ok.fileName, 'a.pdf');
  assert.equal(ok.sha512, createHash('sha512').update(pdf).digest('hex'));
  assert.match(ok.text ?? '', /Uppföljning av miljömål i Vänersborg/);
  const docx = await inspectUpload(tinyDocx('Beslut om indikatorer'), 'b.docx', MAX);
  assert.ok(docx.ok);
  assert.equal(docx.text, 'Beslut om indikatorer');
});

test('file names are cut to their last segment', () => {
  assert.equal(cleanFileName('../../etc/passwd'), 'passwd');
  assert.equal(cleanFileName('a\u0000b".pdf'), 'ab.pdf');
});

test('local disk storage writes, reads and deletes under its root only', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'samverka-storage-'));
  try {
    const s = new LocalDiskStorage(dir);
    await s.put('2026/01/abc', new Uint8Array([1, 2, 3]));
    assert.deepEqual([...(await s.get('2026/01/abc'))], [1, 2, 3]);
    assert.equal(await s.exists('2026/01/abc'), true);
    assert.deepEqual(await readdir(path.join(dir, '2026', '01')), ['abc']);
    await assert.rejects(s.put('../escape', new Uint8Array([1])));
    await s.delete('2026/01/abc');
    assert.equal(await s.exists('2026/01/abc'), false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
