/**
 * The indicators module's parts of the overviews: on the home page, the
 * coverage as key figures and one SDG tile per goal with its number of
 * indicators; on an organisation's page, "indicators with data" for its area.
 */
import type { FastifyRequest } from 'fastify';
import type { AppDeps, KeyFigure, OrganisationRef } from '../../platform/http.js';
import { KeyFigures, SdgTile, SdgTiles, Section } from '../../web/components.js';
import { defineCatalog, formatNumber } from '../../web/i18n/index.js';
import { directory } from '../directory/index.js';
import * as q from './queries.js';

const h = defineCatalog(
  {
    title: 'Indicators and the global goals',
    figures: 'Indicator coverage',
    indicators: 'Indicators',
    withData: 'Indicators with data',
    areas: 'Areas with data',
    perGoal: (n: number, f: string) => (n === 1 ? '1 indicator' : `${f} indicators`),
    goals: 'The global goals',
    all: 'All indicators',
  },
  {
    sv: { title: 'Indikatorer och de globala målen', figures: 'Indikatortäckning', indicators: 'Indikatorer', withData: 'Indikatorer med data', areas: 'Områden med data', perGoal: (n: number, f: string) => (n === 1 ? '1 indikator' : `${f} indikatorer`), goals: 'De globala målen', all: 'Alla indikatorer' },
    nb: { title: 'Indikatorer og bærekraftsmålene', figures: 'Indikatordekning', indicators: 'Indikatorer', withData: 'Indikatorer med data', areas: 'Områder med data', perGoal: (n: number, f: string) => (n === 1 ? '1 indikator' : `${f} indikatorer`), goals: 'Bærekraftsmålene', all: 'Alle indikatorer' },
    da: { title: 'Indikatorer og verdensmålene', figures: 'Indikatordækning', indicators: 'Indikatorer', withData: 'Indikatorer med data', areas: 'Områder med data', perGoal: (n: number, f: string) => (n === 1 ? '1 indikator' : `${f} indikatorer`), goals: 'Verdensmålene', all: 'Alle indikatorer' },
  },
);

export function indicatorsHomeSection(db: AppDeps['db']) {
  return async (req: FastifyRequest) => {
    const l = req.locale;
    const s = h[l];
    const [cov, goals] = await Promise.all([q.coverage(db.orm), q.sdgGoals(db.orm, l)]);
    if (cov.indicators === 0) return null;
    return (
      <Section id="home-indicators" title={s.title}>
        <KeyFigures
          locale={l}
          label={s.figures}
          figures={[
            { label: s.withData, value: cov.withData, href: '/indicators', hint: cov.indicators > cov.withData ? `/ ${formatNumber(l, cov.indicators)}` : undefined },
            { label: s.areas, value: cov.areas },
          ]}
        />
        {goals.length > 0 && (
          <SdgTiles label={s.goals}>
            {goals.map((g) => (
              <SdgTile goal={g.code} name={g.name} href={`/indicators?goal=${g.code}`} extra={s.perGoal(cov.perGoal.get(g.code) ?? 0, formatNumber(l, cov.perGoal.get(g.code) ?? 0))} />
            ))}
          </SdgTiles>
        )}
      </Section>
    );
  };
}

/** "Indicators with data" among a territorial organisation's key figures. */
export function organisationIndicatorFigures(db: AppDeps['db']) {
  return async (req: FastifyRequest, org: Pick<OrganisationRef, 'areaId' | 'area'>): Promise<KeyFigure[]> => {
    if (!org.areaId) return [];
    const area = org.area !== undefined ? org.area : await directory.getAreaById(db.orm, org.areaId);
    if (!area) return [];
    const n = await q.areaIndicatorCount(db.orm, area.id);
    return [{ label: h[req.locale].withData, value: n, href: `/areas/${area.key}` }];
  };
}
