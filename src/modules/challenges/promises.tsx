/**
 * The four promises of the Stavanger declaration, on the page of each organisation that signed it: what
 * the figures, plans, challenges and measured actions show of each, and where to see more.
 */
import type { Database } from '../../platform/db/index.js';
import type { OrganisationSection } from '../../platform/http.js';
import { directory } from '../directory/index.js';
import { areaIndicators } from '../indicators/index.js';
import { plans } from '../plans/index.js';
import { ct } from './i18n.js';
import * as q from './queries.js';

const STAVANGER = 'stavangererklaeringen';

export function promisesSection(db: Database): OrganisationSection {
  return async (req, org) => {
    if (!(await directory.hasOpenSignature(db.orm, org.id, STAVANGER))) return null;
    const l = req.locale;
    const t = ct[l];
    const withData = org.areaId ? (await areaIndicators(db.orm, org.areaId)).filter((r) => r.latest_value != null).length : 0;
    const planEv = await plans.promiseEvidence(db.orm, org);
    const mob = await q.mobilisation(db.orm, org.id);
    const area = !org.areaId ? null : org.area !== undefined ? org.area : await directory.getAreaById(db.orm, org.areaId);
    const Promise = ({ n, title, have, text, missing, links }: { n: number; title: string; have: boolean; text: string; missing: string; links: { href: string; label: string }[] }) => (
      <li class="promise">
        <h3 class="ds-heading" data-size="xs">
          {n}. {title}
        </h3>
        <p class="ds-paragraph">
          <span aria-hidden="true">{have ? '✔ ' : '○ '}</span>
          {have ? text : missing}{' '}
          {links.map((x) => (
            <>
              {' '}
              <a class="ds-link" href={x.href}>
                {x.label}
              </a>
            </>
          ))}
        </p>
      </li>
    );
    return (
      <section class="section promises" aria-labelledby="promises-h">
        <h2 class="ds-heading" data-size="md" id="promises-h">
          {t.promisesTitle}
        </h2>
        <p class="ds-paragraph">{t.promisesIntro}</p>
        <ol class="entity-list" style="list-style: none; padding-left: 0">
          <Promise n={1} title={t.promise1} have={withData > 0} text={`${t.p1Have(withData)} ${t.p1Targets}`} missing={`${t.p1Missing} ${t.p1Targets}`} links={area ? [{ href: `/areas/${area.key}`, label: t.seeIndicators }] : []} />
          <Promise
            n={2}
            title={t.promise2}
            have={planEv.adoptedPlans.length > 0}
            text={t.p2Have(planEv.adoptedPlans.length, planEv.linkedActions)}
            missing={t.p2Missing}
            links={planEv.adoptedPlans.map((p) => ({ href: `/plans/${p.id}`, label: p.title }))}
          />
          <Promise n={3} title={t.promise3} have={mob.challenges > 0} text={t.p3Have(mob.challenges, mob.partners)} missing={t.p3Missing} links={mob.challenges ? [{ href: `/challenges?organisation=${org.slug}`, label: t.seeChallenges }] : []} />
          <Promise n={4} title={t.promise4} have={planEv.measuredActions > 0} text={t.p4Have(planEv.measuredActions)} missing={t.p4Missing} links={planEv.adoptedPlans.length ? [{ href: `/organisations/${org.slug}/priorities`, label: t.seePriorities }] : []} />
        </ol>
      </section>
    );
  };
}
