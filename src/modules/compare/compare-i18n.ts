import { defineCatalog } from '../../web/i18n/index.js';

/** The compare page's line saying which set the area is compared with (issue #10: it defaults to the area's own group). */
export const ci = defineCatalog(
  {
    inGroup: (g: string) => `Compared within “${g}”, a group the highlighted area belongs to.`,
    inCountry: (c: string) => `Compared with all areas with data in ${c}.`,
    wholeCountry: 'Compare with the whole country instead',
  },
  {
    sv: { inGroup: (g: string) => `Jämfört inom ”${g}”, en grupp som det markerade området tillhör.`, inCountry: (c: string) => `Jämfört med alla områden med data i ${c}.`, wholeCountry: 'Jämför med hela landet i stället' },
    nb: { inGroup: (g: string) => `Sammenlignet innen «${g}», en gruppe det markerte området hører til.`, inCountry: (c: string) => `Sammenlignet med alle områder med data i ${c}.`, wholeCountry: 'Sammenlign med hele landet i stedet' },
    da: { inGroup: (g: string) => `Sammenlignet inden for »${g}«, en gruppe som det fremhævede område hører til.`, inCountry: (c: string) => `Sammenlignet med alle områder med data i ${c}.`, wholeCountry: 'Sammenlign med hele landet i stedet' },
  },
);
