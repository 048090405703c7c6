import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { areaKeyFromCode, breakdownKey, normalisePeriod, parseBreakdown, parseValue, summariseFile, unpack } from '../indicator-model/index.js';
import { FileFormatError, parseCsvColumns, parseFile, parseFilePacked, parseOpenSdgMeta, previewFile, readJsonStat, koladaGroups, koladaKpisToMeta, koladaMunicipalitiesToAreas } from './importers/index.js';
import { fixture } from '../../../test/indicators-support.js';
import { SDG_GOALS, sdgTargets } from '../indicators/index.js';

const csv = (s: string) => Buffer.from(s, 'utf8');

describe('normalisers', () => {
  it('accepts the period forms and rejects others', () => {
    assert.equal(normalisePeriod('2020'), '2020');
    assert.equal(normalisePeriod(2020), '2020');
    assert.equal(normalisePeriod('2015–2016'), '2015-2016');
    assert.equal(normalisePeriod('2020K3'), '2020-Q3');
    assert.equal(normalisePeriod('2020Q1'), '2020-Q1');
    assert.equal(normalisePeriod('2020M03'), '2020-03');
    assert.equal(normalisePeriod('2016-2015'), null);
    assert.equal(normalisePeriod('2020-13'), null);
    assert.equal(normalisePeriod('twenty'), null);
  });
  it('turns official codes into area keys per country', () => {
    assert.equal(areaKeyFromCode('0780', 'SE'), 'se-0780');
    assert.equal(areaKeyFromCode('0007', 'SE'), 'se-07');
    assert.equal(areaKeyFromCode('0000', 'SE'), 'se');
    assert.equal(areaKeyFromCode('K-3103', 'NO'), 'no-3103');
    assert.equal(areaKeyFromCode('657', 'DK'), 'dk-657');
    assert.equal(areaKeyFromCode('NO-1506'), 'no-1506');
    assert.equal(areaKeyFromCode('0780'), null);
  });
  it('parses numbers as people type them', () => {
    assert.equal(parseValue('12,5'), 12.5);
    assert.equal(parseValue('1 234,5'), 1234.5);
    assert.equal(parseValue('−3.2'), -3.2);
    assert.equal(parseValue('1e3'), 1000);
    assert.equal(parseValue('12a'), 'invalid');
    assert.equal(parseValue(''), null);
  });
  it('keeps breakdown keys canonical and reversible', () => {
    const k = breakdownKey({ sex: 'F', age: '0-17', x: '' });
    assert.equal(k, 'age=0-17;sex=F');
    assert.deepEqual(parseBreakdown(breakdownKey({ 'a;b': 'c=d%' })), { 'a;b': 'c=d%' });
    assert.equal(breakdownKey({}), '');
  });
});

describe('SDG framework data', () => {
  it('ships 17 goals named in four languages and 169 targets', () => {
    assert.equal(SDG_GOALS.length, 17);
    for (const g of SDG_GOALS) for (const l of ['en', 'sv', 'nb', 'da'] as const) assert.ok(g.short[l].length > 2, `${g.code} ${l}`);
    const targets = sdgTargets();
    assert.equal(targets.length, 169);
    assert.equal(new Set(targets.map((t) => t.code)).size, 169);
    assert.ok(targets.find((t) => t.code === '11.6')?.title.includes('environmental impact of cities'));
  });
});

describe('Open SDG CSV', () => {
  it('reads Year, disaggregations, GeoCode, Units and Value, taking the indicator from the file name', async () => {
    const r = await parseFile('opensdg', 'indicator_11-6-1.csv', fixture('indicator_11-6-1.csv'));
    assert.deepEqual(r.errors, []);
    assert.equal(r.rows.length, 8);
    assert.deepEqual(r.rows[3], { line: 5, indicator: '11-6-1', area: 'se-0780', period: '2019', breakdown: 'Waste type=Food', value: 22.5, status: '', note: '' });
    assert.deepEqual(r.units, { '11-6-1': 'Percent' });
  });
  it('uses a fixed area when there is no GeoCode column (a city dataset)', async () => {
    const r = await parseFile('opensdg', 'indicator_1-2-1.csv', csv('Year,Age,Units,Value\n2012,,Percent,23.3\n2012,Under 18 years,Percent,34\n'), { area: 'se-0780' });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.rows.map((x) => [x.area, x.breakdown]), [['se-0780', ''], ['se-0780', 'Age=Under 18 years']]);
  });
  it('names a missing column and a column that does not exist', async () => {
    const r = await parseFile('opensdg', 'indicator_1-2-1.csv', csv('Year,Amount\n2012,3\n'), { area: 'se-0780' });
    assert.deepEqual(r.errors.map((e) => e.field), ['value']);
    const r2 = await parseFile('long', 'x.csv', csv('indicator,area,period,value\nx,se,2020,1\n'), { columns: { Valeur: 'value' } });
    assert.match(r2.errors[0]!.message, /column "Valeur", which the file does not have/);
  });
  it('reads the metadata front matter', () => {
    const m = parseOpenSdgMeta(fixture('11-6-1.md').toString('utf8'));
    assert.equal(m.code, '11-6-1');
    assert.equal(m.name, 'Share of municipal solid waste recycled');
    assert.deepEqual(m.sdgTargets, ['11.6']);
    assert.equal(m.unit, 'Percent');
    assert.throws(() => parseOpenSdgMeta('---\nfoo: [\n---\n'), FileFormatError);
  });
});

