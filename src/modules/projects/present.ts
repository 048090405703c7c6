/**
 * Presenters: what of a project leaves the server, in one place for the API,
 * the exports and the pages' data. Storage keys and extracted document text never do.
 */
import { z } from 'zod';
import { iso } from '../../web/api.js';
import { presentPerCurrency, toDecimal } from './money.js';
import type { ListEntry, OrgRef, ProjectView } from './queries.js';
import { CURRENCIES, MILESTONE_KINDS, PARTNER_ROLES, PROJECT_STATES } from './schema.js';

const Org = z.object({ id: z.string(), slug: z.string(), name: z.string() });
const Money = z.object({ currency: z.enum(CURRENCIES), amountMinor: z.number().int().describe('Integer minor units (öre, øre, cent)'), amount: z.string().describe('Exact decimal in major units') });

export const ProjectSummary = z.object({
  id: z.string().uuid(),
  slug: z.string(),
  name: z.string(),
  acronym: z.string().nullable(),
  lang: z.string(),
  state: z.enum(PROJECT_STATES),
  visibility: z.string(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  owner: Org,
  partners: z.array(Org.extend({ role: z.enum(PARTNER_ROLES), startDate: z.string().nullable(), endDate: z.string().nullable() })),
  funders: z.array(Org),
  total: z.array(Money).describe('Total funding per currency; currencies are never added together'),
  web: z.string(),
});

export const ProjectDetail = ProjectSummary.extend({
  description: z.string(),
  objectives: z.string(),
  targetGroup: z.string(),
  coordinatorPerson: z.object({ id: z.string(), slug: z.string(), name: z.string() }).nullable(),
  coordinatorOrg: Org.nullable(),
  partners: z.array(Org.extend({ role: z.enum(PARTNER_ROLES), startDate: z.string().nullable(), endDate: z.string().nullable(), canEdit: z.boolean() })),
  milestones: z.array(z.object({ id: z.string(), kind: z.enum(MILESTONE_KINDS), title: z.string(), startDate: z.string().nullable(), dueDate: z.string() })),
  sdgTargets: z.array(z.string()),
  indicators: z.array(z.string()),
  links: z.array(z.object({ title: z.string(), url: z.string() })),
  planActions: z
    .array(z.object({ id: z.string().uuid(), identifier: z.string(), title: z.string(), plan: z.object({ id: z.string().uuid(), title: z.string() }), web: z.string() }))
    .describe('Plan actions the project carries out (those the reader may see)'),
  challenges: z.array(z.object({ id: z.string().uuid(), title: z.string(), state: z.string(), web: z.string() })).describe('Challenges the project answers (those the reader may see)'),
  documents: z.array(z.object({ id: z.string(), title: z.string(), fileName: z.string(), mimeType: z.string(), sizeBytes: z.number(), sha512: z.string(), createdAt: z.string(), url: z.string() })),
  funding: z.array(
    z.object({
      id: z.string(),
      funder: Org,
      isOwn: z.boolean().describe('Own co-financing rather than a grant'),
      programme: z.string().nullable(),
      grantReference: z.string().nullable(),
      amounts: z.array(z.object({ year: z.number().int(), currency: z.enum(CURRENCIES), amountMinor: z.number().int(), amount: z.string() })),
      total: z.array(Money),
    }),
  ),
  totalsByYear: z.array(z.object({ year: z.number().int(), amounts: z.array(Money) })),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const org = (o: OrgRef) => ({ id: o.id, slug: o.slug, name: o.name });

export function presentSummary(base: string, e: ListEntry): z.infer<typeof ProjectSummary> {
  const p = e.project;
  return {
    id: p.id, slug: p.slug, name: p.name, acronym: p.acronym, lang: p.lang, state: p.state, visibility: p.visibility,
    startDate: p.startDate, endDate: p.endDate, owner: org(e.owner),
    partners: e.partners.map((x) => ({ ...org(x.organisation), role: x.role, startDate: x.startDate, endDate: x.endDate })),
    funders: [...new Map(e.funding.map((s) => [s.funder.id, org(s.funder)])).values()],
    total: presentPerCurrency(e.totals.total),
    web: `${base}/projects/${p.slug}`,
  };
}

export function presentDetail(base: string, v: ProjectView): z.infer<typeof ProjectDetail> {
  const p = v.project;
  return {
    ...presentSummary(base, { project: p, owner: v.owner, partners: v.partners, funding: v.funding, totals: v.totals }),
    description: p.description,
    objectives: p.objectives,
    targetGroup: p.targetGroup,
    coordinatorPerson: v.coordinatorPerson,
    coordinatorOrg: v.coordinatorOrg ? org(v.coordinatorOrg) : null,
    partners: v.partners.map((x) => ({ ...org(x.organisation), role: x.role, startDate: x.startDate, endDate: x.endDate, canEdit: x.canEdit })),
    milestones: v.milestones.map((m) => ({ id: m.id, kind: m.kind, title: m.title, startDate: m.startDate, dueDate: m.dueDate })),
    sdgTargets: v.sdgTargets,
    indicators: v.indicators,
    links: v.links.map((l) => ({ title: l.title, url: l.url })),
    planActions: v.planActions.map((a) => ({ id: a.id, identifier: a.identifier, title: a.title, plan: { id: a.plan.id, title: a.plan.title }, web: `${base}/actions/${a.id}` })),
    challenges: v.challenges.map((c) => ({ id: c.id, title: c.title, state: c.state, web: `${base}/challenges/${c.id}` })),
    documents: v.documents.map((d) => ({ id: d.id, title: d.title, fileName: d.fileName, mimeType: d.mimeType, sizeBytes: d.sizeBytes, sha512: d.sha512, createdAt: iso(d.createdAt)!, url: `${base}/projects/${p.slug}/documents/${d.id}` })),
    funding: v.funding.map((s) => ({
      id: s.id, funder: org(s.funder), isOwn: s.isOwn, programme: s.programme, grantReference: s.grantReference,
      amounts: s.amounts.map((a) => ({ year: a.year, currency: a.currency, amountMinor: Number(a.amountMinor), amount: toDecimal(a.amountMinor) })),
      total: presentPerCurrency(v.totals.bySource.get(s.id) ?? {}),
    })),
    totalsByYear: [...v.totals.byYear].map(([year, amounts]) => ({ year, amounts: presentPerCurrency(amounts) })),
    createdAt: iso(p.createdAt)!,
    updatedAt: iso(p.updatedAt)!,
  };
}

/** The body a PUT needs to reproduce the project: what the edit form starts from, too. */
export function toInput(v: ProjectView) {
  const p = v.project;
  return {
    name: p.name, acronym: p.acronym, slug: p.slug, lang: p.lang, description: p.description, objectives: p.objectives, targetGroup: p.targetGroup,
    ownerOrgId: p.ownerOrgId, coordinatorPersonId: p.coordinatorPersonId, coordinatorOrgId: p.coordinatorOrgId, state: p.state, visibility: p.visibility,
    startDate: p.startDate, endDate: p.endDate,
    partners: v.partners.map((x) => ({ organisationId: x.organisationId, role: x.role, startDate: x.startDate, endDate: x.endDate, canEdit: x.canEdit })),
    milestones: v.milestones.map((m) => ({ kind: m.kind, title: m.title, startDate: m.startDate, dueDate: m.dueDate })),
    sdgTargets: v.sdgTargets,
    indicators: v.indicators,
    links: v.links.map((l) => ({ title: l.title, url: l.url })),
    planActions: v.planActions.map((a) => a.id),
    challenges: v.challenges.map((c) => c.id),
    funding: v.funding.map((s) => ({ funderOrgId: s.funderOrgId, isOwn: s.isOwn, programme: s.programme, grantReference: s.grantReference, amounts: s.amounts.map((a) => ({ year: a.year, currency: a.currency, amount: toDecimal(a.amountMinor) })) })),
  };
}
