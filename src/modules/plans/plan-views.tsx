/**
 * How plans look: the list of plans, a plan's page (its actions, the plans below it and their
 * roll-up, the actions' import and export), and the plans section of an organisation's page.
 */
import type { FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { AppDeps, OrganisationRef } from '../../platform/http.js';
import { Alert, Button, ButtonLink, PageSection } from '../../web/components.js';
import { Csrf } from '../../web/form-fields.js';
import { formatDate, formatNumber } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { planStateLabel, pt } from './i18n.js';
import * as q from './queries.js';
import type { ActionRow, PlanRow } from './schema.js';
import { budgetText, Lang, money, period, SdgGoal, SdgTargets, StatusTag, WideTable } from './views.js';

type OrgLink = { slug: string; name: string };

/** The list of plans the reader may see, with their owners. */
export function PlanList({ req, rows, canCreate }: { req: FastifyRequest; rows: { p: PlanRow; owner: OrgLink | null }[]; canCreate: boolean }) {
  const l = req.locale;
  const t = pt[l];
  return (
    <Layout req={req} title={t.plans}>
      <h1 class="ds-heading" data-size="lg">
        {t.plans}
      </h1>
      {canCreate && <ButtonLink href="/plans/new">{t.newPlan}</ButtonLink>}
      {rows.length === 0 ? (
        <p class="ds-paragraph">{t.noPlans}</p>
      ) : (
        <WideTable caption={t.plans} label={t.plans} head={[t.title, t.owner, t.period, t.state]}>
          {rows.map(({ p, owner }) => (
            <tr>
              <td>
                <a class="ds-link" href={`/plans/${p.id}`}>
                  <Lang lang={p.lang} page={l}>
                    {p.title}
                  </Lang>
                </a>
              </td>
              <td>{owner ? <a class="ds-link" href={`/organisations/${owner.slug}`}>{owner.name}</a> : '–'}</td>
              <td>{period(l, p)}</td>
              <td>{planStateLabel(l, p.state)}</td>
            </tr>
          ))}
        </WideTable>
      )}
    </Layout>
  );
}

/**
 * A plan's page. `ru`: the roll-up over the plans below it (null when none); `files`: its
 * uploaded documents' section; `imported`: how many actions an import just wrote.
 */
export function PlanPage({ req, d, ru, files, imported }: { req: FastifyRequest; d: q.PlanDetail; ru: q.Rollup | null; files: ComponentChildren; imported: number | undefined }) {
  const l = req.locale;
  const t = pt[l];
  const p = d.plan;
  const byStatus = new Map<string, number>();
  for (const a of d.actions) byStatus.set(a.status.status, (byStatus.get(a.status.status) ?? 0) + 1);
  const TallyTable = ({ caption, rows, label }: { caption: string; rows: [string, q.Tally][]; label: (k: string) => ComponentChildren }) => (
    <WideTable caption={caption} label={caption} head={[caption, t.count, t.budget]}>
      {rows.map(([k, v]) => (
        <tr>
          <th scope="row">{label(k)}</th>
          <td>{formatNumber(l, v.count)}</td>
          <td>{budgetText(l, v.budget)}</td>
        </tr>
      ))}
    </WideTable>
  );
  return (
    <Layout req={req} title={p.title} crumbs={[{ href: '/plans', label: t.plans }]}>
      <h1 class="ds-heading" data-size="lg">
        <Lang lang={p.lang} page={l}>
          {p.title}
        </Lang>
      </h1>
      {imported != null && <Alert color="success">{t.imported(imported)}</Alert>}
      <dl class="facts" style="overflow-wrap: anywhere">
        <dt>{t.owner}</dt>
        <dd>{d.owner ? <a class="ds-link" href={`/organisations/${d.owner.slug}`}>{d.owner.name}</a> : '–'}</dd>
        <dt>{t.period}</dt>
        <dd>{period(l, p)}</dd>
        <dt>{t.state}</dt>
        <dd>{planStateLabel(l, p.state)}</dd>
        {d.adoptedBy && (
          <>
            <dt>{t.adoptedBy}</dt>
            <dd>
              <a class="ds-link" href={`/meetings/${d.adoptedBy.meetingId}#item-${d.adoptedBy.id}`}>
                <Lang lang={d.adoptedBy.lang} page={l}>
                  {d.adoptedBy.number ? `${d.adoptedBy.number}. ` : ''}
                  {d.adoptedBy.title}
                </Lang>
              </a>{' '}
              <span class="muted">({formatDate(l, d.adoptedBy.startsAt)})</span>
            </dd>
          </>
        )}
        {p.adoptedOn && (
          <>
            <dt>{t.adoptedOn}</dt>
            <dd>{formatDate(l, p.adoptedOn)}</dd>
          </>
        )}
        {p.decisionNote && (
          <>
            <dt>{t.decisionNote}</dt>
            <dd lang={p.lang}>{p.decisionNote}</dd>
          </>
        )}
        {d.parent && (
          <>
            <dt>{t.parentPlan}</dt>
            <dd>
              <a class="ds-link" href={`/plans/${d.parent.id}`}>
                {d.parent.title}
              </a>
            </dd>
          </>
        )}
      </dl>
      {p.description && (
        <p class="ds-paragraph description" lang={p.lang}>
          {p.description}
        </p>
      )}
      {p.documents.length > 0 && (
        <section class="section" aria-labelledby="docs-h">
          <h2 class="ds-heading" data-size="sm" id="docs-h">
            {t.documents}
          </h2>
          <ul>
            {p.documents.map((doc) => (
              <li>
                <a class="ds-link" href={doc.url} rel="noopener noreferrer">
                  {doc.title}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {files}
      {d.canEdit && (
        <p class="actions">
          <ButtonLink href={`/plans/${p.id}/edit`}>{t.editPlan}</ButtonLink> <ButtonLink href={`/plans/${p.id}/actions/new`}>{t.newAction}</ButtonLink>
        </p>
      )}
      <section class="section" aria-labelledby="actions-h">
        <h2 class="ds-heading" data-size="md" id="actions-h">
          {t.actions} ({formatNumber(l, d.actions.length)})
        </h2>
        {byStatus.size > 0 && (
          <p class="ds-paragraph">
            {[...byStatus].map(([s, n]) => (
              <span style="margin-right: 1rem; display: inline-block">
                <StatusTag l={l} status={s as ActionRow['manualStatus'] & string as never} />: {formatNumber(l, n)}
              </span>
            ))}
          </p>
        )}
        {d.actions.length === 0 ? (
          <p class="ds-paragraph">{t.noActions}</p>
        ) : (
          <WideTable caption={t.actions} label={t.actions} head={[t.identifier, t.title, t.status, t.end, t.sdgTargets, t.budget]}>
            {d.actions.map((a) => (
              <tr>
                <td>{a.action.identifier}</td>
                <td>
                  <a class="ds-link" href={`/actions/${a.action.id}`}>
                    <Lang lang={a.action.lang} page={l}>
                      {a.action.title}
                    </Lang>
                  </a>
                </td>
                <td>
                  <StatusTag l={l} status={a.status.status} />
                </td>
                <td>{formatDate(l, a.action.endDate, 'medium') || '–'}</td>
                <td>
                  <SdgTargets l={l} codes={a.action.sdgTargets} />
                </td>
                <td>{a.action.currency ? money(l, a.action.budget.reduce((s, b) => s + b.amount, 0), a.action.currency) : '–'}</td>
              </tr>
            ))}
          </WideTable>
        )}
        <p class="ds-paragraph">
          {t.export}:{' '}
          <a class="ds-link" href={`/plans/${p.id}/actions.csv`}>
            CSV
          </a>{' '}
          ·{' '}
          <a class="ds-link" href={`/plans/${p.id}/actions.xlsx`}>
            XLSX
          </a>
        </p>
        {d.canEdit && (
          <form method="post" action={`/plans/${p.id}/actions/import`} enctype="multipart/form-data" class="form">
            <Csrf req={req} />
            <h3 class="ds-heading" data-size="xs">
              {t.importTitle}
            </h3>
            <p class="ds-paragraph field-desc" data-size="sm">
              {t.importHelp}
            </p>
            <div class="ds-field">
              <label class="ds-label" for="f-file">
                {t.importFile}
              </label>
              <input class="ds-input" type="file" id="f-file" name="file" accept=".csv,.xlsx" required />
            </div>
            <Button variant="secondary">{t.importButton}</Button>
          </form>
        )}
      </section>
      {d.children.length > 0 && (
        <PageSection id="children-h" title={t.childPlans}>
          <ul class="entity-list">
            {d.children.map((c) => (
              <li>
                <a class="ds-link" href={`/plans/${c.id}`}>
                  {c.title}
                </a>{' '}
                <span class="muted">({planStateLabel(l, c.state)})</span>
              </li>
            ))}
          </ul>
        </PageSection>
      )}
      {ru && (
        <PageSection id="rollup-h" title={t.rollup}>
          <p class="ds-paragraph">
            {t.rollupIntro(ru.plans.length, ru.total.count)} {t.total}: {budgetText(l, ru.total.budget)}
          </p>
          <TallyTable caption={t.byGoal} rows={ru.byGoal} label={(g) => (g ? <SdgGoal l={l} code={g} /> : t.noGoal)} />
          <TallyTable caption={t.byStatus} rows={ru.byStatus} label={(s) => <StatusTag l={l} status={s as never} />} />
          <TallyTable
            caption={t.byOrganisation}
            rows={ru.byOrganisation.map(([o, v]) => [o.id, v] as [string, q.Tally])}
            label={(id) => {
              const o = ru.byOrganisation.find(([x]) => x.id === id)![0];
              return <a class="ds-link" href={`/organisations/${o.slug}`}>{o.name}</a>;
            }}
          />
        </PageSection>
      )}
    </Layout>
  );
}

/** Show an organisation's priorities and plans on its page. */
export function organisationPlansSection(db: AppDeps['db']) {
  return async (req: FastifyRequest, o: OrganisationRef) => {
    const l = req.locale;
    const t = pt[l];
    const [prios, planList] = await Promise.all([q.listPriorities(db.orm, req.actor, { organisationIds: [o.id] }), q.listPlans(db.orm, req.actor, { organisationId: o.id })]);
    const cohort = await q.cohortPriorities(db.orm, req.actor, o.id);
    if (!prios.length && !planList.length && !cohort.priorities.length) return null;
    return (
      <section class="section" aria-labelledby="plans-section-h">
        <h2 class="ds-heading" data-size="md" id="plans-section-h">
          {t.priorities} · {t.plans}
        </h2>
        <ul class="entity-list">
          {(prios.length > 0 || cohort.priorities.length > 0) && (
            <li>
              <a class="ds-link" href={`/organisations/${o.slug}/priorities`}>
                {t.prioritiesOf(o.name)}
              </a>{' '}
              ({formatNumber(l, prios.length + cohort.priorities.length)})
            </li>
          )}
          {planList.map((p) => (
            <li>
              <a class="ds-link" href={`/plans/${p.id}`}>
                {p.title}
              </a>{' '}
              <span class="muted">({planStateLabel(l, p.state)})</span>
            </li>
          ))}
        </ul>
      </section>
    );
  };
}
