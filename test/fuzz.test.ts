/**
 * Generated hostile input (issue #8): bodies with control characters, lone surrogates, huge and
 * non-finite numbers and wrong types, sent to every API write route and to every importer.
 * Nothing may answer 5xx, and a refused request may write nothing. Runs are bounded so the
 * suite stays fast; a failure prints the generated request to replay.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createTestApp, type Agent, type TestApp } from './helpers.js';
import { findTextProblem } from '../src/platform/text.js';

let t: TestApp;
let admin: Agent;
/** Real ids and slugs of the demo, so some requests get past "not found" into the use cases. */
let known: string[] = [];
let orgIds: string[] = [];
let personIds: string[] = [];

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'fuzz-admin@example.org', admin: true });
  admin = await t.agent('fuzz-admin@example.org');
  const q = async (sql: string) => (await t.db.query<{ id: string }>(sql)).map((r) => r.id);
  orgIds = await q('SELECT id::text FROM organisations ORDER BY slug LIMIT 3');
  personIds = await q('SELECT id::text FROM people ORDER BY slug LIMIT 2');
  known = [
    ...(await q('SELECT id::text FROM meetings LIMIT 2')),
    ...(await q('SELECT id::text FROM agenda_items LIMIT 2')),
    ...(await q('SELECT slug AS id FROM organisations LIMIT 2')),
    ...(await q('SELECT id::text FROM people LIMIT 1')),
    ...(await q('SELECT id::text FROM memberships LIMIT 1')),
    ...(await q('SELECT slug AS id FROM commitments LIMIT 1')),
    'demo-renewable-share',
    '00000000-0000-4000-8000-000000000000',
  ];
});
after(() => t.close());

/** A fingerprint of everything a write leaves: every use case records an audit row in its transaction. */
async function fingerprint(): Promise<string> {
  const [r] = await t.db.query<Record<string, unknown>>(
    `SELECT (SELECT coalesce(max(id), 0) FROM audit_events) AS audit, (SELECT count(*) FROM ind_observations) AS obs,
            (SELECT count(*) FROM ind_uploads) AS uploads, (SELECT count(*) FROM ind_mappings) AS mappings,
            (SELECT count(*) FROM people) AS people, (SELECT count(*) FROM meetings) AS meetings, (SELECT count(*) FROM api_tokens) AS tokens`,
  );
  return JSON.stringify(r);
}

// Numbers JSON cannot carry are written into the raw text in place of these markers.
const RAW = { '"\u0001HUGE"': '1e309', '"\u0001NEGHUGE"': '-1e309', '"\u0001BIG"': '1.7976931348623157e308', '"\u0001TINY"': '-0' } as const;
const rawJson = (v: unknown) => Object.entries(RAW).reduce((s, [k, r]) => s.split(k.replace('\u0001', '\\u0001')).join(r), JSON.stringify(v));

