/**
 * One input guard, safe exports and the small ones of issue #8: each defect the issue lists, as
 * a request that used to answer 500 (or succeed where it must not) and now gets its 4xx.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, TEST_SECRET, createTestApp, snapshot, type TestApp } from './helpers.js';
import { hmac } from '../src/platform/crypto.js';
import { escapeIcalText as escapeText } from '../src/modules/meetings/index.js';
import { findTextProblem, spreadsheetText } from '../src/platform/text.js';

let t: TestApp;
let admin: Agent;
let editor: Agent;
let anon: Agent;
const TABLES = ['organisations', 'people', 'memberships', 'commitments', 'audit_events', 'meetings', 'ind_indicators', 'ind_observations', 'ind_import_batches'];
const snap = () => snapshot(t.db, TABLES);

before(async () => {
  t = await createTestApp({ demo: true });
  await t.makeUser({ email: 'admin@example.org', admin: true });
  await t.makeUser({ email: 'editor@example.org', roles: { 'kommunnatverket-for-hallbar-utveckling': 'editor' } });
  admin = await t.agent('admin@example.org');
  editor = await t.agent('editor@example.org');
  anon = await t.agent();
});
after(() => t.close());

/** 422 naming the field, and nothing written. */
async function rejected(agent: Agent, method: 'GET' | 'POST' | 'PUT', url: string, body: unknown, field: string | RegExp) {
  const before = await snap();
  const res = await agent.api(method, url, body);
  assert.equal(res.statusCode, 422, `${method} ${url}: ${res.statusCode} ${res.body.slice(0, 400)}`);
  const fields = (res.json().errors as { field: string }[]).map((e) => e.field);
  assert.ok(fields.some((f) => (typeof field === 'string' ? f === field : field.test(f))), `field ${field} in ${fields.join(', ')}`);
  assert.deepEqual(await snap(), before);
  return res;
}

describe('control characters and lone surrogates are refused with 422 naming the field', () => {
  test('NUL in body text, nested text and a field name', async () => {
    await rejected(editor, 'POST', '/api/people', { name: 'Eva\u0000Nul', lang: 'sv' }, 'name');
    await rejected(editor, 'POST', '/api/commitments', { title: 'Ok', lang: 'sv', body: 'Line\u0007bell' }, 'body');
    await rejected(admin, 'POST', '/api/imports', { format: 'long', content: 'x', mapping: { columns: { 'a\u0000': 'area' } } }, /^mapping\.columns/);
  });

  test('lone surrogates on PUT', async () => {
    const p = await editor.api('POST', '/api/people', { name: 'Surrogat Testsson', lang: 'sv' });
    assert.equal(p.statusCode, 201, p.body);
    await rejected(editor, 'PUT', `/api/people/${p.json().id}`, { name: 'Bad \ud800 name', lang: 'sv' }, 'name');
    await rejected(editor, 'PUT', `/api/people/${p.json().id}`, { name: 'Bad \udc00 name', lang: 'sv' }, 'name');
  });

  test('NUL in a path or query parameter', async () => {
    await rejected(anon, 'GET', '/api/organisations/%00', undefined, 'params.id');
    await rejected(anon, 'GET', '/api/organisations?search=a%00b', undefined, 'query.search');
    await rejected(anon, 'GET', '/api/people?search=%0d%0a', undefined, 'query.search');
  });

  test('tabs and newlines stay allowed in text', async () => {
    const res = await editor.api('POST', '/api/commitments', { title: 'Med radbrytning', lang: 'sv', body: 'Första raden\nAndra\traden\r\n' });
    assert.equal(res.statusCode, 201, res.body);
  });

  test('findTextProblem names nested fields and stops at uploaded buffers', () => {
    assert.deepEqual(findTextProblem({ a: [{ b: 'x\u0001' }] }), { field: 'a.0.b', message: 'The text contains a control character (U+0001)' });
    assert.equal(findTextProblem({ file: Buffer.from([0, 1, 2]) }), null);
  });
});

