/** Small pieces the challenge pages share: the state tag and a goal's short name. */
import { type Locale } from '../../web/i18n/index.js';
import { SDG_GOALS } from '../indicators/index.js';
import { STATE_ICON, stateLabel } from './i18n.js';
import { type ChallengeState } from './schema.js';

export function StateTag({ l, state }: { l: Locale; state: ChallengeState }) {
  return (
    <span class={`status-tag challenge-${state}`}>
      <span aria-hidden="true">{STATE_ICON[state]} </span>
      {stateLabel(l, state)}
    </span>
  );
}

export const goalName = (l: Locale, code: string) => SDG_GOALS.find((g) => g.code === code)?.short[l] ?? '';
