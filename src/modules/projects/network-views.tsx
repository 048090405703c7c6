/** How a network's overview looks: funding by funder and year (a chart and a table per currency), its members' projects, and its exchange rates. */
import type { FastifyRequest } from 'fastify';
import { Button, PageSection, Table } from '../../web/components.js';
import { Csrf, ErrorSummary, TextArea, type FormState } from '../../web/form-fields.js';
import { Layout } from '../../web/layout.js';
import { fundingChartSvg } from './chart.js';
import { pt } from './i18n.js';
import { formatMoney, rateToDecimal, toDecimal } from './money.js';
import type { Overview } from './overview.js';
import { CURRENCIES, type Currency } from './schema.js';
import { ProjectsTable, Scroll } from './views.js';

/**
 * A network's overview. `currency`: the one to convert to (null: each source's own); `canRates`:
 * whether the reader may set the exchange rates; `ratesForm`: a rejected rates form.
 */
export function NetworkOverviewPage({ req, o, currency, canRates, ratesForm }: { req: FastifyRequest; o: Overview; currency: Currency | null; canRates: boolean; ratesForm: FormState | undefined }) {
  const l = req.locale;
  const t = pt[l];
  // One chart per currency shown: sums in different currencies never share an axis.
  const currencies = [...new Set(o.cells.map((c) => c.currency))].sort();
  const years = [...new Set(o.cells.map((c) => c.year))].sort((a, b) => a - b);
  const title = t.overviewOf(o.network.name);
  const ratesText = ratesForm?.values.ratesText ?? o.rates.map((x) => `${x.year} ${x.from} ${x.to} ${rateToDecimal(x.rateMicro)}`).join('\n');
  return (
    <Layout req={req} title={title} crumbs={[{ href: '/projects', label: t.projects }, { href: `/organisations/${o.network.slug}`, label: o.network.name }]}>
      <h1 class="ds-heading" data-size="lg">
        {title}
      </h1>
      <p class="ds-paragraph lead">{t.overviewIntro(o.members, o.projects.length)}</p>
      <form method="get" action={`/projects/networks/${o.network.slug}`} class="filter-form">
        <div class="ds-field">
          <label class="ds-label" for="ov-currency">
            {t.showIn}
          </label>
          <select class="ds-input" id="ov-currency" name="currency">
            <option value="">{t.ownCurrencies}</option>
            {CURRENCIES.map((c) => (
              <option value={c} selected={currency === c}>
                {c}
              </option>
            ))}
          </select>
        </div>
        <Button variant="secondary">{t.filter}</Button>
      </form>
      <PageSection id="ov-funding" title={t.fundingByFunderYear}>
        {currency && o.cells.some((c) => c.converted) && <p class="ds-paragraph">{t.convertedNote(currency)}</p>}
        {o.cells.length === 0 && <p class="ds-paragraph">{t.noFunding}</p>}
        {currencies.map((cur) => {
          const cells = o.cells.filter((c) => c.currency === cur);
          const funders = [...new Set(cells.map((c) => c.funder))];
          const ys = years.filter((y) => cells.some((c) => c.year === y));
          const series = funders.map((f) => ({ name: f, values: ys.map((y) => cells.filter((c) => c.funder === f && c.year === y).reduce((s, c) => s + Number(toDecimal(c.amountMinor)), 0)) }));
          const totals = funders.map((f) => [f, cells.filter((c) => c.funder === f).reduce((s, c) => s + c.amountMinor, 0n)] as const).sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : 0));
          const summary = t.chartSummary(cur, ys.length ? `${ys[0]}–${ys[ys.length - 1]}` : '', totals[0] ? `${totals[0][0]} (${formatMoney(l, totals[0][1], cur)})` : '–');
          return (
            <figure class="section">
              <figcaption class="ds-paragraph">{summary}</figcaption>
              <div role="img" aria-label={summary} dangerouslySetInnerHTML={{ __html: fundingChartSvg(l, ys, series, cur) }} />
              <Scroll label={`${t.fundingByFunderYear} (${cur})`}>
                <Table caption={`${t.fundingByFunderYear} (${cur})`} head={[t.funder, ...ys.map(String)]}>
                  {funders.map((f) => (
                    <tr>
                      <th scope="row">{f}</th>
                      {ys.map((y) => {
                        const here = cells.filter((c) => c.funder === f && c.year === y);
                        const sum = here.reduce((s, c) => s + c.amountMinor, 0n);
                        return (
                          <td>
                            {here.length ? formatMoney(l, sum, cur) : '–'}
                            {here.some((c) => c.converted) && <> ({t.converted})</>}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </Table>
              </Scroll>
            </figure>
          );
        })}
      </PageSection>
      <PageSection id="ov-projects" title={t.projects} empty={o.projects.length === 0} emptyText={t.noProjectsYet}>
        <ProjectsTable l={l} items={o.projects} />
      </PageSection>
      <PageSection id="ov-rates" title={t.rates}>
        {o.rates.length === 0 && <p class="ds-paragraph">{t.noRates}</p>}
        {o.rates.length > 0 && (
          <ul class="ds-list">
            {o.rates.map((x) => (
              <li>{`${x.year}: 1 ${x.from} = ${rateToDecimal(x.rateMicro)} ${x.to}`}</li>
            ))}
          </ul>
        )}
        {canRates && (
          <form method="post" action={`/projects/networks/${o.network.slug}/rates`} class="form" noValidate>
            <Csrf req={req} />
            {ratesForm && <ErrorSummary req={req} form={ratesForm} labels={{ ratesText: t.rates }} />}
            <TextArea name="ratesText" label={t.rates} form={{ values: { ratesText }, errors: ratesForm?.errors ?? {} }} description={t.ratesHelp} rows={4} />
            <Button variant="secondary">{t.saveRates}</Button>
          </form>
        )}
      </PageSection>
    </Layout>
  );
}
