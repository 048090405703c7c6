/** How an organisation's priorities look: each priority, its members' side by side, and the form for a new one. */
import type { FastifyRequest } from 'fastify';
import { type FormState, Csrf, ErrorSummary } from '../../web/form-fields.js';
import { PageSection } from '../../web/components.js';
import { Layout } from '../../web/layout.js';
import { ChooserFilters, type ChooserData } from './chooser.js';
import { PriorityFields } from './forms.js';
import { actorRoleLabel, pt } from './i18n.js';
import * as q from './queries.js';
import { Lang, SdgGoal, SdgTargets, WideTable } from './views.js';

export type PrioritiesData = {
  org: { id: string; slug: string; name: string };
  /** The organisation's own priorities, and its members' (a network's). */
  own: q.PriorityView[];
  cohort: Awaited<ReturnType<typeof q.cohortPriorities>>;
  /** Whether the reader may add and edit the organisation's priorities. */
  editable: boolean;
  /** Indicator names by code; actor organisations' names by id. */
  names: Map<string, string>;
  actorNames: Map<string, string>;
  /** The indicator chooser of the new priority's form (only for those who may add one). */
  chooser: ChooserData | null;
};

/** An organisation's priorities page, with the form for a new priority for those who may add one. */
export function PrioritiesPage({ req, data, form }: { req: FastifyRequest; data: PrioritiesData; form: FormState }) {
  const l = req.locale;
  const t = pt[l];
  const { org: o, own, cohort, editable, names, actorNames, chooser } = data;
  const memberName = new Map(cohort.members.map((m) => [m.id, m]));
  const PriorityCard = ({ p }: { p: q.PriorityView }) => (
    <article class="section priority" aria-labelledby={`p-${p.id}`}>
      {/* Each priority is a section of the page under its h1, so h2 (its lists h3). */}
      <h2 class="ds-heading" data-size="sm" id={`p-${p.id}`}>
        <Lang lang={p.lang} page={l}>
          {p.title}
        </Lang>
        {p.state === 'draft' && <span class="muted"> ({t.draft})</span>}
      </h2>
      <p class="ds-paragraph">
        {q.goalsOfPriority(p).map((g) => (
          <SdgGoal l={l} code={g} />
        ))}
        <SdgTargets l={l} codes={p.sdgTargets} />
      </p>
      {p.rationale && (
        <p class="ds-paragraph" lang={p.lang}>
          {p.rationale}
        </p>
      )}
      {p.indicatorCodes.length > 0 && (
        <>
          <h3 class="ds-heading" data-size="2xs">
            {t.indicators}
          </h3>
          <ul>
            {p.indicatorCodes.map((c) => (
              <li>
                <a class="ds-link" href={`/indicators/${encodeURIComponent(c)}`}>
                  {names.get(c) ?? c}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      {p.actors.length > 0 && (
        <>
          <h3 class="ds-heading" data-size="2xs">
            {t.actors}
          </h3>
          <ul>
            {p.actors.map((a) => (
              <li>
                {actorNames.get(a.organisationId)}: {actorRoleLabel(l, a.role)}
                {a.contact && <> · {a.contact}</>}
                {a.challengeId && (
                  <>
                    {' '}
                    {/* The arrow alone says nothing to a screen reader; the hidden text names the challenge by who answered it. */}
                    (<a class="ds-link" href={`/challenges/${a.challengeId}`}>
                      <span aria-hidden="true">→</span>
                      <span class="visually-hidden">{t.partnerChallenge(actorNames.get(a.organisationId) ?? '')}</span>
                    </a>)
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {editable && (
        <p>
          <a class="ds-link" href={`/priorities/${p.id}/edit`}>
            {t.editPriority}
            <span class="visually-hidden">: {p.title}</span>
          </a>
        </p>
      )}
    </article>
  );
  return (
    <Layout req={req} title={t.prioritiesOf(o.name)} crumbs={[{ href: '/organisations', label: t.organisations }, { href: `/organisations/${o.slug}`, label: o.name }]}>
      <h1 class="ds-heading" data-size="lg">
        {t.prioritiesOf(o.name)}
      </h1>
      {own.length === 0 ? <p class="ds-paragraph">{t.noPriorities}</p> : own.map((p) => <PriorityCard p={p} />)}
      {cohort.members.length > 0 && (
        <PageSection id="cohort-h" title={t.membersSideBySide}>
          <p class="ds-paragraph">{t.membersIntro}</p>
          <WideTable caption={t.sdgGoals} label={t.sdgGoals} head={[t.sdgGoals, ...cohort.members.map((m) => m.name)]}>
            {cohort.goals.map((g) => (
              <tr>
                <th scope="row">
                  <SdgGoal l={l} code={g} />
                </th>
                {cohort.members.map((m) => {
                  const ps = cohort.priorities.filter((p) => p.organisationId === m.id && q.goalsOfPriority(p).includes(g));
                  return <td>{ps.length ? ps.map((p) => p.title).join('; ') : '–'}</td>;
                })}
              </tr>
            ))}
          </WideTable>
          <WideTable caption={t.indicators} label={t.indicators} head={[t.indicators, t.whoChose]}>
            {cohort.indicators.map((c) => (
              <tr>
                <th scope="row">
                  <a class="ds-link" href={`/indicators/${encodeURIComponent(c)}`}>
                    {names.get(c) ?? c}
                  </a>
                </th>
                <td>
                  {[...new Set(cohort.priorities.filter((p) => p.indicatorCodes.includes(c)).map((p) => memberName.get(p.organisationId)?.name ?? ''))].join(', ')}
                </td>
              </tr>
            ))}
          </WideTable>
          <ul class="entity-list">
            {cohort.members.map((m) => (
              <li>
                <a class="ds-link" href={`/organisations/${m.slug}/priorities`}>
                  {t.prioritiesOf(m.name)}
                </a>
              </li>
            ))}
          </ul>
        </PageSection>
      )}
      {editable && (
        <PageSection id="new-h" title={t.newPriority}>
          <ErrorSummary req={req} form={form} labels={{ title: t.title, sdgGoals: t.sdgGoals, sdgTargets: t.sdgTargets, indicatorCodes: t.chooseIndicators, actors: t.actors, rationale: t.rationale }} />
          {chooser && <ChooserFilters req={req} action={`/organisations/${o.slug}/priorities`} data={chooser} />}
          <form method="post" action={`/organisations/${o.slug}/priorities`} class="form" novalidate>
            <Csrf req={req} />
            <input type="hidden" name="organisationId" value={o.id} />
            <PriorityFields req={req} form={form} chooser={chooser} />
          </form>
        </PageSection>
      )}
    </Layout>
  );
}