describe('long CSV and XLSX template', () => {
  it('reports a non-numeric value, a bad period and a duplicate with row numbers', async () => {
    const r = await parseFile('long', 'long-bad.csv', fixture('long-bad.csv'));
    assert.deepEqual(
      r.errors.map((e) => [e.line, e.message]),
      [
        [3, '"twenty" is not a period (use 2020, 2015-2016, 2020-Q1 or 2020-03)'],
        [4, '"abc" is not a number'],
        [6, 'duplicate of row 2 (same indicator, area, period and breakdown)'],
      ],
    );
  });
  it('reads semicolon-separated files with decimal commas', async () => {
    const r = await parseFile('long', 'x.csv', csv('indicator;area;period;value\ndemo;se-0780;2020;12,5\n'));
    assert.deepEqual(r.errors, []);
    assert.equal(r.rows[0]!.value, 12.5);
  });
  it('requires a status for empty values and rejects unknown statuses', async () => {
    const r = await parseFile('long', 'x.csv', csv('indicator,area,period,value,status\nd,se,2020,,\nd,se,2021,,confidential\nd,se,2022,1,weird\n'));
    assert.deepEqual(r.errors.map((e) => [e.line, e.field]), [[2, 'value'], [4, 'status']]);
    assert.deepEqual(r.rows.map((x) => [x.period, x.value, x.status]), [['2021', null, 'confidential']]);
  });
  it('reads an XLSX workbook', async () => {
    const r = await parseFile('long', 'long-template.xlsx', fixture('long-template.xlsx'));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.rows.map((x) => [x.area, x.period, x.value, x.status]), [
      ['se-0780', '2019', 12.1, ''],
      ['no-1506', '2019', 13.7, 'estimated'],
      ['dk-657', '2019', 9.4, ''],
    ]);
  });
  it('previews columns with a guessed mapping', async () => {
    const p = await previewFile('long', 'long-template.csv', fixture('long-template.csv'));
    assert.equal(p.kind, 'table');
    if (p.kind === 'table') {
      assert.equal(p.rowCount, 7);
      assert.deepEqual(p.mapping.columns, { indicator: 'indicator', area: 'area', period: 'period', value: 'value', status: 'status', note: 'note', gender: 'breakdown' });
    }
  });
});

