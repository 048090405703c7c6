/**
 * How a project looks: its facts, partners, phases and deadlines, funding per source and year, SDG
 * targets and indicators, links to plan actions and challenges, documents, and (for its managers)
 * the upload and delete forms.
 */
import type { FastifyRequest } from 'fastify';
import { Alert, Button, ButtonLink, PageSection, Table } from '../../web/components.js';
import { Csrf, emptyForm, ErrorSummary, FileField, TextField, type FormState } from '../../web/form-fields.js';
import { formatDate, formatPeriod } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { sdgTargets } from '../indicators/index.js';
import { milestoneKindLabel, partnerRoleLabel, pt } from './i18n.js';
import type { ProjectView } from './queries.js';
import { langIfOther, Money, Scroll, StateTag } from './views.js';

/** A project's page. `docForm`: a rejected document upload, shown with its errors. */
export function ProjectPage({ req, v, docForm }: { req: FastifyRequest; v: ProjectView; docForm: FormState | undefined }) {
  const l = req.locale;
  const t = pt[l];
  const p = v.project;
  const lang = langIfOther(l, p.lang);
  const q = req.query as Record<string, string | undefined>;
  const targets = new Map(sdgTargets().map((x) => [x.code, x.title]));
  const years = [...v.totals.byYear.keys()];
  return (
    <Layout req={req} title={p.name} crumbs={[{ href: '/projects', label: t.projects }]}>
      {q.created && <Alert color="success">{t.created}</Alert>}
      {q.saved && <Alert color="success">{t.saved}</Alert>}
      <h1 class="ds-heading" data-size="lg" lang={lang}>
        {p.name}
        {p.acronym && <> ({p.acronym})</>}
      </h1>
      <p>
        <StateTag l={l} state={p.state} />
      </p>
      <dl class="facts">
        <dt>{t.owner}</dt>
        <dd>
          <a class="ds-link" href={`/organisations/${v.owner.slug}`}>
            {v.owner.name}
          </a>
        </dd>
        {(v.coordinatorPerson || v.coordinatorOrg) && (
          <>
            <dt>{t.coordinator}</dt>
            <dd>
              {v.coordinatorPerson && (
                <a class="ds-link" href={`/people/${v.coordinatorPerson.slug}`}>
                  {v.coordinatorPerson.name}
                </a>
              )}
              {v.coordinatorPerson && v.coordinatorOrg && ', '}
              {v.coordinatorOrg && (
                <a class="ds-link" href={`/organisations/${v.coordinatorOrg.slug}`}>
                  {v.coordinatorOrg.name}
                </a>
              )}
            </dd>
          </>
        )}
        {(p.startDate || p.endDate) && (
          <>
            <dt>{t.period}</dt>
            <dd>{formatPeriod(l, p.startDate, p.endDate)}</dd>
          </>
        )}
        <dt>{t.total}</dt>
        <dd>
          <Money l={l} p={v.totals.total} />
        </dd>
      </dl>
      {v.canManage && (
        <div class="actions">
          <ButtonLink href={`/projects/${p.slug}/edit`}>{t.editProject}</ButtonLink>
        </div>
      )}
      {[
        [t.description, p.description],
        [t.objectives, p.objectives],
        [t.targetGroup, p.targetGroup],
      ].map(([h, text]) =>
        text ? (
          <section class="section">
            <h2 class="ds-heading" data-size="sm">
              {h}
            </h2>
            <p class="ds-paragraph description" lang={lang}>
              {text}
            </p>
          </section>
        ) : null,
      )}
      <PageSection id="p-partners" title={t.partners} empty={v.partners.length === 0} emptyText={t.none}>
        <Scroll label={t.partners}>
          <Table head={[t.organisation, t.role, t.period]}>
            {v.partners.map((x) => (
              <tr>
                <td>
                  <a class="ds-link" href={`/organisations/${x.organisation.slug}`}>
                    {x.organisation.name}
                  </a>
                </td>
                <td>{partnerRoleLabel(l, x.role)}</td>
                <td>{formatPeriod(l, x.startDate ?? p.startDate, x.endDate ?? p.endDate)}</td>
              </tr>
            ))}
          </Table>
        </Scroll>
      </PageSection>
      <PageSection id="p-ms" title={t.milestones}>
        {v.milestones.length === 0 ? (
          <p class="ds-paragraph">{t.none}</p>
        ) : (
          <Scroll label={t.milestones}>
            <Table head={[t.kind, t.title, t.dueDate]}>
              {v.milestones.map((m) => (
                <tr>
                  <td>{milestoneKindLabel(l, m.kind)}</td>
                  <td lang={lang}>{m.title}</td>
                  <td>{m.kind === 'phase' ? formatPeriod(l, m.startDate, m.dueDate) : formatDate(l, m.dueDate)}</td>
                </tr>
              ))}
            </Table>
          </Scroll>
        )}
        <p class="ds-paragraph">
          <a class="ds-link" href={`/projects/${p.slug}/deadlines.ics`}>
            {t.calendar}
          </a>
        </p>
      </PageSection>
      <PageSection id="p-funding" title={t.funding} empty={v.funding.length === 0} emptyText={t.noFunding}>
        <>
          <p class="ds-paragraph" data-size="sm">
            {t.perCurrencyNote}
          </p>
          <Scroll label={t.totalsBySource}>
            <Table caption={t.totalsBySource} head={[t.funder, t.programme, t.grantReference, ...years.map(String), t.total]}>
              {v.funding.map((s) => (
                <tr>
                  <th scope="row">
                    <a class="ds-link" href={`/organisations/${s.funder.slug}`}>
                      {s.funder.name}
                    </a>
                    {s.isOwn && <> ({t.ownShort})</>}
                  </th>
                  <td>{s.programme ?? ''}</td>
                  <td>{s.grantReference ?? ''}</td>
                  {years.map((y) => {
                    const here = s.amounts.filter((a) => a.year === y);
                    return <td>{here.length ? <Money l={l} p={Object.fromEntries(here.map((a) => [a.currency, a.amountMinor]))} /> : '–'}</td>;
                  })}
                  <td>
                    <Money l={l} p={v.totals.bySource.get(s.id) ?? {}} />
                  </td>
                </tr>
              ))}
              <tr>
                <th scope="row">{t.total}</th>
                <td></td>
                <td></td>
                {years.map((y) => (
                  <td>
                    <Money l={l} p={v.totals.byYear.get(y) ?? {}} />
                  </td>
                ))}
                <td>
                  <Money l={l} p={v.totals.total} />
                </td>
              </tr>
            </Table>
          </Scroll>
        </>
      </PageSection>
      {v.sdgTargets.length > 0 && (
        <PageSection id="p-sdg" title={t.sdgTargets}>
          <ul class="ds-list">
            {v.sdgTargets.map((c) => (
              <li>
                <a class="ds-link" href={`/projects?sdg=${encodeURIComponent(c)}`}>
                  {c}
                </a>{' '}
                <span lang={l === 'en' ? undefined : 'en'}>{targets.get(c) ?? ''}</span>
              </li>
            ))}
          </ul>
        </PageSection>
      )}
      {v.indicators.length > 0 && (
        <PageSection id="p-ind" title={t.indicators}>
          <ul class="ds-list">
            {v.indicators.map((c) => (
              <li>
                <a class="ds-link" href={`/indicators/${encodeURIComponent(c)}`}>
                  {c}
                </a>
              </li>
            ))}
          </ul>
        </PageSection>
      )}
      {(v.planActions.length > 0 || v.challenges.length > 0) && (
        <PageSection id="p-linked" title={t.linkedTo}>
          {v.planActions.length > 0 && (
            <>
              <h3 class="ds-heading" data-size="xs">
                {t.planActions}
              </h3>
              <ul class="ds-list">
                {v.planActions.map((a) => (
                  <li>
                    <a class="ds-link" href={`/actions/${a.id}`}>
                      {a.identifier} <span lang={langIfOther(l, a.lang)}>{a.title}</span>
                    </a>{' '}
                    (
                    <a class="ds-link" href={`/plans/${a.plan.id}`} lang={langIfOther(l, a.plan.lang)}>
                      {a.plan.title}
                    </a>
                    )
                  </li>
                ))}
              </ul>
            </>
          )}
          {v.challenges.length > 0 && (
            <>
              <h3 class="ds-heading" data-size="xs">
                {t.challenges}
              </h3>
              <ul class="ds-list">
                {v.challenges.map((c) => (
                  <li>
                    <a class="ds-link" href={`/challenges/${c.id}`} lang={langIfOther(l, c.lang)}>
                      {c.title}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          )}
        </PageSection>
      )}
      {v.links.length > 0 && (
        <PageSection id="p-links" title={t.links}>
          <ul class="ds-list">
            {v.links.map((x) => (
              <li>
                <a class="ds-link" href={x.url} rel={x.url.startsWith('/') ? undefined : 'noopener noreferrer'}>
                  {x.title}
                </a>
              </li>
            ))}
          </ul>
        </PageSection>
      )}
      <PageSection id="p-docs" title={t.documents}>
        {v.documents.length === 0 ? (
          <p class="ds-paragraph">{t.noDocuments}</p>
        ) : (
          <ul class="ds-list">
            {v.documents.map((d) => (
              <li>
                <a class="ds-link" href={`/projects/${p.slug}/documents/${d.id}`}>
                  {d.title}
                </a>{' '}
                <span class="muted">({d.fileName})</span>
                {v.canManage && (
                  <form method="post" action={`/projects/${p.slug}/documents/${d.id}/delete`} class="inline-form">
                    <Csrf req={req} />{' '}
                    <button class="ds-button" data-variant="tertiary" data-size="sm" type="submit">
                      {t.remove}
                      <span class="visually-hidden">: {d.title}</span>
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
        {v.canManage && (
          <form method="post" action={`/projects/${p.slug}/documents`} enctype="multipart/form-data" class="form" noValidate>
            <h3 class="ds-heading" data-size="xs">
              {t.uploadDocument}
            </h3>
            <Csrf req={req} />
            {docForm && <ErrorSummary req={req} form={docForm} labels={{ title: t.title, file: t.file }} />}
            <TextField name="title" label={t.title} form={docForm ?? emptyForm()} required />
            <FileField name="file" label={t.file} form={docForm ?? emptyForm()} required description={t.fileHelp} />
            <Button variant="secondary">{t.upload}</Button>
          </form>
        )}
      </PageSection>
      {v.canManage && (
        <section class="danger-zone" aria-labelledby="p-delete">
          <h2 class="ds-heading" data-size="sm" id="p-delete">
            {t.deleteProject}
          </h2>
          <p class="ds-paragraph">{t.deleteConfirm}</p>
          <form method="post" action={`/projects/${p.slug}/delete`}>
            <Csrf req={req} />
            <button class="ds-button" data-variant="secondary" data-color="danger" type="submit">
              {t.deleteProject}
            </button>
          </form>
        </section>
      )}
    </Layout>
  );
}