describe('importers refuse what used to crash or be stored', () => {
  const jsonstat = (over: Record<string, unknown>) => ({
    version: '2.0', class: 'dataset', id: ['Region', 'Tid'], size: [1, 1], role: { geo: ['Region'], time: ['Tid'] },
    dimension: { Region: { category: { index: ['se-0780'] } }, Tid: { category: { index: ['2024'] } } },
    value: [1], ...over,
  });
  const jsonstatImport = (ds: unknown) => ({ format: 'jsonstat', filename: 'x.json', content: JSON.stringify(ds), mapping: { indicator: 'demo-renewable-share' } });

  test('JSON-stat with a role of the wrong type, or value null', async () => {
    await rejected(admin, 'POST', '/api/imports', jsonstatImport(jsonstat({ role: { time: 'Tid' } })), 'content');
    await rejected(admin, 'POST', '/api/imports', jsonstatImport(jsonstat({ role: 'geo' })), 'content');
    await rejected(admin, 'POST', '/api/imports', jsonstatImport(jsonstat({ value: null })), 'content');
    await rejected(admin, 'POST', '/api/imports', jsonstatImport(jsonstat({ dimension: { Region: { category: { index: [7] } }, Tid: { category: { index: ['2024'] } } } })), 'content');
  });

  test('a numeric Kolada gender', async () => {
    const k = { values: [{ kpi: 'N00001', municipality: '0780', period: 2024, values: [{ gender: 1, value: 2 }, null] }] };
    await rejected(admin, 'POST', '/api/imports', { format: 'kolada', content: JSON.stringify(k) }, /gender|values/);
  });

  test('an object as mapping.area', async () => {
    await rejected(admin, 'POST', '/api/imports', { format: 'long', content: 'indicator,period,value\ndemo-renewable-share,2024,1\n', mapping: { area: { key: 'se-0780' } } }, 'mapping.area');
  });

  test('1e309 in every importer, and the public routes keep answering', async () => {
    await rejected(admin, 'POST', '/api/imports', { format: 'long', content: 'indicator,area,period,value\ndemo-renewable-share,se-0780,2024,1e309\n' }, /value/i);
    // JSON.parse reads 1e309 as Infinity.
    await rejected(admin, 'POST', '/api/imports', { format: 'jsonstat', filename: 'x.json', content: JSON.stringify(jsonstat({})).replace('"value":[1]', '"value":[1e309]'), mapping: { indicator: 'demo-renewable-share' } }, /value/);
    await rejected(admin, 'POST', '/api/imports', { format: 'kolada', content: '{"values":[{"kpi":"N00001","municipality":"0780","period":2024,"values":[{"gender":"T","value":1e309}]}]}' }, /value/);
    for (const url of ['/api/indicators/demo-renewable-share', '/areas/se-0780', '/indicators/demo-renewable-share']) assert.equal((await anon.get(url)).statusCode, 200, url);
  });

  test('the period 0000 in every importer', async () => {
    await rejected(admin, 'POST', '/api/imports', { format: 'long', content: 'indicator,area,period,value\ndemo-renewable-share,se-0780,0000,1\n' }, /period/i);
    await rejected(admin, 'POST', '/api/imports', jsonstatImport(jsonstat({ dimension: { Region: { category: { index: ['se-0780'] } }, Tid: { category: { index: ['0000'] } } } })), /Tid|period/);
    await rejected(admin, 'POST', '/api/imports', { format: 'kolada', content: '{"values":[{"kpi":"N00001","municipality":"0780","period":"0000","values":[{"gender":"T","value":1}]}]}' }, /period/);
  });

  test('NUL inside an imported CSV note', async () => {
    await rejected(admin, 'POST', '/api/imports', { format: 'long', content: 'indicator,area,period,value,note\ndemo-renewable-share,se-0780,2024,1,bad\u0000note\n' }, 'content');
  });
});

