// The node shape of taxonomy.ts, repeated so that the two files do not import each other.
type FrameworkNode = { code: string; level: 'goal' | 'target' | 'category'; parentCode?: string; names: Record<string, string> };

/**
 * The KS/SSB taxonomy's own dimensions, kept as framework category nodes so that anyone choosing
 * indicators can filter by them. The taxonomy files carry two besides the SDG goal and target:
 *  - `subject`: the perspective (theme) an indicator speaks to, such as Economy or Energy; one
 *    indicator may have several, separated by `|`;
 *  - `coverage`: the level the indicator is measured at (national, county, city, district), which is
 *    what says whether it can show a municipality's own figures at all.
 * Each dimension is a parent node (`perspective`, `coverage`) with one child per value
 * (`perspective:Energy`). The codes are the same in every framework, so one filter spans them.
 */
export const TAXONOMY_DIMENSIONS = ['perspective', 'coverage'] as const;
export type TaxonomyDimension = (typeof TAXONOMY_DIMENSIONS)[number];

const DIMENSION_NAMES: Record<TaxonomyDimension, Record<string, string>> = {
  perspective: { en: 'Perspective', nb: 'Perspektiv', sv: 'Perspektiv', da: 'Perspektiv' },
  coverage: { en: 'Level measured', nb: 'Målenivå', sv: 'Mätnivå', da: 'Måleniveau' },
};

// Norwegian names for the values the KS/Digdir files use; any other value keeps its own words.
const NB: Record<string, string> = {
  Built_environment: 'Bygde omgivelser', Childhood_and_education: 'Oppvekst og utdanning', Culture: 'Kultur', Digitalisation: 'Digitalisering',
  Economy: 'Økonomi', Energy: 'Energi', Governance_and_citizen_engagement: 'Styring og innbyggerinvolvering', Health_and_social_services_and_welfare: 'Helse, sosiale tjenester og velferd',
  Industry: 'Næringsliv', Natural_environment: 'Naturmiljø', Safety_and_preparedness: 'Sikkerhet og beredskap', Transport: 'Transport', Water_and_waste: 'Vann og avfall',
  Work_and_employment: 'Arbeid og sysselsetting', 'national-level': 'Nasjonalt nivå', 'county-level': 'Fylkesnivå', 'city-level': 'Kommunenivå', 'district-level': 'Bydelsnivå',
};

const clean = (v: string) => v.trim().replace(/[^\p{L}\p{N}_ -]/gu, '').slice(0, 80);

/**
 * Adds the row's dimension values to `nodes` (parents first) and returns the codes of the value
 * nodes the row's indicator belongs to.
 */
export function taxonomyDimensionCodes(row: Record<string, string | undefined>, nodes: Map<string, FrameworkNode>): string[] {
  const codes: string[] = [];
  const add = (dim: TaxonomyDimension, raw: string) => {
    const value = clean(raw);
    if (!value) return;
    if (!nodes.has(dim)) nodes.set(dim, { code: dim, level: 'category', names: DIMENSION_NAMES[dim] });
    const code = `${dim}:${value}`;
    const en = value.replace(/_/g, ' ');
    const nb = NB[value] ?? NB[value.toLowerCase()];
    nodes.set(code, { code, level: 'category', parentCode: dim, names: nb ? { en, nb } : { en } });
    codes.push(code);
  };
  for (const s of (row.subject ?? '').split('|')) add('perspective', s);
  // The files write the level in two casings ("City-level", "county-level"): one value each.
  const cov = clean(row.coverage ?? '').toLowerCase();
  if (cov) add('coverage', cov.charAt(0).toUpperCase() + cov.slice(1));
  return codes;
}
