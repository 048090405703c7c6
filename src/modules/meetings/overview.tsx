/**
 * The meetings module's parts of the overviews: upcoming meetings and the
 * latest minutes on the home page, and the count of upcoming meetings among
 * an organisation's key figures.
 */
import type { FastifyRequest } from 'fastify';
import { readAll, type Database } from '../../platform/db/index.js';
import type { KeyFigure } from '../../platform/http.js';
import { Section } from '../../web/components.js';
import { defineCatalog } from '../../web/i18n/index.js';
import { MeetingList, formatWhen } from './views.js';
import { countMeetings, listMeetings } from './queries.js';

const h = defineCatalog(
  {
    upcoming: 'Upcoming meetings',
    latestMinutes: 'Latest minutes',
    allMeetings: 'All meetings',
    noUpcoming: 'No meetings are planned.',
    upcomingFigure: 'Upcoming meetings',
  },
  {
    sv: { upcoming: 'Kommande möten', latestMinutes: 'Senaste protokollen', allMeetings: 'Alla möten', noUpcoming: 'Inga möten är planerade.', upcomingFigure: 'Kommande möten' },
    nb: { upcoming: 'Kommende møter', latestMinutes: 'Siste protokoller', allMeetings: 'Alle møter', noUpcoming: 'Ingen møter er planlagt.', upcomingFigure: 'Kommende møter' },
    da: { upcoming: 'Kommende møder', latestMinutes: 'Seneste referater', allMeetings: 'Alle møder', noUpcoming: 'Ingen møder er planlagt.', upcomingFigure: 'Kommende møder' },
  },
);

export function meetingsHomeSection(db: Database) {
  return async (req: FastifyRequest) => {
    const s = h[req.locale];
    const [upcoming, past] = await Promise.all([listMeetings(db.orm, { when: 'upcoming', pageSize: 4 }), listMeetings(db.orm, { when: 'past', pageSize: 30 })]);
    const minutes = past.items.filter((e) => e.meeting.minutesPublishedAt).slice(0, 4);
    if (!upcoming.items.length && !minutes.length) return null;
    return (
      <div class="columns">
        <Section id="home-upcoming" title={s.upcoming} empty={!upcoming.items.length} whenEmpty={{ text: s.noUpcoming, always: true }}>
          <MeetingList req={req} entries={upcoming.items} />
          <p class="ds-paragraph">
            <a class="ds-link" href="/meetings">
              {s.allMeetings}
            </a>
          </p>
        </Section>
        <Section id="home-minutes" title={s.latestMinutes} empty={!minutes.length}>
          <ul class="entity-list">
            {minutes.map(({ meeting: m, organisers }) => (
              <li>
                <a class="ds-link" href={`/meetings/${m.id}/minutes`} lang={m.lang !== req.locale ? m.lang : undefined}>
                  {m.title}
                </a>
                <br />
                <span class="ds-paragraph" data-size="sm">
                  {formatWhen(req.locale, m)} · {organisers.map((o) => o.name).join(', ')}
                </span>
              </li>
            ))}
          </ul>
        </Section>
      </div>
    );
  };
}

/** "Upcoming meetings: 3" among an organisation's key figures, for bodies that hold meetings. */
export function organisationMeetingFigures(db: Database) {
  return async (req: FastifyRequest, org: { id: string; slug: string }): Promise<KeyFigure[]> => {
    // Counts only: the figure shows a number, not the meetings.
    const now = new Date();
    const [upcoming, past] = await readAll(db.orm, [
      () => countMeetings(db.orm, { organisationIds: [org.id], when: 'upcoming', now }),
      () => countMeetings(db.orm, { organisationIds: [org.id], when: 'past', now }),
    ]);
    if (!upcoming && !past) return [];
    return [{ label: h[req.locale].upcomingFigure, value: upcoming > 99 ? '99+' : upcoming, href: `/meetings/bodies/${org.slug}` }];
  };
}
