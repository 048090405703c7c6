import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The 17 Sustainable Development Goals with short names written for Samverka in
 * the four UI languages, and the 169 targets (English) from the project's own
 * data file. The framework is loaded into the database by `loadSdgFramework`.
 */
export type SdgGoal = { code: string; short: { en: string; sv: string; nb: string; da: string } };

export const SDG_GOALS: SdgGoal[] = [
  { code: '1', short: { en: 'No poverty', sv: 'Ingen fattigdom', nb: 'Utrydde fattigdom', da: 'Afskaf fattigdom' } },
  { code: '2', short: { en: 'Zero hunger', sv: 'Ingen hunger', nb: 'Utrydde sult', da: 'Stop sult' } },
  { code: '3', short: { en: 'Good health and well-being', sv: 'Hälsa och välbefinnande', nb: 'God helse og livskvalitet', da: 'Sundhed og trivsel' } },
  { code: '4', short: { en: 'Quality education', sv: 'God utbildning för alla', nb: 'God utdanning', da: 'Kvalitetsuddannelse' } },
  { code: '5', short: { en: 'Gender equality', sv: 'Jämställdhet', nb: 'Likestilling mellom kjønnene', da: 'Ligestilling mellem kønnene' } },
  { code: '6', short: { en: 'Clean water and sanitation', sv: 'Rent vatten och sanitet', nb: 'Rent vann og gode sanitærforhold', da: 'Rent vand og sanitet' } },
  { code: '7', short: { en: 'Affordable and clean energy', sv: 'Hållbar energi för alla', nb: 'Ren energi for alle', da: 'Bæredygtig energi' } },
  { code: '8', short: { en: 'Decent work and economic growth', sv: 'Anständiga arbetsvillkor och ekonomisk tillväxt', nb: 'Anstendig arbeid og økonomisk vekst', da: 'Anstændige jobs og økonomisk vækst' } },
  { code: '9', short: { en: 'Industry, innovation and infrastructure', sv: 'Hållbar industri, innovationer och infrastruktur', nb: 'Industri, innovasjon og infrastruktur', da: 'Industri, innovation og infrastruktur' } },
  { code: '10', short: { en: 'Reduced inequalities', sv: 'Minskad ojämlikhet', nb: 'Mindre ulikhet', da: 'Mindre ulighed' } },
  { code: '11', short: { en: 'Sustainable cities and communities', sv: 'Hållbara städer och samhällen', nb: 'Bærekraftige byer og lokalsamfunn', da: 'Bæredygtige byer og lokalsamfund' } },
  { code: '12', short: { en: 'Responsible consumption and production', sv: 'Hållbar konsumtion och produktion', nb: 'Ansvarlig forbruk og produksjon', da: 'Ansvarligt forbrug og produktion' } },
  { code: '13', short: { en: 'Climate action', sv: 'Bekämpa klimatförändringarna', nb: 'Stoppe klimaendringene', da: 'Klimaindsats' } },
  { code: '14', short: { en: 'Life below water', sv: 'Hav och marina resurser', nb: 'Livet i havet', da: 'Livet i havet' } },
  { code: '15', short: { en: 'Life on land', sv: 'Ekosystem och biologisk mångfald', nb: 'Livet på land', da: 'Livet på land' } },
  { code: '16', short: { en: 'Peace, justice and strong institutions', sv: 'Fredliga och inkluderande samhällen', nb: 'Fred, rettferdighet og velfungerende institusjoner', da: 'Fred, retfærdighed og stærke institutioner' } },
  { code: '17', short: { en: 'Partnerships for the goals', sv: 'Genomförande och globalt partnerskap', nb: 'Samarbeid for å nå målene', da: 'Partnerskaber for handling' } },
];

export type SdgTarget = { code: string; goal: string; title: string };

const here = path.dirname(fileURLToPath(import.meta.url));
let targetsCache: SdgTarget[] | null = null;

/** The 169 targets shipped with the project (English titles). */
export function sdgTargets(): SdgTarget[] {
  if (targetsCache) return targetsCache;
  const text = readFileSync(path.join(here, 'data/sdg-targets.en.tsv'), 'utf8');
  targetsCache = text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [code = '', title = ''] = l.split('\t');
      return { code, goal: code.split('.')[0] ?? '', title };
    });
  return targetsCache;
}

/** Sort key so 1.10 follows 1.9 and 1.a follows 1.10. */
export function sdgSortKey(code: string): string {
  return code
    .split('.')
    .map((p) => (/^\d+$/.test(p) ? p.padStart(3, '0') : `z${p}`))
    .join('.');
}
