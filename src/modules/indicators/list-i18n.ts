import { defineCatalog } from '../../web/i18n/index.js';

/** Strings of the paged indicator list and its filters. */
export const li = defineCatalog(
  {
    count: (n: number, f: string) => (n === 1 ? '1 indicator' : `${f} indicators`),
    shown: (from: string, to: string, total: string) => `Showing ${from}–${to} of ${total}.`,
    framework: 'Framework',
    allFrameworks: 'All frameworks',
    source: 'Source',
    allSources: 'All sources',
  },
  {
    sv: {
      count: (n: number, f: string) => (n === 1 ? '1 indikator' : `${f} indikatorer`),
      shown: (from: string, to: string, total: string) => `Visar ${from}–${to} av ${total}.`,
      framework: 'Ramverk',
      allFrameworks: 'Alla ramverk',
      source: 'Källa',
      allSources: 'Alla källor',
    },
    nb: {
      count: (n: number, f: string) => (n === 1 ? '1 indikator' : `${f} indikatorer`),
      shown: (from: string, to: string, total: string) => `Viser ${from}–${to} av ${total}.`,
      framework: 'Rammeverk',
      allFrameworks: 'Alle rammeverk',
      source: 'Kilde',
      allSources: 'Alle kilder',
    },
    da: {
      count: (n: number, f: string) => (n === 1 ? '1 indikator' : `${f} indikatorer`),
      shown: (from: string, to: string, total: string) => `Viser ${from}–${to} af ${total}.`,
      framework: 'Rammeværk',
      allFrameworks: 'Alle rammeværk',
      source: 'Kilde',
      allSources: 'Alle kilder',
    },
  },
);