describe('JSON-stat 2.0', () => {
  it('maps SSB dimensions: region to area, Tid to period, ContentsCode to indicator, the rest to breakdowns', async () => {
    const r = await parseFile('jsonstat', 'ssb.json', fixture('ssb-jsonstat.json'), { country: 'NO' });
    assert.deepEqual(r.errors, []);
    assert.equal(r.rows.length, 12);
    assert.deepEqual(r.rows[0], { line: 1, indicator: 'Personer1', area: 'no-1506', period: '2022', breakdown: 'Kjonn=1', value: 16012, status: '', note: '' });
    assert.deepEqual(r.rows[8], { line: 9, indicator: 'Personer1', area: 'no-3242', period: '2024', breakdown: 'Kjonn=1', value: null, status: 'missing', note: '' });
    assert.deepEqual([r.indicators[0]!.decimals, r.indicators[0]!.unit, r.indicators[0]!.name], [0, 'personer', 'Personer']);
  });
  it('rejects a dataset whose size does not match its values', async () => {
    await assert.rejects(parseFile('jsonstat', 'bad.json', fixture('ssb-jsonstat-badsize.json'), { country: 'NO' }), /"size" gives 6 cells \(2 × 3\) but "value" has 5/);
  });
  it('asks for the country when area codes are not keys', async () => {
    const r = await parseFile('jsonstat', 'ssb.json', fixture('ssb-jsonstat.json'));
    assert.match(r.errors[0]!.message, /choose the country/);
  });
  it('requires exactly one area and one period dimension', async () => {
    const r = await parseFile('jsonstat', 'ssb.json', fixture('ssb-jsonstat.json'), { country: 'NO', dims: { Tid: 'breakdown' } });
    assert.deepEqual(r.errors.map((e) => e.field), ['period']);
  });
  it('reads JSON-stat 1.0 (id, size and role inside "dimension"), as Statistics Denmark answers', async () => {
    const v2 = JSON.parse(fixture('ssb-jsonstat.json').toString('utf8'));
    const { id, size, role, version: _v, class: _c, ...rest } = v2;
    const v1 = { dataset: { ...rest, dimension: { ...v2.dimension, id, size, role } } };
    const r = await parseFile('jsonstat', 'dst.json', Buffer.from(JSON.stringify(v1)), { country: 'NO' });
    assert.deepEqual(r.errors, []);
    assert.equal(r.rows.length, 12);
  });

  it('reads codes such as "constructor" as codes, never as what every object inherits', async () => {
    const ds = {
      version: '2.0', class: 'dataset', id: ['ContentsCode', 'Region', 'Tid'], size: [1, 2, 1],
      dimension: { ContentsCode: { category: { index: ['constructor'], label: {} } }, Region: { category: { index: ['valueOf', 'se-0780'] } }, Tid: { category: { index: ['2020'] } } },
      value: [1, 2],
    };
    const r = await parseFile('jsonstat', 'x.json', Buffer.from(JSON.stringify(ds)), { dims: { ContentsCode: 'indicator', Region: 'area', Tid: 'period' }, codes: { TOTAL: 'skip' } });
    assert.deepEqual(r.errors.map((e) => [e.line, e.field]), [[1, 'Region']]);
    assert.match(r.errors[0]!.message, /"valueOf" is not an area code/);
    assert.deepEqual(r.indicators.map((i) => [i.code, i.name]), [['constructor', 'constructor']]);
    const t = await parseFile('long', 'x.csv', csv('indicator,area,period,value\nx-1,toString,2020,1\nx-1,0780,2020,2\n'), { country: 'SE', codes: { TOTAL: 'skip' } });
    assert.deepEqual(t.errors.map((e) => [e.line, e.field, e.message]), [[2, 'area', '"toString" is not an area code']]);
  });

  it('dimensions named "constructor" and "__proto__" are breakdowns like any other', async () => {
    const ds = {
      version: '2.0', class: 'dataset', id: ['constructor', '__proto__', 'Region', 'Tid'], size: [2, 2, 1, 1],
      dimension: JSON.parse('{"constructor": {"category": {"index": ["a", "b"]}}, "__proto__": {"category": {"index": ["c", "d"]}}, "Region": {"category": {"index": ["se-0780"]}}, "Tid": {"category": {"index": ["2020"]}}}'),
      value: [1, 2, 3, 4],
    };
    const file = Buffer.from(JSON.stringify(ds));
    // The mapping step's guess names both, as own members.
    const preview = await previewFile('jsonstat', 'x.json', file);
    assert.ok(preview.kind === 'jsonstat');
    assert.deepEqual(Object.keys(preview.mapping.dims), ['constructor', '__proto__', 'Region', 'Tid']);
    const r = await parseFile('jsonstat', 'x.json', file, { dims: { Region: 'area', Tid: 'period' }, indicator: 'x-1' });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.rows.map((x) => [x.breakdown, x.value]), [['__proto__=c;constructor=a', 1], ['__proto__=d;constructor=a', 2], ['__proto__=c;constructor=b', 3], ['__proto__=d;constructor=b', 4]]);
  });

  it('names a note in Samverka’s extension that is not text instead of storing "[object Object]"', async () => {
    const ds = {
      version: '2.0', class: 'dataset', id: ['Region', 'Tid'], size: [1, 3],
      dimension: { Region: { category: { index: ['se-0780'] } }, Tid: { category: { index: ['2020', '2021', '2022'] } } },
      value: [1, 2, 3],
      extension: { samverka: { note: { '0': { a: 1 }, '1': 7, '2': 'kept' } } },
    };
    const r = await parseFile('jsonstat', 'x.json', Buffer.from(JSON.stringify(ds)), { indicator: 'x-1' });
    assert.deepEqual(r.errors.map((e) => [e.line, e.field]), [[1, 'note'], [2, 'note']]);
    assert.deepEqual(r.rows.map((x) => x.note), ['kept']);
    // A string where the notes object belongs gives no note to any cell (not its first letters).
    const s = await parseFile('jsonstat', 'x.json', Buffer.from(JSON.stringify({ ...ds, extension: { samverka: { note: 'abc' } } })), { indicator: 'x-1' });
    assert.deepEqual([s.errors, s.rows.map((x) => x.note)], [[], ['', '', '']]);
  });

  it('reports the dimensions for the mapping step', () => {
    const { dims, cells } = readJsonStat(JSON.parse(fixture('ssb-jsonstat.json').toString('utf8')));
    assert.equal(cells, 12);
    assert.deepEqual(dims.map((d) => d.id), ['Region', 'Kjonn', 'ContentsCode', 'Tid']);
    assert.deepEqual(dims[0]!.labels, ['Molde', 'Hurdal']);
  });
});

