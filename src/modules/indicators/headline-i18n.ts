import { defineCatalog } from '../../web/i18n/index.js';

/** Strings of the headline-series page and of category labels on the indicator page. */
export const ht = defineCatalog(
  {
    headline: 'Headline series',
    headlineTotal: 'Total',
    changeHeadline: 'Choose the headline series',
    headlineTitle: (name: string) => `Headline series of ${name}`,
    headlineIntro: 'The headline series is what the area, compare and progress pages show for this indicator. Choose the total, or the breakdown that best stands for the whole.',
    headlineLabel: 'Headline series',
    values: (n: string) => `${n} values`,
    save: 'Save',
    noChoices: 'The indicator has no values yet.',
  },
  {
    sv: {
      headline: 'Huvudserie',
      headlineTotal: 'Totalt',
      changeHeadline: 'Välj huvudserie',
      headlineTitle: (name: string) => `Huvudserie för ${name}`,
      headlineIntro: 'Huvudserien är det som område-, jämförelse- och framstegssidorna visar för indikatorn. Välj totalen, eller den uppdelning som bäst står för helheten.',
      headlineLabel: 'Huvudserie',
      values: (n: string) => `${n} värden`,
      save: 'Spara',
      noChoices: 'Indikatorn har inga värden ännu.',
    },
    nb: {
      headline: 'Hovedserie',
      headlineTotal: 'Totalt',
      changeHeadline: 'Velg hovedserie',
      headlineTitle: (name: string) => `Hovedserie for ${name}`,
      headlineIntro: 'Hovedserien er det område-, sammenlignings- og fremdriftssidene viser for indikatoren. Velg totalen, eller den inndelingen som best står for helheten.',
      headlineLabel: 'Hovedserie',
      values: (n: string) => `${n} verdier`,
      save: 'Lagre',
      noChoices: 'Indikatoren har ingen verdier ennå.',
    },
    da: {
      headline: 'Hovedserie',
      headlineTotal: 'I alt',
      changeHeadline: 'Vælg hovedserie',
      headlineTitle: (name: string) => `Hovedserie for ${name}`,
      headlineIntro: 'Hovedserien er det, område-, sammenlignings- og fremskridtssiderne viser for indikatoren. Vælg totalen eller den opdeling, der bedst står for helheden.',
      headlineLabel: 'Hovedserie',
      values: (n: string) => `${n} værdier`,
      save: 'Gem',
      noChoices: 'Indikatoren har ingen værdier endnu.',
    },
  },
);
