/**
 * Malformed input, a thousand files per importer: truncated, re-encoded, reshaped, deeply nested,
 * with huge or non-finite numbers. Each parse must end (no hang) with rows or a report, or with a
 * FileFormatError that says what is wrong: never another exception (which the web would turn
 * into a 500). A file that is reported as bad writes nothing when imported.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Database } from '../../platform/db/index.js';
import { FileFormatError, parseFile } from './importers/index.js';
import type { ImportFormat } from '../indicator-model/index.js';
import { importObservations } from '../indicators/index.js';
import { actor, fixture, testDatabase } from '../../../test/indicators-support.js';

let db: Database & { drop: () => Promise<void> };
before(async () => {
  db = await testDatabase();
});
after(async () => db?.drop());

const SEEDS: Record<Exclude<ImportFormat, never>, { name: string; buf: Buffer }> = {
  opensdg: { name: 'indicator_11-6-1.csv', buf: fixture('indicator_11-6-1.csv') },
  long: { name: 'long-template.csv', buf: fixture('long-template.csv') },
  jsonstat: { name: 'ssb-jsonstat.json', buf: fixture('ssb-jsonstat.json') },
  kolada: { name: 'kolada-data.json', buf: fixture('kolada-data.json') },
};

/** Every path into a JSON document, so that one value at a time can be swapped for a wrong one. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.slice(0, 5).forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}
function replaceAt(doc: unknown, path: (string | number)[], value: unknown): unknown {
  if (!path.length) return value;
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[path[path.length - 1]!] = value;
  return copy;
}

/** Ways a real file goes wrong on its way to us. */
function breakFile(seed: Buffer): fc.Arbitrary<Buffer> {
  const text = seed.toString('utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = undefined;
  }
  const docPaths = doc === undefined ? [] : paths(doc);
  // JSON files: one value anywhere replaced by a value of another type (a role that is a number,
  // a null value list, a numeric gender, …): the shapes that crashed parsers before.
  const reshaped = docPaths.length
    ? [fc.tuple(fc.constantFrom(...docPaths), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, 1e308, -1, '', {}, [], 'x'))).map(([p, v]) => Buffer.from(JSON.stringify(replaceAt(doc, p, v))))]
    : [];
  const nest = (depth: number, inner: string) => '['.repeat(depth) + inner + ']'.repeat(depth);
  return fc.oneof(
    fc.nat({ max: seed.length }).map((cut) => seed.subarray(0, cut)), // truncated
    fc.tuple(fc.nat({ max: seed.length }), fc.uint8Array({ minLength: 1, maxLength: 40 })).map(([at, junk]) => Buffer.concat([seed.subarray(0, at), Buffer.from(junk), seed.subarray(at)])), // bytes inserted
    fc.constant(Buffer.from(text, 'latin1')), // wrong encoding
    fc.constant(Buffer.from(text, 'utf16le')),
    fc.constantFrom('1e309', '-1e309', 'NaN', 'Infinity', '9'.repeat(400), '-0', '0x10', '1,5e3').map((num) => Buffer.from(text.replace(/\d+\.\d+/g, num))), // huge and odd numbers
    fc.integer({ min: 50, max: 5000 }).map((d) => Buffer.from(nest(d, '1'))), // deep nesting
    fc.json().map((j) => Buffer.from(j)), // any JSON at all
    fc.constantFrom('{}', '[]', 'null', '""', '{"id":"x","size":[],"dimension":{},"value":[]}', '{"values":{"a":1}}', '{"id":[1],"size":["a"],"dimension":{"1":{}},"value":{}}').map((s) => Buffer.from(s)), // wrong shapes
    fc.string({ maxLength: 300 }).map((s) => Buffer.from(s)), // anything
    fc.constant(Buffer.alloc(0)),
    ...reshaped,
    ...reshaped,
    ...reshaped,
  );
}

async function parseOrReport(format: ImportFormat, name: string, buf: Buffer) {
  try {
    return await parseFile(format, name, buf);
  } catch (err) {
    if (err instanceof FileFormatError) return null; // a report naming what is wrong
    throw err;
  }
}

describe('malformed files', () => {
  for (const format of Object.keys(SEEDS) as ImportFormat[]) {
    it(`${format}: 1,000 broken files give rows or a report, never another error`, async () => {
      const seed = SEEDS[format];
      let reported = 0;
      await fc.assert(
        fc.asyncProperty(breakFile(seed.buf), async (buf) => {
          const r = await parseOrReport(format, seed.name, buf);
          if (r === null || r.errors.length) reported++;
          if (r) for (const e of r.errors) assert.ok(typeof e.message === 'string' && e.message.length > 0 && typeof e.line === 'number');
        }),
        { numRuns: 1000, seed: 20261129 },
      );
      assert.ok(reported > 0, 'some of the broken files must be reported as broken');
    });
  }

  it('values whose toString is broken (an object from a broken file) are reported, never thrown on', async () => {
    // Found by this property test: {"toString": null} as a Kolada gender, period or status threw a TypeError.
    const broken = { toString: null };
    const kolada = { values: [{ kpi: 'N07403', municipality: '0780', period: broken, values: [{ gender: [broken], status: broken, value: 1 }] }, { kpi: 'N07403', municipality: '0780', period: 2022, values: [{ gender: [broken], status: '', value: 1 }] }] };
    const r = await parseOrReport('kolada', 'k.json', Buffer.from(JSON.stringify(kolada)));
    assert.ok(r && r.errors.some((e) => e.field === 'period') && r.errors.some((e) => e.field === 'gender'));
    const ds = JSON.parse(SEEDS.jsonstat.buf.toString('utf8'));
    ds.status = { 0: broken };
    const j = await parseOrReport('jsonstat', 'j.json', Buffer.from(JSON.stringify(ds)));
    assert.ok(j === null || Array.isArray(j.errors));
  });

  it('a file reported as bad writes nothing when imported anyway', async () => {
    const before = await db.query(`SELECT (SELECT count(*) FROM ind_observations)::int AS o, (SELECT count(*) FROM ind_indicators)::int AS i, (SELECT count(*) FROM ind_import_batches)::int AS b, (SELECT count(*) FROM audit_events)::int AS a`);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...(Object.keys(SEEDS) as ImportFormat[])).chain((f) => breakFile(SEEDS[f].buf).map((b) => [f, b] as const)), async ([format, buf]) => {
        const r = await parseOrReport(format, SEEDS[format].name, buf);
        if (!r || !r.errors.length) return;
        const rep = await importObservations(db, actor, r, { format });
        assert.equal(rep.ok, false);
      }),
      { numRuns: 150, seed: 20261129 },
    );
    const afterRows = await db.query(`SELECT (SELECT count(*) FROM ind_observations)::int AS o, (SELECT count(*) FROM ind_indicators)::int AS i, (SELECT count(*) FROM ind_import_batches)::int AS b, (SELECT count(*) FROM audit_events)::int AS a`);
    assert.deepEqual(afterRows, before);
  });
});
