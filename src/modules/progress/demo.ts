/**
 * Demo targets, thresholds and benchmarks for the seed municipalities, all
 * labelled as illustrative: none is an adopted target of any municipality or network.
 *  - global benchmarks for two SDG-linked demo indicators (with index bounds and thresholds);
 *  - Växjö's own greenhouse-gas target, and a target of the Swedish municipal network;
 *  - a U4SSC selection for Bærekraftsnettverket: six KPIs (two per dimension) with
 *    illustrative values for its member municipalities and a benchmark for each.
 * Idempotent: targets that exist are left as they are; the KPIs' values go in through
 * the indicators' own import, which writes nothing when nothing changed.
 */
import type { Database } from '../../platform/db/index.js';
import { systemActor, type Actor } from '../../platform/audit.js';
import { directory } from '../directory/index.js';
import { importObservations, importTaxonomy } from '../indicators/index.js';
import { createTarget, recomputeStale } from './service.js';

const NOTE = 'Illustrative target for the Samverka demo, not an adopted target.';
const KPI_ATTR = 'Illustrative values for the Samverka demo, not official statistics.';

type Kpi = { code: string; dim: 'EC' | 'EN' | 'SC'; sub: string; name: string; unit: string; direction: 'higher' | 'lower'; benchmark: number; base: number; slope: number; spread: number; sdg: string[] };

/**
 * Six U4SSC-style KPIs; names follow the U4SSC KPI list, benchmarks are illustrative. Their SDG
 * links avoid the targets the indicators' own demo uses, so each SDG target keeps one demo indicator.
 */
const KPIS: Kpi[] = [
  { code: 'u4ssc-demo-EC-ICT-1C', dim: 'EC', sub: 'ICT', name: 'Household Internet access', unit: '%', direction: 'higher', benchmark: 100, base: 88, slope: 1.5, spread: 10, sdg: ['17.8'] },
  { code: 'u4ssc-demo-EC-IN-1C', dim: 'EC', sub: 'IN', name: 'Public transport network convenience', unit: '%', direction: 'higher', benchmark: 90, base: 55, slope: 2, spread: 30, sdg: ['11.2'] },
  { code: 'u4ssc-demo-EN-EQ-1C', dim: 'EN', sub: 'EQ', name: 'Air pollution (PM2.5)', unit: 'µg/m³', direction: 'lower', benchmark: 5, base: 9, slope: -0.4, spread: 5, sdg: ['3.9'] },
  { code: 'u4ssc-demo-EN-EN-1C', dim: 'EN', sub: 'EN', name: 'Renewable energy consumption', unit: '%', direction: 'higher', benchmark: 90, base: 60, slope: 1.5, spread: 25, sdg: [] },
  { code: 'u4ssc-demo-SC-HO-1C', dim: 'SC', sub: 'HO', name: 'Green areas', unit: 'ha per 100 000 inhabitants', direction: 'higher', benchmark: 1000, base: 500, slope: 8, spread: 600, sdg: ['11.7'] },
  { code: 'u4ssc-demo-SC-SA-1C', dim: 'SC', sub: 'SA', name: 'Traffic fatalities', unit: 'per 100 000 inhabitants', direction: 'lower', benchmark: 1, base: 2.6, slope: -0.1, spread: 2, sdg: ['3.6'] },
];

/** A stable pseudo-random number in [0,1) from a string, so every run yields the same values. */
function unit(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return ((h >>> 0) % 10000) / 10000;
}