const nastyChar = fc.oneof(
  fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\ud800', '\udfff', '\ufeff', '\u202e', '\r', '\n', '\t', '"', ',', ';', '=', '%00', '../'),
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
);
const nastyString = fc.oneof(
  fc.string({ unit: nastyChar, maxLength: 12 }),
  fc.constantFrom('', ' ', '1e309', 'NaN', 'Infinity', '0000', '2024-13-45', 'se-0780', 'demo-renewable-share', '=HYPERLINK("x")'),
  fc.string({ maxLength: 20 }),
);
const nastyScalar = fc.oneof(
  nastyString,
  fc.constantFrom('\u0001HUGE', '\u0001NEGHUGE', '\u0001BIG', '\u0001TINY'),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const nastyValue = fc.oneof({ depthSize: 'small', maxDepth: 2 }, nastyScalar, fc.array(nastyScalar, { maxLength: 3 }), fc.dictionary(nastyString, nastyScalar, { maxKeys: 3 }));

/** Text that passes a schema's type and length checks but carries what no column should hold. */
const hostileText = fc
  .tuple(fc.string({ minLength: 1, maxLength: 6 }), fc.constantFrom('\u0000', '\ud800', '\udc00', '\u0007', '\u001b', '\u000b'), fc.string({ unit: nastyChar, maxLength: 3 }))
  .map(([a, c, b]) => `${a}${c}${b}`);

/**
 * A plausible value for a field, by its name: most bodies then pass the route's schema and carry
 * their hostile text (or number) on into the use case and the database, where the old 500s were.
 */
function plausible(field: string) {
  const dates = ['endedOn', 'endDate', 'startDate', 'foundedOn', 'datedOn', 'signedOn'];
  const orgRef = fc.constantFrom(...orgIds);
  const table: Record<string, fc.Arbitrary<unknown>> = {
    lang: fc.constant('sv'), kind: fc.constantFrom('network', 'ngo', 'working_group'), role: fc.constantFrom('member', 'editor', 'chair'),
    attendance: fc.constant('present'), state: fc.constant('planned'), what: fc.constant('agenda'), format: fc.constantFrom('long', 'jsonstat', 'kolada', 'opensdg'),
    encoding: fc.constant('utf8'), timeZone: fc.constant('Europe/Stockholm'), country: fc.constant('SE'),
    organisationId: orgRef, parentId: orgRef, memberOrganisationId: orgRef, onBehalfOfId: orgRef, personId: fc.constantFrom(...personIds),
    organisationIds: orgRef.map((o) => [o]), start: fc.constant('2031-01-01T09:00:00+01:00'), end: fc.constant('2031-01-01T11:00:00+01:00'),
    email: fc.constant('fuzz@example.org'), isPublic: fc.boolean(), publish: fc.boolean(), markHeld: fc.boolean(), dryRun: fc.constant(true),
    targets: fc.constant(['13.2']), to: fc.integer({ min: 0, max: 3 }), items: fc.constant([]), mapping: fc.constant({}),
    url: fc.constant('https://example.org/'), website: fc.constant('https://example.org/'), onlineUrl: fc.constant('https://example.org/'),
  };
  for (const d of dates) table[d] = fc.constant('2024');
  const good = table[field] ?? hostileText;
  return fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: hostileText }, { weight: 1, arbitrary: nastyValue });
}

/** A body naming the route's own fields (from the OpenAPI document) with hostile values, or garbage. */
function bodyFor(fields: string[]) {
  const skip = new Set(['slug', 'phone', 'case', 'parentId', 'memberOrganisationId', 'areaCode', 'regions', 'prefix', 'property']);
  const named = fields.length
    ? fc.record(Object.fromEntries(fields.filter((f) => !skip.has(f)).map((f) => [f, plausible(f)])), { requiredKeys: [] })
    : fc.dictionary(nastyString, nastyValue, { maxKeys: 3 });
  return fc.oneof({ weight: 4, arbitrary: named }, { weight: 1, arbitrary: nastyValue });
}

/** Percent-encodes a path segment; lone surrogates (which encodeURIComponent refuses) as invalid UTF-8 bytes. */
const pathSegment = (s: string) => [...s].map((ch) => (/[\ud800-\udfff]/.test(ch) && ch.length === 1 ? '%ED%A0%80' : encodeURIComponent(ch))).join('');

const decodeSegments = (url: string) =>
  url.split('?')[0]!.split('/').map((seg) => {
    try {
      return decodeURIComponent(seg);
    } catch {
      return '';
    }
  });

