import { parse as parseCsv } from 'csv-parse/sync';
import type { Country } from '../model.js';
import type { AreaInput } from './kolada.js';
import { koladaMunicipalitiesToAreas } from './kolada.js';
import { FileFormatError } from './table.js';

/**
 * Official municipality lists as CSV: Sweden in Kolada's shape (id, title, type),
 * Norway (kommunenummer, kommunenavn), Denmark (lau_1, label_dk, iso_3166_2).
 * Regions come along where the file implies them: Kolada lists Swedish regions;
 * Danish rows name their region by ISO code; Norwegian counties can be given
 * as a list of {code, name} (e.g. from the county boundary file).
 */
const COUNTRY_NAMES: Record<Country, string> = { SE: 'Sverige', NO: 'Norge', DK: 'Danmark' };
const DK_REGIONS: Record<string, { code: string; name: string }> = {
  'DK-81': { code: '1081', name: 'Region Nordjylland' },
  'DK-82': { code: '1082', name: 'Region Midtjylland' },
  'DK-83': { code: '1083', name: 'Region Syddanmark' },
  'DK-84': { code: '1084', name: 'Region Hovedstaden' },
  'DK-85': { code: '1085', name: 'Region Sjælland' },
};

export function parseAreaList(text: string, country: Country, regions: { code: string; name: string }[] = []): AreaInput[] {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  } catch (err) {
    throw new FileFormatError(`The area list is not valid CSV: ${(err as Error).message}`);
  }
  const c = country.toLowerCase();
  const out: AreaInput[] = [{ key: c, country, level: 'country', code: '', name: COUNTRY_NAMES[country] }];
  if (country === 'SE') {
    const areas = koladaMunicipalitiesToAreas({ values: rows.map((r) => ({ id: r.id ?? '', title: r.title ?? '', type: r.type ?? '' })) });
    if (!areas.length) throw new FileFormatError('The Swedish list needs the columns id, title and type (Kolada shape).');
    return [...out, ...areas.filter((a) => a.level !== 'country')];
  }
  if (country === 'NO') {
    if (!rows[0] || !('kommunenummer' in rows[0])) throw new FileFormatError('The Norwegian list needs the columns kommunenummer and kommunenavn.');
    const fylker = new Set(regions.map((r) => r.code));
    for (const r of regions) out.push({ key: `no-${r.code}`, country, level: 'region', code: r.code, name: r.name, parentKey: 'no' });
    for (const r of rows) {
      const code = (r.kommunenummer ?? '').trim().padStart(4, '0');
      if (!/^\d{4}$/.test(code)) continue;
      out.push({ key: `no-${code}`, country, level: 'municipality', code, name: (r.kommunenavn ?? '').trim(), parentKey: fylker.has(code.slice(0, 2)) ? `no-${code.slice(0, 2)}` : 'no' });
    }
    return out;
  }
  if (!rows[0] || !('lau_1' in rows[0])) throw new FileFormatError('The Danish list needs the columns lau_1 and label_dk.');
  for (const reg of Object.values(DK_REGIONS)) out.push({ key: `dk-${reg.code}`, country, level: 'region', code: reg.code, name: reg.name, parentKey: 'dk' });
  for (const r of rows) {
    const code = (r.lau_1 ?? '').trim();
    // 411 Christiansø is administered by the state, not a municipality.
    if (!/^\d{3}$/.test(code) || code === '411') continue;
    const region = DK_REGIONS[(r.iso_3166_2 ?? '').trim()];
    out.push({ key: `dk-${code}`, country, level: 'municipality', code, name: (r.label_dk || r.label_en || '').trim(), parentKey: region ? `dk-${region.code}` : 'dk' });
  }
  return out;
}