describe('Kolada API v3', () => {
  it('reads data with gender breakdowns and missing values', async () => {
    const r = await parseFile('kolada', 'k.json', fixture('kolada-data.json'));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.rows.map((x) => [x.area, x.period, x.breakdown, x.value, x.status]), [
      ['se-0780', '2022', '', 61.2, ''],
      ['se-0780', '2022', 'gender=K', 63, ''],
      ['se-0780', '2022', 'gender=M', 59.4, ''],
      ['se-0780', '2023', '', 62.8, ''],
      ['se-1487', '2023', '', null, 'missing'],
    ]);
  });
  it('reports bad entries by position', async () => {
    const bad = { values: [{ kpi: 'N1', municipality: '0780', period: 2020, values: [] }, { kpi: 'N07403', municipality: 'x', period: 'y', values: [{ gender: 'Q', value: 1 }] }] };
    const r = await parseFile('kolada', 'k.json', csv(JSON.stringify(bad)));
    assert.deepEqual(r.errors.map((e) => [e.line, e.field]), [[1, 'kpi'], [2, 'municipality'], [2, 'period']]);
    await assert.rejects(parseFile('kolada', 'k.json', csv('{"rows": []}')), /needs a "values" list/);
  });
  it('turns the catalogues into indicators, areas and groups', () => {
    const kpis = koladaKpisToMeta(JSON.parse(fixture('kolada-kpi.json').toString('utf8')));
    assert.deepEqual([kpis[0]!.code, kpis[0]!.attribution, kpis[0]!.dimensions], ['N07403', 'Källa: Kolada', ['gender']]);
    const areas = koladaMunicipalitiesToAreas(JSON.parse(fixture('kolada-municipality.json').toString('utf8')));
    assert.deepEqual(areas.map((a) => [a.key, a.level, a.code, a.parentKey]), [
      ['se', 'country', '', undefined],
      ['se-07', 'region', '07', 'se'],
      ['se-0780', 'municipality', '0780', 'se-07'],
      ['se-0765', 'municipality', '0765', 'se-07'],
    ]);
    assert.deepEqual(koladaGroups(JSON.parse(fixture('kolada-groups.json').toString('utf8'))), [{ id: 'G38400', title: 'Liknande kommuner, Växjö', memberKeys: ['se-0780', 'se-0765'] }]);
  });
});

