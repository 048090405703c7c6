/**
 * The 17 Sustainable Development Goals as the design shows them: the UN's
 * official colour of each goal, and the text colour that reads best on it.
 * (The UN's own tiles put white on every goal; on the yellow and orange goals
 * that falls far below WCAG's 4.5:1, so the tile picks whichever of white and
 * near-black contrasts more, computed below and checked by a test.)
 */
export const SDG_COLOURS: Record<string, string> = {
  '1': '#E5243B',
  '2': '#DDA63A',
  '3': '#4C9F38',
  '4': '#C5192D',
  '5': '#FF3A21',
  '6': '#26BDE2',
  '7': '#FCC30B',
  '8': '#A21942',
  '9': '#FD6925',
  '10': '#DD1367',
  '11': '#FD9D24',
  '12': '#BF8B2E',
  '13': '#3F7E44',
  '14': '#0A97D9',
  '15': '#56C02B',
  '16': '#00689D',
  '17': '#19486A',
};

const DARK = '#000000';
const LIGHT = '#FFFFFF';

function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  const ch = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * ch[0]! + 0.7152 * ch[1]! + 0.0722 * ch[2]!;
}

/** WCAG 2 contrast ratio of two #RRGGBB colours. */
export function contrastRatio(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

/** The goal's background and the text colour with the higher contrast on it. */
export function sdgColours(goal: string): { background: string; text: string } {
  const background = SDG_COLOURS[goal] ?? '#5A5A5A';
  const text = contrastRatio(background, LIGHT) >= contrastRatio(background, DARK) ? LIGHT : DARK;
  return { background, text };
}