describe('exports are safe to open in a spreadsheet', () => {
  test('formula cells in notes and breakdowns are neutralised; values stay numbers; the file imports back unchanged', async () => {
    const csv = 'indicator,area,period,value,note,Sector\n' +
      'demo-renewable-share,se-0780,2031,-4.5,"=HYPERLINK(""http://evil.example"",""x"")",+SUM(A1)\n' +
      'demo-renewable-share,se-0780,2032,2,@SUM(A1),-minus\n';
    const imp = await admin.api('POST', '/api/imports', { format: 'long', content: csv });
    assert.equal(imp.statusCode, 200, imp.body);
    const out = await anon.get('/api/export/opensdg/demo-renewable-share.csv?areas=se-0780');
    assert.equal(out.statusCode, 200);
    const lines = out.body.split('\n').filter((l) => l.includes('2031') || l.includes('2032'));
    assert.equal(lines.length, 2, out.body);
    for (const l of lines) {
      const cells = l.split(',');
      for (const c of cells.slice(0, -1)) assert.doesNotMatch(c.replace(/^"/, ''), /^[=+\-@\t\r]/, `cell ${c} in ${l}`);
    }
    assert.ok(lines.some((l) => l.endsWith(',-4.5')), 'a negative value stays a number');
    assert.ok(out.body.includes(`'+SUM(A1)`) && out.body.includes(`'@SUM(A1)`) && out.body.includes(`"'=HYPERLINK(`));
    const back = await admin.api('POST', '/api/imports', { format: 'opensdg', filename: 'indicator_demo-renewable-share.csv', content: out.body });
    assert.equal(back.statusCode, 200, back.body);
    assert.equal(back.json().inserted + back.json().updated, 0, 'the neutralised cells read back as they were');
  });

  test('spreadsheetText', () => {
    assert.deepEqual(['=1', '+1', '-x', '@x', '\tx', '\rx', 'ok', ''].map(spreadsheetText), [`'=1`, `'+1`, `'-x`, `'@x`, `'\tx`, `'\rx`, 'ok', '']);
  });
});

describe('the small ones', () => {
  test('an anonymous API write gets 401, not 403 csrf_invalid', async () => {
    const fresh = new Agent(t.app);
    const res = await fresh.api('POST', '/api/people', { name: 'X', lang: 'sv' }, { csrf: false });
    assert.equal(res.statusCode, 401, res.body);
    assert.equal(res.json().code, 'unauthenticated');
  });

  test('_csrf in the query string is not accepted; in the form body it is', async () => {
    const before = await snap();
    const res = await t.app.inject({
      method: 'POST', url: `/api/people?_csrf=${encodeURIComponent(editor.csrf)}`,
      headers: { cookie: [...editor.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/json', accept: 'application/json' },
      payload: JSON.stringify({ name: 'Query Token', lang: 'sv' }),
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'csrf_invalid');
    assert.deepEqual(await snap(), before);
    const form = await editor.postForm('/people', { name: 'Form Token', lang: 'sv' });
    assert.notEqual(form.statusCode, 403);
  });

  test('the sign-in limit counts per account as well as per address', async () => {
    const small = await createTestApp({ config: { SIGNIN_RATE_LIMIT: '3' } });
    try {
      await small.makeUser({ email: 'target@example.org' });
      const codes: number[] = [];
      for (let i = 1; i <= 5; i++) {
        const a = new Agent(small.app);
        await a.ensureCsrf();
        const res = await small.app.inject({
          method: 'POST', url: '/signin', remoteAddress: `10.0.0.${i}`,
          headers: { cookie: `samverka_csrf=${a.cookies.get('samverka_csrf')}`, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: hmac(TEST_SECRET, a.cookies.get('samverka_csrf')!), email: 'Target@example.org', password: 'wrong guess' }).toString(),
        });
        codes.push(res.statusCode);
      }
      assert.deepEqual(codes, [401, 401, 401, 429, 429]);
    } finally {
      await small.close();
    }
  });

  test('the download sandbox CSP survives, and a public file is not kept by shared caches', async () => {
    const [file] = await t.db.query<{ id: string }>(
      `SELECT f.id FROM meeting_files f JOIN meetings m ON m.id = f.meeting_id LEFT JOIN agenda_items i ON i.id = f.agenda_item_id
       WHERE f.is_public AND (i.id IS NULL OR i.is_public) AND m.agenda_published_at IS NOT NULL AND m.deleted_at IS NULL LIMIT 1`,
    );
    assert.ok(file, 'the demo has a public file');
    const res = await anon.get(`/meetings/files/${file!.id}/download`);
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-security-policy'] as string, /sandbox/);
    assert.match(res.headers['cache-control'] as string, /^private/);
  });

  test('iCalendar text has no control characters', () => {
    assert.equal(escapeText('Möte\u0000\u0007 om; budget,\nrad2\u001b'), 'Möte om\\; budget\\,\\nrad2');
  });
});
