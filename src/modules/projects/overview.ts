/**
 * A network's overview: its members' projects (owned or as partner) and their
 * funding by funder and year. Sums stay per currency; where the network chose
 * a currency and entered rates, amounts with a rate are converted into it and
 * the cell is marked converted. Amounts without a rate stay in their own currency.
 */
import type { Actor } from '../../platform/audit.js';
import type { Executor } from '../../platform/db/index.js';
import { directory, type OrganisationRow } from '../directory/index.js';
import { convert, type Rate } from './money.js';
import { listProjects, networkMemberIds, OrgNames, type ListEntry } from './queries.js';
import type { Currency } from './schema.js';
import { ratesOf } from './service.js';

export type Cell = { funder: string; funderSlug: string; year: number; currency: Currency; amountMinor: bigint; converted: boolean };
export type Overview = { network: OrganisationRow; members: number; projects: ListEntry[]; cells: Cell[]; rates: Rate[]; currency: Currency | null };

export async function networkOverview(db: Executor, actor: Actor, networkRef: string, currency: Currency | null): Promise<Overview> {
  const network = await directory.getOrganisation(db, networkRef);
  const members = await networkMemberIds(db, network.id);
  const names = new OrgNames(db);
  const memberSet = new Set(members);
  const all = members.length ? await listProjects(db, actor, {}, names) : [];
  const projects = all.filter((e) => memberSet.has(e.project.ownerOrgId) || e.partners.some((x) => memberSet.has(x.organisationId)));
  const rates = (await ratesOf(db, network.id)).map((r) => ({ year: r.year, from: r.fromCurrency, to: r.toCurrency, rateMicro: r.rateMicro }));
  const cells = new Map<string, Cell>();
  const addCell = (funder: { name: string; slug: string }, year: number, cur: Currency, v: bigint, converted: boolean) => {
    const k = `${funder.slug}|${year}|${cur}|${converted}`;
    const c = cells.get(k) ?? { funder: funder.name, funderSlug: funder.slug, year, currency: cur, amountMinor: 0n, converted };
    c.amountMinor += v;
    cells.set(k, c);
  };
  for (const e of projects)
    for (const s of e.funding)
      for (const a of s.amounts) {
        if (!currency || a.currency === currency) {
          addCell(s.funder, a.year, a.currency, a.amountMinor, false);
          continue;
        }
        const c = convert([a], currency, rates);
        if (c.missing.length) addCell(s.funder, a.year, a.currency, a.amountMinor, false);
        else addCell(s.funder, a.year, currency, c.amountMinor, true);
      }
  const collator = new Intl.Collator('sv');
  return {
    network,
    members: members.length,
    projects,
    cells: [...cells.values()].sort((x, y) => collator.compare(x.funder, y.funder) || x.year - y.year || x.currency.localeCompare(y.currency) || Number(x.converted) - Number(y.converted)),
    rates,
    currency,
  };
}