async function send(method: string, url: string, payload: string | undefined) {
  await admin.ensureCsrf();
  return t.app.inject({
    method: method as 'POST',
    url,
    headers: {
      cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      accept: 'application/json',
      'x-csrf-token': admin.csrf,
      ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(payload !== undefined ? { payload } : {}),
  });
}

/** The property: no 5xx; a refusal leaves the database as it was. */
async function probe(method: string, url: string, payload: string | undefined) {
  const before = await fingerprint();
  const res = await send(method, url, payload);
  assert.ok(res.statusCode < 500, `${method} ${url} ${payload?.slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`);
  // Text no column should hold is never accepted, wherever it is in the request.
  let body: unknown;
  try {
    body = payload === undefined ? undefined : JSON.parse(payload);
  } catch {
    body = undefined;
  }
  const hostile = findTextProblem(body, { multiline: true }) ?? findTextProblem(decodeSegments(url), { multiline: false });
  if (hostile) assert.ok(res.statusCode >= 400, `${method} ${url} accepted ${hostile.field} (${hostile.message}): ${res.statusCode} ${payload?.slice(0, 200)}`);
  if (res.statusCode >= 400) assert.equal(await fingerprint(), before, `${method} ${url} was refused (${res.statusCode}) but wrote something`);
}

describe('fuzz', () => {
  test('every API write route', async () => {
    const spec = t.app.swagger() as { paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>> };
    const routes = t.app.writeRoutes.filter((r) => r.url.startsWith('/api/'));
    assert.ok(routes.length >= 30, `${routes.length} write routes`);
    for (const r of routes) {
      const op = spec.paths?.[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
      const fields = Object.keys(op?.requestBody?.content?.['application/json']?.schema?.properties ?? {});
      const params = r.url.match(/:[A-Za-z]+/g) ?? [];
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(fc.constantFrom(...known), nastyString), { minLength: params.length, maxLength: params.length }),
          fc.option(bodyFor(fields), { nil: undefined, freq: 8 }),
          async (values, body) => {
            let i = 0;
            const url = r.url.replace(/:[A-Za-z]+/g, () => pathSegment(values[i++] ?? 'x') || 'x');
            await probe(r.method, url, body === undefined ? undefined : rawJson(body));
          },
        ),
        { numRuns: 8, seed: 8 },
      );
    }
  });

  test('every importer', async () => {
    const csvCell = fc.oneof(nastyString, fc.constantFrom('demo-renewable-share', 'se-0780', '2024', '1e309', '-1', '0000', 'estimated'));
    const csv = fc
      .tuple(fc.constantFrom('indicator,area,period,value,note', 'Year,GeoCode,Value', 'indicator;area;period;value', ''), fc.array(fc.array(csvCell, { maxLength: 6 }), { maxLength: 5 }))
      .map(([head, rows]) => [head, ...rows.map((r) => r.join(','))].join('\n'));
    const jsonstat = fc.record({
      version: fc.oneof(fc.constant('2.0'), nastyValue),
      class: fc.oneof(fc.constant('dataset'), nastyValue),
      id: fc.oneof(fc.constant(['Region', 'Tid']), nastyValue),
      size: fc.oneof(fc.constant([1, 2]), fc.array(fc.oneof(fc.integer({ min: -2, max: 3 }), nastyScalar), { maxLength: 3 })),
      role: fc.oneof(fc.constant({ geo: ['Region'], time: ['Tid'] }), nastyValue),
      dimension: fc.oneof(
        fc.constant({ Region: { category: { index: ['se-0780'] } }, Tid: { category: { index: ['2024', '0000'] } } }),
        fc.record({ Region: nastyValue, Tid: fc.record({ category: fc.record({ index: nastyValue, label: nastyValue, unit: nastyValue }) }) }),
      ),
      value: fc.oneof(fc.array(nastyScalar, { maxLength: 3 }), fc.dictionary(nastyString, nastyScalar, { maxKeys: 2 }), nastyScalar),
      status: fc.option(nastyValue, { nil: undefined }),
    }, { requiredKeys: [] });
    const kolada = fc.record({
      values: fc.oneof(
        fc.array(fc.record({ kpi: fc.oneof(fc.constant('N00001'), nastyScalar), municipality: fc.oneof(fc.constant('0780'), nastyScalar), period: fc.oneof(fc.constant(2024), nastyScalar), values: fc.oneof(fc.array(fc.oneof(fc.record({ gender: nastyScalar, value: nastyScalar, status: nastyScalar }), nastyScalar), { maxLength: 2 }), nastyScalar) }, { requiredKeys: [] }), { maxLength: 3 }),
        nastyValue,
      ),
    }, { requiredKeys: [] });
    const mapping = fc.option(fc.record({ area: nastyValue, indicator: nastyValue, country: nastyValue, columns: nastyValue, dims: nastyValue }, { requiredKeys: [] }), { nil: undefined });
    const cases = [
      ['long', csv.map((c) => c)],
      ['opensdg', csv.map((c) => c)],
      ['jsonstat', jsonstat.map(rawJson)],
      ['kolada', kolada.map(rawJson)],
    ] as const;
    for (const [format, content] of cases) {
      await fc.assert(
        fc.asyncProperty(content, mapping, fc.boolean(), async (c, m, dryRun) => {
          await probe('POST', '/api/imports', rawJson({ format, filename: `fuzz.${format === 'jsonstat' || format === 'kolada' ? 'json' : 'csv'}`, content: c || 'x', dryRun, ...(m ? { mapping: m } : {}) }));
        }),
        { numRuns: 25, seed: 8 },
      );
    }
  });
});