export async function seedProgressDemo(db: Database, actor: Actor = systemActor('demo')): Promise<{ targets: number }> {
  // U4SSC KPIs with values for Bærekraftsnettverket's member municipalities.
  const net = await directory.getOrganisation(db.orm, 'baerekraftsnettverket').catch(() => null);
  const members = net ? await directory.currentMemberAreas(db.orm, [net.id]) : [];
  const memberAreas = members.filter((m) => m.organisation.kind === 'municipality').map((m) => m.area.key);
  if (memberAreas.length) {
    await importTaxonomy(db, actor, {
      framework: {
        key: 'u4ssc',
        names: { en: 'U4SSC key performance indicators for smart sustainable cities' },
        source: 'KS/Digdir indicator taxonomy',
        nodes: [
          { code: 'EC', level: 'category', names: { en: 'Economy' } },
          { code: 'EN', level: 'category', names: { en: 'Environment' } },
          { code: 'SC', level: 'category', names: { en: 'Society and Culture' } },
          ...KPIS.map((k) => ({ code: `${k.dim}-${k.sub}`, level: 'category' as const, parentCode: k.dim, names: { en: k.sub } })),
        ],
      },
      indicators: KPIS.map((k) => ({
        code: k.code,
        name: `${k.name} (demo)`,
        lang: 'en' as const,
        unit: k.unit,
        decimals: 1,
        direction: k.direction,
        source: 'Samverka demo data',
        attribution: KPI_ATTR,
        periodicity: 'annual' as const,
        sdgTargets: k.sdg,
        nodeCodes: [`${k.dim}-${k.sub}`],
      })),
    });
    let line = 1;
    const rows = KPIS.flatMap((k) =>
      memberAreas.flatMap((area) => {
        const offset = (unit(`${k.code}:${area}`) - 0.5) * k.spread;
        return [2019, 2020, 2021, 2022, 2023].map((year) => {
          const v = Math.max(0, k.base + offset + k.slope * (year - 2019) + (unit(`${k.code}:${area}:${year}`) - 0.5) * k.spread * 0.05);
          return { line: line++, indicator: k.code, area, period: String(year), breakdown: '', value: Number(v.toFixed(1)), status: '' as const, note: '' };
        });
      }),
    );
    const r = await importObservations(db, actor, { rows, errors: [], indicators: [] }, { format: 'demo', source: 'Samverka demo data', filename: 'demo-u4ssc' });
    if (!r.ok) throw new Error(`demo U4SSC data is invalid: ${r.errors.map((e) => e.message).join('; ')}`);
  }

  const wanted: Record<string, unknown>[] = [
    { indicator: 'demo-ghg-per-capita', level: 'global', value: 1, bound: 8, green: 2, red: 5, source: `${NOTE} Roughly the per-inhabitant level compatible with 1.5 °C.` },
    { indicator: 'demo-waste-recycled', level: 'global', value: 65, bound: 0, green: 60, red: 40, limit: 100, source: `${NOTE} After the EU's 65 % municipal waste recycling target.` },
    { indicator: 'demo-ghg-per-capita', level: 'area', area: 'se-0780', value: 0.5, baselineYear: 2015, source: `${NOTE} Växjö aims to be fossil free.` },
    { indicator: 'demo-waste-recycled', level: 'network', organisation: 'kommunnatverket-for-hallbar-utveckling', value: 60, green: 55, red: 40, source: NOTE },
    { indicator: 'demo-ghg-per-capita', level: 'network', organisation: 'baerekraftsnettverket', value: 1.5, bound: 8, green: 2, red: 5, source: NOTE },
    ...(memberAreas.length ? KPIS.map((k) => ({ indicator: k.code, level: 'global', value: k.benchmark, source: 'Illustrative U4SSC-style benchmark for the Samverka demo.' })) : []),
  ];
  let created = 0;
  for (const w of wanted) {
    try {
      await createTarget(db, actor, w);
      created++;
    } catch (err) {
      // Already there (a second run), or the indicator or organisation is missing from this database.
      const code = (err as { code?: string }).code;
      if (code !== 'duplicate_target' && code !== 'validation_failed') throw err;
    }
  }
  // Only what moved: on a second load nothing did, and the figures stay as they are.
  await recomputeStale(db);
  return { targets: created };
}
