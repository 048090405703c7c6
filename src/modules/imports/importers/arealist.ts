import { parse as parseCsv } from 'csv-parse/sync';
import type { Country } from '../../indicator-model/index.js';
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

/**
 * Any place's areas, as a platform admin writes them: columns `country` (ISO 3166 alpha-2),
 * `level` (country, region, municipality, district), `code`, `name`, and optionally
 * `parent_key`, `valid_from`, `valid_to` (YYYY-MM-DD). Keys follow: fi-091 for Helsinki,
 * de-09162000 for Munich, se-0780-teleborg for a district of Växjö.
 */
export function parseGenericAreaList(text: string): AreaInput[] {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text.replace(/^\uFEFF/, ''), { columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()), skip_empty_lines: true, delimiter: text.split('\n')[0]!.includes(';') ? ';' : ',' }) as Record<string, string>[];
  } catch (err) {
    throw new FileFormatError(`The area list is not valid CSV: ${(err as Error).message}`);
  }
  if (!rows[0] || !['country', 'level', 'code', 'name'].every((c) => c in rows[0]!)) throw new FileFormatError('The area list needs the columns country, level, code and name (and may have parent_key, valid_from, valid_to).');
  const levels = ['country', 'region', 'municipality', 'district'] as const;
  return rows.map((r, i) => {
    const country = (r.country ?? '').trim().toUpperCase();
    const level = (r.level ?? '').trim().toLowerCase() as AreaInput['level'];
    const code = (r.code ?? '').trim();
    if (!/^[A-Z]{2}$/.test(country)) throw new FileFormatError(`Row ${i + 2}: "${r.country}" is not an ISO 3166 country code (SE, FI, DE, …).`);
    if (!levels.includes(level)) throw new FileFormatError(`Row ${i + 2}: "${r.level}" is not a level (country, region, municipality or district).`);
    if (!/^[0-9A-Za-z]{0,12}$/.test(code)) throw new FileFormatError(`Row ${i + 2}: the code "${code}" must be letters and digits, at most 12.`);
    const parentKey = (r.parent_key ?? '').trim().toLowerCase();
    const key = level === 'district' && parentKey ? `${parentKey}-${code.toLowerCase()}` : code ? `${country.toLowerCase()}-${code.toLowerCase()}` : country.toLowerCase();
    return {
      key,
      country,
      level,
      code,
      name: (r.name ?? '').trim(),
      ...(parentKey ? { parentKey } : {}),
      ...(r.valid_from?.trim() ? { validFrom: r.valid_from.trim() } : {}),
      ...(r.valid_to?.trim() ? { validTo: r.valid_to.trim() } : {}),
    };
  });
}
