import type { FastifyRequest } from 'fastify';
import type { Database } from '../../platform/db/index.js';
import { KeyFigures, Section } from '../../web/components.js';
import { formatNumber, sortByText } from '../../web/i18n/index.js';
import { ov } from './overview.js';
import { directoryCounts, networksWithMemberCounts } from './queries.js';

/** The directory's part of the home page: key figures, then the networks with their member counts. */
export function directoryHomeSection(db: Database) {
  return async (req: FastifyRequest) => {
    const l = req.locale;
    const t = ov[l];
    const [counts, networks] = await Promise.all([directoryCounts(db), networksWithMemberCounts(db)]);
    const territorial = (counts.kinds.municipality ?? 0) + (counts.kinds.county ?? 0) + (counts.kinds.region ?? 0);
    const sorted = sortByText(l, networks, (n) => n.name);
    return (
      <>
        <KeyFigures
          locale={l}
          label={t.homeFigures}
          figures={[
            { label: t.figNetworks, value: counts.kinds.network ?? 0, href: '/organisations?kind=network' },
            { label: t.figMunicipalities, value: territorial, href: '/organisations?kind=municipality' },
            { label: t.figPeople, value: counts.people, href: '/people' },
            { label: t.figCommitments, value: counts.commitments, href: '/commitments' },
          ]}
        />
        <Section id="home-networks" title={t.networksTitle} count={sorted.length} empty={sorted.length === 0}>
          <ul class="card-list">
            {sorted.map((n) => (
              <li>
                <a class="ds-link" href={`/organisations/${n.slug}`}>
                  {n.name}
                </a>
                <span class="muted">{t.memberCount(n.members, formatNumber(l, n.members))}</span>
              </li>
            ))}
          </ul>
          <p class="ds-paragraph">
            <a class="ds-link" href="/organisations">
              {t.allOrganisations}
            </a>
          </p>
        </Section>
      </>
    );
  };
}
