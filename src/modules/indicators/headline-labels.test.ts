/**
 * Headline series changed after import (API and page, who may, what it moves), and category
 * labels kept from the source (JSON-stat with PxWeb's language, Kolada's gender codes), shown
 * next to their codes and written back by the JSON-stat export.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type Agent, type TestApp } from '../../../test/helpers.js';
import { recomputeStale } from '../progress/index.js';
import { parseFile } from '../imports/index.js';
import { importObservations } from './observations.js';
import { actor, insertTestAreas } from '../../../test/indicators-support.js';

let t: TestApp;
let owner: Agent;
let other: Agent;
let admin: Agent;
let anon: Agent;

const ssb = {
  version: '2.0',
  class: 'dataset',
  label: 'Avstand til nærmeste skole',
  source: 'Statistisk sentralbyrå',
  id: ['Region', 'Avstand1', 'Tid'],
  size: [1, 3, 2],
  role: { geo: ['Region'], time: ['Tid'] },
  dimension: {
    Region: { label: 'region', category: { index: { '1506': 0 }, label: { '1506': 'Molde' } } },
    Avstand1: { label: 'avstand til skole', category: { index: { '01': 0, '02': 1, '03': 2 }, label: { '01': 'Under 1 km', '02': '1-2 km', '03': '03' } } },
    Tid: { label: 'år', category: { index: { '2022': 0, '2023': 1 } } },
  },
  value: [10, 11, 20, 21, 5, 6],
  extension: { px: { language: 'no', tableid: '12345' } },
};

before(async () => {
  t = await createTestApp();
  await insertTestAreas(t.db);
  await t.makeUser({ email: 'owner@example.org' });
  await t.makeUser({ email: 'other@example.org' });
  await t.makeUser({ email: 'admin@example.org', admin: true });
  [owner, other, admin, anon] = await Promise.all([t.agent('owner@example.org'), t.agent('other@example.org'), t.agent('admin@example.org'), t.agent()]);
  const parsed = await parseFile('jsonstat', 'ssb.json', Buffer.from(JSON.stringify(ssb)), { country: 'NO', indicator: 'ssb-avstand' });
  assert.deepEqual(parsed.errors, []);
  parsed.indicators.push({ code: 'ssb-avstand', name: 'Avstand til skole', lang: 'nb', direction: 'lower' });
  const r = await importObservations(t.db, actor, parsed, { format: 'jsonstat' });
  assert.equal(r.ok, true, JSON.stringify(r.errors));
  await t.db.query(`UPDATE ind_indicators SET owner_user_id = (SELECT id FROM users WHERE email = 'owner@example.org') WHERE code = 'ssb-avstand'`);
});
after(() => t?.close());

const summary = async () =>
  (await t.db.query<{ latest_value: number; v: number }>(
    `SELECT s.latest_value, i.data_version AS v FROM ind_area_summary s JOIN ind_indicators i ON i.id = s.indicator_id JOIN areas a ON a.id = s.area_id
     WHERE i.code = 'ssb-avstand' AND a.key = 'no-1506'`,
  ))[0]!;
const audits = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'indicators.indicator.headline'`))[0]!.n;

describe('category labels', () => {
  it('stores dimension and category labels with the source language, only those that say more than the code', async () => {
    const rows = await t.db.query<{ dimension: string; code: string; label: string; lang: string }>(
      `SELECT l.dimension, l.code, l.label, l.lang FROM ind_labels l JOIN ind_indicators i ON i.id = l.indicator_id WHERE i.code = 'ssb-avstand' ORDER BY l.dimension, l.code`,
    );
    assert.deepEqual(rows, [
      { dimension: 'Avstand1', code: '', label: 'avstand til skole', lang: 'nb' },
      { dimension: 'Avstand1', code: '01', label: 'Under 1 km', lang: 'nb' },
      { dimension: 'Avstand1', code: '02', label: '1-2 km', lang: 'nb' },
    ]);
  });

  it('the indicator page shows the labels next to the codes, in the source language', async () => {
    const res = await anon.get('/indicators/ssb-avstand');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<td lang="nb" data-label="Breakdown">avstand til skole: 1-2 km \(02\)<\/td>/);
    assert.match(res.body, /<dd lang="nb">avstand til skole: Under 1 km \(01\)<\/dd>/, 'the headline series, by its labels');
    assert.match(res.body, /avstand til skole: 03</, 'a category without its own label shows its code');
    assert.doesNotMatch(res.body, /Avstand1: 01/);
  });

  it('the JSON-stat export writes the labels back, and importing it changes nothing', async () => {
    const res = await anon.api('GET', '/api/export/jsonstat/ssb-avstand');
    assert.equal(res.statusCode, 200);
    const ds = res.json();
    assert.equal(ds.dimension.breakdown.category.label['Avstand1=01'], 'avstand til skole: Under 1 km (01)');
    assert.deepEqual(ds.extension.samverka.labels['ssb-avstand'], { Avstand1: { lang: 'nb', label: 'avstand til skole', categories: { '01': 'Under 1 km', '02': '1-2 km' } } });
    const before = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events'))[0]!.n;
    const again = await parseFile('jsonstat', 'export.json', Buffer.from(res.body));
    assert.deepEqual(again.errors, []);
    assert.equal(again.labels?.length, 3);
    const r = await importObservations(t.db, actor, again, { format: 'jsonstat' });
    assert.deepEqual([r.ok, r.inserted, r.updated, r.indicatorsChanged, r.batchId], [true, 0, 0, 0, null]);
    assert.equal((await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events'))[0]!.n, before);
  });

  it('Kolada gender codes get their Swedish labels', async () => {
    const kolada = { values: [{ kpi: 'N00945', municipality: '0780', period: 2022, values: [{ gender: 'T', value: 5 }, { gender: 'K', value: 6 }, { gender: 'M', value: 4 }] }] };
    const parsed = await parseFile('kolada', 'k.json', Buffer.from(JSON.stringify(kolada)));
    assert.deepEqual(parsed.labels?.map((l) => `${l.dimension}:${l.code}=${l.label}@${l.lang}`), ['gender:=Kön@sv', 'gender:K=Kvinnor@sv', 'gender:M=Män@sv']);
  });
});

describe('changing the headline series', () => {
  const put = (a: Agent, code: string, breakdown: string, csrf = true) => a.api('PUT', `/api/indicators/${code}/headline`, { breakdown }, { csrf });

  it('was chosen at import: the breakdown with most values, as the file has no total', async () => {
    const [ind] = await t.db.query<{ headline_breakdown: string }>(`SELECT headline_breakdown FROM ind_indicators WHERE code = 'ssb-avstand'`);
    assert.equal(ind!.headline_breakdown, 'Avstand1=01');
    assert.equal((await summary()).latest_value, 11);
  });

  it('permission matrix: anonymous 401, another user 403, no CSRF 403, unknown 404, a breakdown without values 422; nothing changes', async () => {
    const before = await summary();
    assert.equal((await put(anon, 'ssb-avstand', 'Avstand1=02')).statusCode, 401);
    assert.equal((await put(other, 'ssb-avstand', 'Avstand1=02')).statusCode, 403);
    assert.equal((await put(owner, 'ssb-avstand', 'Avstand1=02', false)).statusCode, 403);
    assert.equal((await put(owner, 'no-such-indicator', 'Avstand1=02')).statusCode, 404);
    const bad = await put(owner, 'ssb-avstand', 'Avstand1=99');
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().errors[0].field, 'breakdown');
    assert.equal((await put(owner, 'ssb-avstand', '')).statusCode, 422, 'no total values, so no total headline');
    assert.equal((await other.get('/indicators/ssb-avstand/headline')).statusCode, 403);
    assert.equal((await other.postForm('/indicators/ssb-avstand/headline', { breakdown: 'Avstand1=02' })).statusCode, 403);
    assert.deepEqual(await summary(), before);
    assert.equal(await audits(), 0);
  });

  it('the owner changes it: summaries follow, the data version moves (progress recomputes), one audit row', async () => {
    const before = await summary();
    const res = await put(owner, 'ssb-avstand', 'Avstand1=02');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { code: 'ssb-avstand', headline: 'Avstand1=02', changed: true });
    const after = await summary();
    assert.equal(after.latest_value, 21);
    assert.equal(after.v, before.v + 1);
    assert.equal(await audits(), 1);
    const rec = await recomputeStale(t.db);
    assert.ok(rec.indicators >= 1, 'the progress module sees the indicator as stale');
    // The same choice again changes nothing.
    assert.deepEqual((await put(owner, 'ssb-avstand', 'Avstand1=02')).json().changed, false);
    assert.equal(await audits(), 1);
  });

  it('a platform admin may change it too, through the page; the indicator page shows the new headline', async () => {
    const page = await admin.get('/indicators/ssb-avstand/headline');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /avstand til skole: Under 1 km \(01\)/);
    const bad = await admin.postForm('/indicators/ssb-avstand/headline', { breakdown: 'Avstand1=77' });
    assert.equal(bad.statusCode, 422);
    const res = await admin.postForm('/indicators/ssb-avstand/headline', { breakdown: 'Avstand1=03' });
    assert.equal(res.statusCode, 303);
    assert.equal((await summary()).latest_value, 6);
    const ind = await owner.get('/indicators/ssb-avstand');
    assert.match(ind.body, /avstand til skole: 03/);
    assert.match(ind.body, /href="\/indicators\/ssb-avstand\/headline"/, 'the owner is offered the change');
    assert.doesNotMatch((await other.get('/indicators/ssb-avstand')).body, /\/headline"/);
  });
});
