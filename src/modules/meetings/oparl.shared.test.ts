/**
 * Validates every object the OParl API serves against the official OParl 1.1
 * JSON Schemas in ../shared/data/oparl-1.1/schema. Run by `npm run test:shared`
 * and .ci/run; skipped with a message where ../shared is absent.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { loadConfig } from '../../config.js';
import { createMeetingsTestApp, type MeetingsTestApp } from '../../../test/fixtures/meetings/app.js';

const schemaDir = path.join(loadConfig().sharedDir, 'data', 'oparl-1.1', 'schema');
const skip = existsSync(schemaDir) ? false : `OParl schemas not found at ${schemaDir} (../shared is absent); skipping OParl schema validation`;

type Schema = { properties: Record<string, { schema?: string; type?: string; items?: { schema?: string } }> };
const validators = new Map<string, ValidateFunction>();
const schemas = new Map<string, Schema>();
let t: MeetingsTestApp;

before(async () => {
  if (skip) return;
  // The schemas use non-standard keywords (references, cardinality, schema), the "url" format,
  // and patterns such as \: that are invalid under the u flag.
  const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true, unicodeRegExp: false }));
  for (const f of readdirSync(schemaDir).filter((n) => n.endsWith('.json'))) {
    const s = JSON.parse(readFileSync(path.join(schemaDir, f), 'utf8'));
    const name = f.replace(/\.json$/, '');
    schemas.set(name, s);
    validators.set(name, ajv.compile(s));
  }
  // ajv-formats' "url" format wants a public host name, which localhost is not.
  t = await createMeetingsTestApp({ config: { PUBLIC_URL: 'http://samverka.example.org' } });
});
after(async () => t?.close());

/** Validates an object and, following the schema's own `schema` hints, everything embedded in it. */
function validate(obj: Record<string, unknown>, where: string, expected?: string): number {
  const type = String(obj.type ?? '');
  const name = expected ?? type.replace('https://schema.oparl.org/1.1/', '');
  const v = validators.get(name);
  assert.ok(v, `${where}: no schema for type ${type}`);
  assert.equal(type, `https://schema.oparl.org/1.1/${name}`, `${where}: type`);
  assert.ok(v(obj), `${where} (${name}): ${JSON.stringify(v.errors, null, 1)}`);
  let n = 1;
  for (const [prop, spec] of Object.entries(schemas.get(name)!.properties)) {
    const value = obj[prop];
    if (value == null) continue;
    const inner = spec.schema ?? spec.items?.schema;
    if (!inner || !inner.endsWith('.json')) continue;
    const innerName = inner.replace(/\.json$/, '');
    for (const [i, el] of (Array.isArray(value) ? value : [value]).entries()) {
      if (el && typeof el === 'object') n += validate(el as Record<string, unknown>, `${where}.${prop}[${i}]`, innerName);
    }
  }
  return n;
}

test('every OParl object served validates against the OParl 1.1 schemas', { skip }, async () => {
  const agent = await t.agent();
  const base = t.config.publicUrl;
  const seen = new Set<string>();
  const queue = [`${base}/oparl/v1/`];
  const counts = new Map<string, number>();
  let validated = 0;
  while (queue.length && seen.size < 500) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const res = await agent.get(url.slice(base.length));
    assert.equal(res.statusCode, 200, url);
    const body = JSON.parse(res.body);
    if (Array.isArray(body.data)) {
      // A list: OParl's envelope, then each element.
      assert.equal(typeof body.pagination?.totalElements, 'number', `${url}: pagination`);
      assert.equal(typeof body.links?.first, 'string', `${url}: links`);
      for (const [i, el] of body.data.entries()) {
        validated += validate(el, `${url} data[${i}]`);
        const kind = String(el.type).split('/').pop()!;
        counts.set(kind, (counts.get(kind) ?? 0) + 1);
      }
      if (body.links.next) queue.push(body.links.next);
    } else {
      validated += validate(body, url);
    }
    for (const m of res.body.matchAll(/"(https?:\/\/[^"?]+\/oparl\/v1\/[^"]*)"/g)) queue.push(m[1]!);
  }
  for (const kind of ['Body', 'Organization', 'Person', 'Membership', 'Meeting', 'AgendaItem', 'Paper', 'Consultation', 'File', 'Location']) {
    assert.ok((counts.get(kind) ?? 0) > 0, `no ${kind} was served in a list`);
  }
  assert.ok(validated > 50, `validated ${validated} objects`);
});

test('a deleted meeting validates as a tombstone', { skip }, async () => {
  await t.makeUser('e@wg.se', { 'miljostrategisk-arbetsgrupp': 'editor' });
  const editor = await t.agent('e@wg.se');
  const id = JSON.parse((await editor.api('POST', '/api/meetings', { title: 'Borttaget', start: '2031-01-01T09:00:00+01:00', organisationIds: [t.orgs.wg.id] })).body).id;
  await editor.api('DELETE', `/api/meetings/${id}`);
  const o = JSON.parse((await (await t.agent()).get(`/oparl/v1/meetings/${id}`)).body);
  assert.equal(o.deleted, true);
  validate(o, 'tombstone');
});
