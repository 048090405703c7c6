/**
 * What progress adds to an indicator's page (the indicators module's `indicatorOverlays` slot, so
 * indicators never depends on progress): the target that applies to each area shown, which the page
 * draws as a dashed line and lists in its table, a sentence for the chart's summary, and the status
 * per area with its one-sentence explanation. Reads the precomputed statuses only.
 */
import type { AppDeps, IndicatorOverlay } from '../../platform/http.js';
import { LEVEL_LABEL, t } from './i18n.js';
import * as q from './queries.js';
import { explain, num, Styles, StatusBadge, TrendBadge } from './views.js';

export function indicatorOverlay(db: AppDeps['db']): IndicatorOverlay {
  return async (req, ind, areas) => {
    const l = req.locale;
    const tr = t[l];
    const empty = { targets: [], summary: null, rowLabel: tr.target, section: null };
    if (!areas.length) return empty;
    const rows = (await q.indicatorProgress(db.orm, ind.id, areas.map((a) => a.id))).filter((s) => s.breakdown === '');
    if (!rows.length) return empty;
    const byArea = new Map(rows.map((s) => [s.area_id, s]));
    const shown = areas.filter((a) => byArea.has(a.id));
    const unit = (v: unknown) => `${num(l, v, ind.decimals)}${ind.unit ? ` ${ind.unit}` : ''}`;
    const targets = shown.flatMap((a) => {
      const s = byArea.get(a.id)!;
      const d = s.details;
      return s.target_id && typeof d.target === 'number' ? [{ areaId: a.id, value: d.target, year: Number(d.targetYear), label: `${LEVEL_LABEL[l][d.level as 'global']}, ${d.targetYear}` }] : [];
    });
    const summary = targets.length
      ? tr.targetLines(targets.map((x) => `${shown.find((a) => a.id === x.areaId)!.name}: ${tr.targetBy(unit(x.value), x.year)}`).join('; '))
      : null;
    const section = (
      <section aria-labelledby="ind-progress">
        <Styles />
        <h2 class="ds-heading" data-size="md" id="ind-progress">
          {tr.statusPerArea}
        </h2>
        <p class="ds-paragraph" data-size="sm">
          {tr.statusPerAreaIntro}
        </p>
        <div class="prog-wrap">
          <table class="ds-table prog-table" data-border>
            <thead>
              <tr>
                <th scope="col">{tr.area}</th>
                <th scope="col">{tr.value}</th>
                <th scope="col">{tr.target}</th>
                <th scope="col">{tr.status}</th>
                <th scope="col">{tr.explanation}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((a) => {
                const s = byArea.get(a.id)!;
                const d = s.details;
                return (
                  <tr>
                    <th scope="row">
                      <a class="ds-link" href={`/areas/${encodeURIComponent(a.key)}/progress`}>
                        {a.name}
                      </a>
                    </th>
                    <td data-label={tr.value}>{d.latestValue != null ? `${unit(d.latestValue)} (${d.latestPeriod})` : '–'}</td>
                    <td data-label={tr.target}>
                      {s.target_id ? (
                        <>
                          {tr.targetBy(unit(d.target), d.targetYear)}
                          <br />
                          <small>{LEVEL_LABEL[l][d.level as 'global']}</small>
                        </>
                      ) : (
                        tr.noTarget
                      )}
                    </td>
                    <td data-label={tr.status}>
                      <StatusBadge l={l} status={s.status} />
                      {s.trend && (
                        <>
                          <br />
                          <TrendBadge l={l} trend={s.trend} />
                        </>
                      )}
                    </td>
                    <td data-label={tr.explanation}>{explain(l, s, ind.decimals, ind.unit)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    );
    return { targets, summary, rowLabel: tr.target, section };
  };
}
