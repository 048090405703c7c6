/**
 * What projects add to other modules' pages through the extension slots: the "Projects" section of
 * an organisation's page, the projects carrying out a plan action, and those answering a challenge.
 */
import type { FastifyRequest } from 'fastify';
import type { AppDeps, OrganisationRef } from '../../platform/http.js';
import { Button, PageSection } from '../../web/components.js';
import { Csrf } from '../../web/form-fields.js';
import { formatPeriod } from '../../web/i18n/index.js';
import { directory } from '../directory/index.js';
import { challenges } from '../challenges/index.js';
import { partnerRoleLabel, pt, stateLabel } from './i18n.js';
import { ProjectList } from './list-views.js';
import { listProjects } from './queries.js';
import * as svc from './service.js';
import { langIfOther } from './views.js';

/** The "Projects" section on an organisation's page: projects it owns, and those it is a partner in with its role and dates. */
export function organisationProjectsSection(db: AppDeps['db']) {
  return async (req: FastifyRequest, org: OrganisationRef) => {
    const l = req.locale;
    const t = pt[l];
    const items = await listProjects(db.orm, req.actor, { organisation: org.id });
    const isNetwork = org.kind === 'network';
    const mayCreate = await directory.canManageOrganisation(db.orm, req.actor, org.id);
    if (!items.length && !isNetwork && !mayCreate) return null;
    const owned = items.filter((e) => e.project.ownerOrgId === org.id);
    const partnerIn = items.flatMap((e) => e.partners.filter((x) => x.organisationId === org.id).map((x) => ({ e, x })));
    return (
      <section aria-labelledby="org-projects" class="section">
        <h2 class="ds-heading" data-size="sm" id="org-projects">
          {t.orgProjects}
        </h2>
        {owned.length > 0 && (
          <>
            <h3 class="ds-heading" data-size="xs">
              {t.owns}
            </h3>
            <ul class="ds-list">
              {owned.map((e) => (
                <li>
                  <a class="ds-link" href={`/projects/${e.project.slug}`} lang={langIfOther(l, e.project.lang)}>
                    {e.project.name}
                  </a>{' '}
                  ({formatPeriod(l, e.project.startDate, e.project.endDate) || stateLabel(l, e.project.state)})
                </li>
              ))}
            </ul>
          </>
        )}
        {partnerIn.length > 0 && (
          <>
            <h3 class="ds-heading" data-size="xs">
              {t.partnerIn}
            </h3>
            <ul class="ds-list">
              {partnerIn.map(({ e, x }) => (
                <li>
                  <a class="ds-link" href={`/projects/${e.project.slug}`} lang={langIfOther(l, e.project.lang)}>
                    {e.project.name}
                  </a>
                  {`: ${partnerRoleLabel(l, x.role)}, ${formatPeriod(l, x.startDate ?? e.project.startDate, x.endDate ?? e.project.endDate)}`}
                </li>
              ))}
            </ul>
          </>
        )}
        {!items.length && <p class="ds-paragraph">{t.noProjectsYet}</p>}
        <p class="ds-paragraph">
          {isNetwork && (
            <a class="ds-link" href={`/projects/networks/${org.slug}`}>
              {t.overviewLink}
            </a>
          )}
          {isNetwork && mayCreate && ' · '}
          {mayCreate && (
            <a class="ds-link" href={`/projects/new?owner=${org.slug}`}>
              {t.newProject}
            </a>
          )}
        </p>
      </section>
    );
  };
}

/** Projects on a plan action's page (/actions/{id}): those carrying it out that the reader may see. */
export function actionProjectsSection(db: AppDeps['db']) {
  return async (req: FastifyRequest, action: { id: string }) => {
    const l = req.locale;
    const t = pt[l];
    const items = await listProjects(db.orm, req.actor, { action: action.id });
    if (!items.length) return null;
    return (
      <PageSection id="action-projects" title={t.actionProjects}>
        <ProjectList l={l} items={items} />
      </PageSection>
    );
  };
}

/**
 * Projects on a challenge's page: those answering it that the reader may see and, for the
 * challenge's managers, a "Start a project" button per accepted response that has none yet. The
 * challenges module only renders the slot, so it never depends on projects.
 */
export function challengeProjectsSection(db: AppDeps['db']) {
  return async (req: FastifyRequest, challenge: { id: string; organisationId: string; canManage: boolean }) => {
    const l = req.locale;
    const t = pt[l];
    const items = await listProjects(db.orm, req.actor, { challenge: challenge.id });
    const accepted = challenge.canManage ? await challenges.acceptedResponses(db.orm, req.actor, challenge.id) : [];
    const starts: { responseId: string; org: { name: string; slug: string }; started: { slug: string; name: string } | null }[] = [];
    for (const r of accepted) {
      if (!r.responderOrgId) continue;
      const org = await directory.getOrganisation(db.orm, r.responderOrgId);
      const p = await svc.projectStartedFrom(db.orm, r.id);
      starts.push({ responseId: r.id, org: { name: org.name, slug: org.slug }, started: p ? { slug: p.slug, name: p.name } : null });
    }
    if (!items.length && !starts.length) return null;
    return (
      <PageSection id="challenge-projects" title={t.challengeProjects}>
        {items.length > 0 && <ProjectList l={l} items={items} />}
        {starts.some((x) => !x.started) && <p class="ds-paragraph" data-size="sm">{t.startHelp}</p>}
        {starts.map((x) =>
          x.started ? null : (
            <form method="post" action="/projects/from-response" class="inline-form">
              <Csrf req={req} />
              <input type="hidden" name="challengeId" value={challenge.id} />
              <input type="hidden" name="responseId" value={x.responseId} />
              <Button variant="secondary">{t.startProjectWith(x.org.name)}</Button>{' '}
            </form>
          ),
        )}
      </PageSection>
    );
  };
}
