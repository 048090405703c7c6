import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ObsRow } from './model.js';
import { chooseHeadlines, summariseFile } from './model.js';
import { copyBinaryPieces, summaryBinaryPieces, distinctOf, eachRow, headlinesOf, pack, packedOf, summariseColumns } from './load-stream.js';

const rows: ObsRow[] = [
  { line: 2, indicator: 'a-1', area: 'se-0780', period: '2020', breakdown: '', value: 1.25, status: '', note: '' },
  { line: 3, indicator: 'a-1', area: 'no-0301', period: '2020-Q1', breakdown: 'Kön=Kvinnor', value: null, status: 'missing', note: 'say "no", 100 %' },
  { line: 5, indicator: 'b.2', area: 'se-0780', period: '2015-2016', breakdown: 'x=1;y=2', value: -1e-7, status: 'provisional', note: 'två\nrader' },
  { line: 6, indicator: 'b.2', area: 'dk-101', period: '2021-03', breakdown: '', value: 123456789012345680000, status: 'estimated', note: '😀' },
  { line: 7, indicator: 'a-1', area: 'dk-101', period: '2020', breakdown: '', value: 0, status: '', note: '' },
];
const ids = {
  indicator: new Map([['a-1', '00000000-0000-4000-8000-00000000000a'], ['b.2', '00000000-0000-4000-8000-00000000000b']]),
  area: new Map([['se-0780', '10000000-0000-4000-8000-000000000001'], ['no-0301', '10000000-0000-4000-8000-000000000002'], ['dk-101', '10000000-0000-4000-8000-000000000003']]),
};
/** Reads a COPY binary payload back into rows: what the server will see. */
const decode = (pieces: Iterable<Uint8Array>, field?: (f: number, v: Buffer) => unknown) => {
  const b = Buffer.concat([...pieces]);
  assert.equal(b.subarray(0, 11).toString('latin1'), 'PGCOPY\n\xff\r\n\0', 'signature');
  let at = 19;
  const out: unknown[][] = [];
  for (;;) {
    const fields = b.readInt16BE(at);
    at += 2;
    if (fields === -1) break;
    const row: unknown[] = [];
    for (let f = 0; f < fields; f++) {
      const len = b.readInt32BE(at);
      at += 4;
      const v = len < 0 ? null : b.subarray(at, at + len);
      at += Math.max(len, 0);
      row.push(v === null ? null : field ? field(f, v) : f < 2 ? v.toString('hex') : f === 4 ? v.readDoubleBE(0) : f === 7 ? Number(v.readBigInt64BE(0)) : v.toString('utf8'));
    }
    out.push(row);
  }
  assert.equal(at, b.length, 'nothing after the trailer');
  return out;
};
const hex = (id: string) => id.replace(/-/g, '');
const expected = (rs: ObsRow[], batch: number | null) =>
  rs.map((r) => [hex(ids.indicator.get(r.indicator)!), hex(ids.area.get(r.area)!), r.period, r.breakdown, r.value, r.status, r.note, ...(batch === null ? [] : [batch])]);

describe('the observation load from columns', () => {
  it('sends every row, value and text in COPY binary, whatever the piece size', () => {
    const p = pack({ rows, errors: [], indicators: [] });
    for (const size of [1, 16, 100, 1 << 20]) {
      assert.deepEqual(decode(copyBinaryPieces(p, ids, 42, 0, p.n, size)), expected(rows, 42), `pieces of ${size} bytes`);
      assert.deepEqual(decode(copyBinaryPieces(p, ids, null, 1, 4, size)), expected(rows.slice(1, 4), null), `rows 1-3 in pieces of ${size} bytes`);
    }
    const pieces = [...copyBinaryPieces(p, ids, null, 0, p.n, 100)];
    assert.ok(pieces.length > 1 && pieces.every((x) => x.length > 0));
    assert.deepEqual(decode(copyBinaryPieces(p, ids, 7, 0, 0, 100)), [], 'an empty load is a header and a trailer');
  });

  it('sends the summaries in COPY binary, the series as its JSON text', () => {
    const sums = summariseFile(rows).map((x) => ({ ...x, indicatorId: ids.indicator.get(x.indicator)!, areaId: ids.area.get(x.area)! }));
    const want = sums.map((x) => [hex(x.indicatorId), hex(x.areaId), x.fp, x.fv, x.lp, x.lv, x.ls, x.n, x.seriesJson]);
    for (const size of [1, 64, 1 << 20]) {
      const got = decode(summaryBinaryPieces(sums, size), (f, v) => (f < 2 ? v.toString('hex') : f === 3 || f === 5 ? v.readDoubleBE(0) : f === 7 ? v.readInt32BE(0) : v.toString('utf8')));
      assert.deepEqual(got, want, `pieces of ${size} bytes`);
    }
  });

  it('refuses to send a row whose area has no id instead of writing a broken one', () => {
    const p = pack({ rows: [{ ...rows[0]!, area: 'se-9999' }], errors: [], indicators: [] });
    assert.throws(() => [...copyBinaryPieces(p, ids, null, 0, 1, 1024)], /no id for area "se-9999"/);
  });

  it('gives back the rows, their distinct values in order of appearance, and the file summaries', () => {
    const p = packedOf({ rows, errors: [], indicators: [] });
    assert.deepEqual([...eachRow(p)].length, rows.length);
    assert.deepEqual(Array.from(eachRow(p), (r) => ({ ...r })), rows);
    assert.deepEqual(Array.from(eachRow(p, (i) => i % 2 === 1), (r) => r.line), [3, 6]);
    assert.deepEqual(distinctOf(p, p.area), ['se-0780', 'no-0301', 'dk-101']);
    assert.deepEqual(distinctOf(p, p.indicator), ['a-1', 'b.2']);
    assert.ok(p.rest.summaries && p.rest.summaries.length > 0, 'summaries made for the load');
  });

  it('chooses the headlines and makes the summaries the rows would give, from the columns', () => {
    // Totals, breakdown-only indicators (a total category, or the most values), empty values, periods out of order.
    const more: ObsRow[] = [...rows];
    let line = 10;
    for (const ind of ['c', 'd']) for (const area of ['se-0780', 'no-0301']) for (const period of ['2021', '2019', '2020-Q2', '2020']) for (const bd of ['sex=F', 'sex=total', 'age=1'])
      if ((line += 1) % 5) more.push({ line, indicator: ind, area, period, breakdown: ind === 'd' && bd === 'sex=total' ? 'sex=M' : bd, value: line % 7 ? line / 3 : null, status: line % 7 ? '' : 'missing', note: '' });
    for (const set of [rows, more, more.slice(7), []]) {
      const p = pack({ rows: set, errors: [], indicators: [] });
      assert.deepEqual(headlinesOf(p), chooseHeadlines(set));
      assert.deepEqual(summariseColumns(p), summariseFile(set));
    }
  });
});
