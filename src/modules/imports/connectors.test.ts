import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fetchKoladaKpi, fetchPxWeb, koladaAll, ConnectorError, type Fetch } from './connectors.js';
import { parseKoladaData, koladaKpisToMeta } from './importers/kolada.js';
import { parseJsonStat, guessJsonStatMapping, readJsonStat } from './importers/jsonstat.js';
import { fixture } from '../../../test/indicators-support.js';

/** Replays recorded responses by URL and remembers what was asked. */
function replay(routes: Record<string, unknown>): Fetch & { calls: string[] } {
  const calls: string[] = [];
  const f = (async (url: string) => {
    calls.push(url);
    const body = routes[url];
    if (body === undefined) return { ok: false, status: 404, statusText: 'Not Found', json: async () => ({}) };
    return { ok: true, status: 200, statusText: 'OK', json: async () => JSON.parse(JSON.stringify(body)) };
  }) as Fetch & { calls: string[] };
  f.calls = calls;
  return f;
}

const json = (name: string) => JSON.parse(fixture(name).toString('utf8'));

describe('Kolada connector', () => {
  it('fetches a KPI with its metadata and follows next_page', async () => {
    const data = json('kolada-data.json');
    const page1 = { ...data, values: data.values.slice(0, 2), next_page: 'https://api.kolada.se/v3/data/kpi/N07403/municipality/0780,1487/year/2022,2023?per_page=5000&page=2' };
    const page2 = { ...data, values: data.values.slice(2), next_page: null };
    const f = replay({
      'https://api.kolada.se/v3/data/kpi/N07403/municipality/0780,1487/year/2022,2023?per_page=5000': page1,
      'https://api.kolada.se/v3/data/kpi/N07403/municipality/0780,1487/year/2022,2023?per_page=5000&page=2': page2,
      'https://api.kolada.se/v3/kpi/N07403': json('kolada-kpi.json'),
    });
    const res = await fetchKoladaKpi(f, 'N07403', { municipalities: ['0780', '1487'], years: [2022, 2023] });
    assert.equal(res.data.values.length, 3);
    assert.equal(parseKoladaData(res.data).rows.length, 5);
    assert.equal(koladaKpisToMeta(res.kpi)[0]!.name.startsWith('Andel förnybar energi'), true);
    assert.equal(f.calls.length, 3);
  });
  it('reports HTTP errors and bad ids', async () => {
    await assert.rejects(koladaAll(replay({}), 'https://api.kolada.se/v3/kpi/X'), ConnectorError);
    await assert.rejects(fetchKoladaKpi(replay({}), 'nope'), /not a Kolada KPI id/);
  });
});

describe('PxWebApi connector', () => {
  it('asks PxWebApi 2 for JSON-stat 2 and returns a dataset the importer reads', async () => {
    const url = 'https://data.ssb.no/api/pxwebapi/v2/tables/07459/data?lang=no&outputFormat=json-stat2&valueCodes%5BRegion%5D=1506%2C3242&valueCodes%5BTid%5D=2022%2C2023%2C2024';
    const f = replay({ [url]: json('ssb-jsonstat.json') });
    const ds = await fetchPxWeb(f, 'ssb', '07459', { lang: 'no', valueCodes: { Region: ['1506', '3242'], Tid: ['2022', '2023', '2024'] } });
    const { ds: d, dims } = readJsonStat(ds);
    const r = parseJsonStat(ds, { ...guessJsonStatMapping(d, dims), country: 'NO' });
    assert.deepEqual(r.errors, []);
    assert.equal(r.rows.length, 12);
  });
  it('unwraps Statistics Denmark responses posted to /data', async () => {
    const calls: { url: string; body?: string }[] = [];
    const f: Fetch = async (url, init) => {
      calls.push({ url, body: init?.body });
      return { ok: true, status: 200, statusText: 'OK', json: async () => ({ dataset: { ...json('ssb-jsonstat.json'), class: undefined } }) };
    };
    const ds = (await fetchPxWeb(f, 'dst', 'FOLK1A', { valueCodes: { OMRÅDE: ['657'] } })) as { id: string[] };
    assert.deepEqual(ds.id, ['Region', 'Kjonn', 'ContentsCode', 'Tid']);
    assert.equal(calls[0]!.url, 'https://api.statbank.dk/v1/data');
    assert.deepEqual(JSON.parse(calls[0]!.body!).variables, [{ code: 'OMRÅDE', values: ['657'] }]);
  });
});
