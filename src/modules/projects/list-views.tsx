/** How lists of projects look: the projects page with its filters, and the short list on other modules' pages. */
import type { FastifyRequest } from 'fastify';
import { Button, ButtonLink } from '../../web/components.js';
import { formatPeriod, type Locale } from '../../web/i18n/index.js';
import { Layout } from '../../web/layout.js';
import { SDG_GOALS } from '../indicators/index.js';
import { countryLabel, pt, stateLabel } from './i18n.js';
import type { ListFilter } from './inputs.js';
import * as policy from './policy.js';
import type { ListEntry } from './queries.js';
import { PROJECT_STATES } from './schema.js';
import { langIfOther, ProjectsTable } from './views.js';

/** The projects page: the filters (`f`), the exports and calendar for the same filters, and the projects found. `opts`: organisations to filter by. */
export function ProjectListPage({ req, f, items, opts }: { req: FastifyRequest; f: ListFilter; items: ListEntry[]; opts: { value: string; label: string }[] }) {
  const l = req.locale;
  const t = pt[l];
  const filtered = Object.values(f).some((v) => v !== undefined && v !== '');
  const qs = new URLSearchParams(Object.entries(f).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])).toString();
  const Select = ({ name, label, choices, value }: { name: string; label: string; choices: { value: string; label: string }[]; value: string | number | undefined }) => (
    <div class="ds-field">
      <label class="ds-label" for={`flt-${name}`}>
        {label}
      </label>
      <select class="ds-input" id={`flt-${name}`} name={name}>
        <option value="">{t.any}</option>
        {choices.map((c) => (
          <option value={c.value} selected={String(value ?? '') === c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
  const years = Array.from({ length: 15 }, (_, i) => String(new Date().getUTCFullYear() + 2 - i));
  return (
    <Layout req={req} title={t.projects}>
      <h1 class="ds-heading" data-size="lg">
        {t.projects}
      </h1>
      <div class="actions">
        {policy.mayCreateSome(req.actor) && <ButtonLink href="/projects/new" variant="primary">{t.newProject}</ButtonLink>}
        <a class="ds-link" href={`/projects/export.csv${qs ? `?${qs}` : ''}`}>
          {t.exportCsv}
        </a>
        <a class="ds-link" href={`/projects/export.xlsx${qs ? `?${qs}` : ''}`}>
          {t.exportXlsx}
        </a>
        <a class="ds-link" href={`/projects/deadlines.ics${qs ? `?${qs}` : ''}`}>
          {t.calendar}
        </a>
      </div>
      <form method="get" action="/projects" class="filter-form" role="search" aria-label={t.filters}>
        <div class="ds-field">
          <label class="ds-label" for="flt-q">
            {t.search}
          </label>
          <input class="ds-input" type="search" id="flt-q" name="q" value={f.q ?? ''} />
        </div>
        <Select name="organisation" label={t.organisation} choices={opts} value={f.organisation} />
        <Select name="partner" label={t.partner} choices={opts} value={f.partner} />
        <Select name="funder" label={t.funder} choices={opts} value={f.funder} />
        <Select name="sdg" label={t.sdg} choices={SDG_GOALS.map((g) => ({ value: g.code, label: `${g.code}. ${g.short[l]}` }))} value={f.sdg} />
        <Select name="state" label={t.state} choices={PROJECT_STATES.map((s) => ({ value: s, label: stateLabel(l, s) }))} value={f.state} />
        <Select name="year" label={t.year} choices={years.map((y) => ({ value: y, label: y }))} value={f.year} />
        <Select name="country" label={t.country} choices={(['SE', 'NO', 'DK'] as const).map((c) => ({ value: c, label: countryLabel(l, c) }))} value={f.country} />
        <Button variant="secondary">{t.filter}</Button>
      </form>
      {items.length === 0 ? (
        <>
          <p class="ds-paragraph">{filtered ? t.noProjects : t.noProjectsYet}</p>
          {!filtered && policy.mayCreateSome(req.actor) && <p class="ds-paragraph">{t.createHint}</p>}
        </>
      ) : (
        <ProjectsTable l={l} items={items} funders />
      )}
    </Layout>
  );
}

/** Projects in short: name, owner, and period or state. */
export function ProjectList({ l, items }: { l: Locale; items: ListEntry[] }) {
  return (
    <ul class="ds-list">
      {items.map((e) => (
        <li>
          <a class="ds-link" href={`/projects/${e.project.slug}`} lang={langIfOther(l, e.project.lang)}>
            {e.project.name}
          </a>{' '}
          ({e.owner.name}; {formatPeriod(l, e.project.startDate, e.project.endDate) || stateLabel(l, e.project.state)})
        </li>
      ))}
    </ul>
  );
}
