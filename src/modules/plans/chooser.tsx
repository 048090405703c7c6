/**
 * The indicator chooser of the priority forms: a GET form of filters (framework, SDG goal and
 * target, the KS/SSB taxonomy's dimensions, words) above the check boxes of the priority form.
 * Without JavaScript the filter form reloads the page; with htmx it swaps only the list and keeps
 * the boxes already ticked. Indicators already chosen always stay on the list.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Executor } from '../../platform/db/index.js';
import { Button } from '../../web/components.js';
import { type FormState } from '../../web/form-fields.js';
import { formatNumber } from '../../web/i18n/index.js';
import { chooseIndicators, indicatorFacets, indicatorsByCodes, SDG_GOALS, sdgTargets, type IndicatorFilter } from '../indicators/index.js';
import { pt } from './i18n.js';

const many = (max: number, item: z.ZodType<string>) => z.union([item, z.array(item).max(max)]).optional().transform((v) => (v == null ? [] : Array.isArray(v) ? v : [v]).filter(Boolean));
/** The filter's query string (also what the htmx request sends, with the ticked boxes). */
export const ChooserQuery = z.object({
  goal: z.string().regex(/^(\d{1,2})?$/).optional(),
  target: z.string().regex(/^(\d{1,2}\.[0-9a-z]{1,2})?$/).optional(),
  framework: z.string().max(100).optional(),
  dim: many(6, z.string().max(120)),
  q: z.string().max(200).optional(),
  indicatorCodes: many(50, z.string().max(200)),
});
export type ChooserQuery = z.output<typeof ChooserQuery>;

export function chooserFilter(qs: ChooserQuery): IndicatorFilter {
  return {
    ...(qs.goal ? { goal: qs.goal } : {}),
    ...(qs.target ? { target: qs.target } : {}),
    ...(qs.framework ? { framework: qs.framework } : {}),
    ...(qs.dim.length ? { dimensions: qs.dim } : {}),
    ...(qs.q?.trim() ? { q: qs.q.trim() } : {}),
  };
}

/** Everything the chooser shows, read once per page. `chosen`: codes ticked (saved, submitted or carried by the filter request). */
export async function loadChooser(db: Executor, req: FastifyRequest, qs: ChooserQuery, chosen: string[]) {
  const filter = chooserFilter(qs);
  const [facets, found, kept] = await Promise.all([indicatorFacets(db, req.locale), chooseIndicators(db, filter), indicatorsByCodes(db, chosen)]);
  const shown = new Set(found.items.map((i) => i.code));
  return { qs, facets, found, chosen: new Set(chosen), list: [...kept.filter((i) => !shown.has(i.code)), ...found.items] };
}
export type ChooserData = Awaited<ReturnType<typeof loadChooser>>;

/** The filter form (GET to `action`, the page itself). */
export function ChooserFilters({ req, action, data }: { req: FastifyRequest; action: string; data: ChooserData }) {
  const l = req.locale;
  const t = pt[l];
  const { qs, facets } = data;
  const targets = qs.goal ? sdgTargets().filter((x) => x.goal === qs.goal) : sdgTargets();
  return (
    <form
      method="get"
      action={action}
      class="filter-form"
      role="search"
      aria-label={t.filterIndicators}
      hx-get={action}
      hx-target="#f-indicatorCodes"
      hx-select="#f-indicatorCodes"
      hx-swap="outerHTML"
      hx-include="#f-indicatorCodes input:checked"
    >
      <fieldset class="ds-fieldset">
        <legend class="ds-label">{t.filterIndicators}</legend>
        <div class="ds-field">
          <label class="ds-label" for="f-framework">
            {t.framework}
          </label>
          <select class="ds-input" id="f-framework" name="framework">
            <option value="">{t.allFrameworks}</option>
            {facets.frameworks.map((f) => (
              <option value={f.key} selected={f.key === qs.framework}>
                {f.name} ({formatNumber(l, f.count)})
              </option>
            ))}
          </select>
        </div>
        <div class="ds-field">
          <label class="ds-label" for="f-goal">
            {t.sdgGoal}
          </label>
          <select class="ds-input" id="f-goal" name="goal">
            <option value="">{t.allGoals}</option>
            {SDG_GOALS.map((g) => (
              <option value={g.code} selected={g.code === qs.goal}>
                {g.code} {g.short[l]}
              </option>
            ))}
          </select>
        </div>
        <div class="ds-field">
          <label class="ds-label" for="f-target">
            {t.sdgTarget}
          </label>
          <select class="ds-input" id="f-target" name="target">
            <option value="">{t.allTargets}</option>
            {targets.map((x) => (
              <option value={x.code} selected={x.code === qs.target}>
                {x.code}
              </option>
            ))}
          </select>
        </div>
        {facets.dimensions.map((d) => (
          <div class="ds-field">
            <label class="ds-label" for={`f-dim-${d.code}`}>
              {d.name}
            </label>
            <select class="ds-input" id={`f-dim-${d.code}`} name="dim">
              <option value="">{t.anyValue}</option>
              {d.values.map((v) => (
                <option value={v.code} selected={qs.dim.includes(v.code)}>
                  {v.name} ({formatNumber(l, v.count)})
                </option>
              ))}
            </select>
          </div>
        ))}
        <div class="ds-field">
          <label class="ds-label" for="f-q">
            {t.nameOrCode}
          </label>
          <input class="ds-input" type="search" id="f-q" name="q" value={qs.q ?? ''} />
        </div>
      </fieldset>
      <Button variant="secondary">{t.filter}</Button>
    </form>
  );
}

/** The check boxes, inside the priority form. */
export function ChooserList({ req, form, data }: { req: FastifyRequest; form: FormState; data: ChooserData }) {
  const l = req.locale;
  const t = pt[l];
  const { found } = data;
  return (
    <fieldset class="ds-fieldset" id="f-indicatorCodes" aria-describedby="f-indicatorCodes-desc">
      <legend class="ds-label">{t.chooseIndicators}</legend>
      <p class="ds-paragraph field-desc" data-size="sm" id="f-indicatorCodes-desc" role="status">
        {found.filtered ? (found.total > found.items.length ? t.showingOf(formatNumber(l, found.items.length), formatNumber(l, found.total)) : t.matching(formatNumber(l, found.total))) : t.unfilteredHint}
      </p>
      {form.errors.indicatorCodes && (
        <p class="ds-validation-message" data-color="danger">
          {form.errors.indicatorCodes}
        </p>
      )}
      {data.list.map((i, n) => (
        <div class="ds-field">
          <input class="ds-input" type="checkbox" name="indicatorCodes" value={i.code} id={`ind-${n}`} checked={data.chosen.has(i.code)} />
          <label class="ds-label" for={`ind-${n}`} style="font-weight: normal">
            {i.name} <span class="muted">({i.code}{i.hasData ? '' : `, ${t.noDataYet}`})</span>
          </label>
        </div>
      ))}
    </fieldset>
  );
}