describe('the columnar CSV parse (parsing process)', () => {
  /** What the parse gave before the columnar path: rows by parseFile, summaries by summariseFile. */
  const byRows = async (format: 'long' | 'opensdg', name: string, buf: Buffer, mapping?: Parameters<typeof parseFile>[3]) => {
    const r = await parseFile(format, name, buf, mapping);
    return { ...r, ...(r.errors.length ? {} : { summaries: summariseFile(r.rows) }) };
  };
  const byColumns = async (format: 'long' | 'opensdg', name: string, buf: Buffer, mapping?: Parameters<typeof parseFile>[3]) => unpack(await parseFilePacked(format, name, buf, mapping));

  // A small deterministic generator of CSV files with the quirks files have: the same code written
  // in several ways, blank lines, a BOM, CRLF, semicolons, breakdowns, notes, statuses, units.
  // One in four files also has a fault somewhere (a duplicate, a bad cell, a second unit).
  const gen = (seed: number) => {
    let s = seed;
    const rnd = (n: number) => ((s = (s * 16807) % 2147483647) % n);
    const pick = <T,>(xs: T[]) => xs[rnd(xs.length)]!;
    const delim = pick([',', ';']);
    const eol = pick(['\n', '\r\n']);
    const withBd = rnd(3);
    const withNote = rnd(2) === 1;
    const withStatus = rnd(2) === 1;
    const withUnit = rnd(3) === 0;
    const head = ['Indicator', 'GeoCode', 'Year', ...(withBd >= 1 ? ['Sex'] : []), ...(withBd === 2 ? ['age group'] : []), ...(withStatus ? ['status'] : []), ...(withNote ? ['note'] : []), ...(withUnit ? ['Units'] : []), 'Value'];
    const lines = [head.join(delim)];
    const bad = rnd(4) === 0;
    const inds = [['ind-a', ' ind-a'], ['ind.b'], ['ind-c ', 'ind-c']];
    const areas = [['se-0780', 'SE-0780'], ['no-0301'], [' dk-101', 'dk-101']];
    const periods = [['2020', ' 2020'], ['2021'], ['2020K1', '2020-Q1'], ['2020-03']];
    for (const ind of inds) for (const area of areas) for (const per of periods) {
      if (rnd(5) === 0) continue;
      const missing = withStatus && rnd(6) === 0;
      const cells = [
        pick(ind),
        pick(area),
        pick(per),
        ...(withBd >= 1 ? [pick(['', 'F', "'=F"])] : []),
        ...(withBd === 2 ? [pick(['', '0-17', 'total'])] : []),
        ...(withStatus ? [missing ? 'm' : pick(['', 'p', 'estimated'])] : []),
        ...(withNote ? [pick(['', 'a note', ' spaced '])] : []),
        ...(withUnit ? ['%'] : []),
        missing ? '' : pick(['1.5', '12', '-3', '1 234,5', '1e3', '0.001']),
      ];
      lines.push(cells.join(delim));
      if (rnd(20) === 0) lines.push('');
    }
    if (bad) {
      const at = 1 + rnd(lines.length - 1);
      const faults = [lines[at]!, lines[at]!.replace(/[^,;]*$/, 'abc'), lines[at]!.replace(/^[^,;]*/, ''), ...(withUnit ? [lines[at]!.replace('%', 'kr')] : [])];
      lines.splice(at, 0, pick(faults));
    }
    return Buffer.from((rnd(4) === 0 ? '\uFEFF' : '') + lines.join(eol) + eol);
  };

  it('gives the rows, reports, units and summaries the row parse gives, on 300 generated files', async () => {
    let columnar = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const buf = gen(seed);
      for (const format of ['long', 'opensdg'] as const) {
        const name = format === 'opensdg' ? 'indicator_1-2-3.csv' : 'data.csv';
        assert.deepEqual(await byColumns(format, name, buf), await byRows(format, name, buf), `file ${seed} as ${format}`);
        if (parseCsvColumns(buf.toString('utf8'), format, name)) columnar++;
      }
    }
    // Both paths must be exercised: most clean files go into columns directly, the others fall back.
    assert.ok(columnar > 100 && columnar < 600, `${columnar} of 600 parses were columnar`);
  });

  it('falls back to the row parse for duplicates, bad rows, quotes and mapping problems, with the same report', async () => {
    const cases: [string, Parameters<typeof parseFile>[3]?][] = [
      ['indicator,area,period,value\na,se-0780,2020,1\na,SE-0780, 2020,2\n'],
      ['indicator,area,period,value\na,se-0780,2020,1\na,se-0780,2021,x\n'],
      ['indicator,area,period,value\na,"se-0780",2020,1\n'],
      ['indicator,area,period,value\na,se-0780,2020,1\n', { columns: { missing: 'value' } }],
      ['indicator,area,period,value,units\na,se-0780,2020,1,%\na,se-0780,2021,1,kr\n'],
      ['indicator,area,period,value\na,0780,2020,1\na,x,2021,1\n', { country: 'SE', codes: { x: 'skip' } }],
    ];
    for (const [text, mapping] of cases) {
      const buf = Buffer.from(text);
      assert.deepEqual(await byColumns('long', 'f.csv', buf, mapping), await byRows('long', 'f.csv', buf, mapping), text);
    }
    assert.equal(parseCsvColumns(cases[0]![0], 'long', 'f.csv'), null, 'a duplicate after normalising is left to the row parse');
    assert.ok(parseCsvColumns(cases[5]![0], 'long', 'f.csv', cases[5]![1]), 'a skipped area code stays columnar');
  });
});
