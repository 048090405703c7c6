/**
 * The reads of the projects module. Organisations and people come from the
 * directory through its public face; names are looked up once per request.
 */
import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import { readAll, type Executor } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import { pageWindow, type Page, type PageRequest } from '../../platform/paging.js';
import { directory } from '../directory/index.js';
import { plans } from '../plans/index.js';
import { challenges } from '../challenges/index.js';
import { computeTotals, type Amount, type Totals } from './money.js';
import * as policy from './policy.js';
import {
  fundingAmounts,
  fundingSources,
  projectDocuments,
  projectIndicators,
  projectLinks,
  projectMilestones,
  projectPartners,
  projects,
  projectSdgTargets,
  type DocumentRow,
  type FundingSourceRow,
  type LinkRow,
  type MilestoneRow,
  type PartnerRow,
  type ProjectRow,
} from './schema.js';
import { accessOf, linksOf, readableProject } from './service.js';
import type { ListFilter } from './inputs.js';

export type OrgRef = { id: string; slug: string; name: string; kind: string; country: string | null };

/** Names of organisations by id, fetched on demand and kept for the request. */
export class OrgNames {
  private cache = new Map<string, OrgRef>();
  constructor(private db: Executor) {}
  async get(id: string): Promise<OrgRef> {
    let o = this.cache.get(id);
    if (!o) {
      const row = await directory.getOrganisation(this.db, id);
      const area = row.areaId ? await directory.getAreaById(this.db, row.areaId) : null;
      o = { id: row.id, slug: row.slug, name: row.name, kind: row.kind, country: area?.country ?? null };
      this.cache.set(id, o);
    }
    return o;
  }
  /**
   * Looks up at once (two queries) the organisations a list is about to name, so that the get()
   * calls that follow find them here instead of asking twice per organisation. Unknown ids are
   * left to get(), which reports them as before.
   */
  async load(ids: readonly string[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.cache.has(id));
    if (!missing.length) return;
    const rows = await directory.getOrganisationsByIds(this.db, missing);
    const areas = new Map((await directory.getAreasByIds(this.db, rows.flatMap((r) => (r.areaId ? [r.areaId] : [])))).map((a) => [a.id, a]));
    for (const row of rows) {
      const area = row.areaId ? areas.get(row.areaId) : undefined;
      this.cache.set(row.id, { id: row.id, slug: row.slug, name: row.name, kind: row.kind, country: area?.country ?? null });
    }
  }
}

export type SourceView = FundingSourceRow & { funder: OrgRef; amounts: Amount[] };
export type ActionLink = { id: string; identifier: string; title: string; lang: string; plan: { id: string; title: string; lang: string } };
export type ChallengeLink = { id: string; title: string; lang: string; state: string; organisationId: string };

/**
 * The linked plan actions and challenges this reader may see, through the plans' and challenges'
 * faces: a link to another organisation's draft is left out for everyone who may not see that
 * draft, so its title appears nowhere (page, API, form).
 */
const unlessNotFound = <T,>(p: Promise<T>): Promise<T | null> =>
  p.catch((e) => {
    if (e instanceof NotFoundError) return null;
    throw e;
  });

export async function visibleLinks(db: Executor, actor: Actor, projectId: string): Promise<{ planActions: ActionLink[]; challenges: ChallengeLink[] }> {
  const linked = await linksOf(db, projectId);
  const acts: ActionLink[] = [];
  for (const id of linked.actions) {
    const a = await unlessNotFound(plans.getAction(db, actor, id));
    if (a) acts.push({ id: a.action.id, identifier: a.action.identifier, title: a.action.title, lang: a.action.lang, plan: { id: a.plan.id, title: a.plan.title, lang: a.plan.lang } });
  }
  const chs: ChallengeLink[] = [];
  for (const id of linked.challenges) {
    const c = await unlessNotFound(challenges.getChallenge(db, actor, id));
    if (c) chs.push({ id: c.id, title: c.title, lang: c.lang, state: c.state, organisationId: c.organisationId });
  }
  return { planActions: acts, challenges: chs };
}
export type ProjectView = {
  project: ProjectRow;
  owner: OrgRef;
  coordinatorPerson: { id: string; slug: string; name: string } | null;
  coordinatorOrg: OrgRef | null;
  partners: (PartnerRow & { organisation: OrgRef })[];
  milestones: MilestoneRow[];
  sdgTargets: string[];
  indicators: string[];
  links: LinkRow[];
  planActions: ActionLink[];
  challenges: ChallengeLink[];
  documents: Omit<DocumentRow, 'textContent' | 'storageKey'>[];
  funding: SourceView[];
  totals: Totals;
  canManage: boolean;
};

async function fundingOf(db: Executor, names: OrgNames, projectIds: string[]): Promise<Map<string, SourceView[]>> {
  const out = new Map<string, SourceView[]>();
  if (!projectIds.length) return out;
  const sources = await db.select().from(fundingSources).where(inArray(fundingSources.projectId, projectIds)).orderBy(asc(fundingSources.position));
  const amounts = sources.length
    ? await db.select().from(fundingAmounts).where(inArray(fundingAmounts.sourceId, sources.map((s) => s.id))).orderBy(asc(fundingAmounts.year), asc(fundingAmounts.currency))
    : [];
  await names.load(sources.map((s) => s.funderOrgId));
  for (const s of sources) {
    const list = out.get(s.projectId) ?? [];
    list.push({ ...s, funder: await names.get(s.funderOrgId), amounts: amounts.filter((a) => a.sourceId === s.id).map((a) => ({ year: a.year, currency: a.currency, amountMinor: a.amountMinor })) });
    out.set(s.projectId, list);
  }
  return out;
}

export async function projectView(db: Executor, actor: Actor, ref: string, names = new OrgNames(db)): Promise<ProjectView> {
  const p = await readableProject(db, actor, ref);
  const [partners, milestones, targets, inds, links, docs, funding] = await readAll(db, [
    () => db.select().from(projectPartners).where(eq(projectPartners.projectId, p.id)).orderBy(asc(projectPartners.position)),
    () => db.select().from(projectMilestones).where(eq(projectMilestones.projectId, p.id)).orderBy(asc(projectMilestones.dueDate), asc(projectMilestones.position)),
    () => db.select().from(projectSdgTargets).where(eq(projectSdgTargets.projectId, p.id)),
    () => db.select().from(projectIndicators).where(eq(projectIndicators.projectId, p.id)),
    () => db.select().from(projectLinks).where(eq(projectLinks.projectId, p.id)).orderBy(asc(projectLinks.position)),
    () => db
      .select({ id: projectDocuments.id, projectId: projectDocuments.projectId, title: projectDocuments.title, fileName: projectDocuments.fileName, mimeType: projectDocuments.mimeType, sizeBytes: projectDocuments.sizeBytes, sha512: projectDocuments.sha512, createdAt: projectDocuments.createdAt })
      .from(projectDocuments)
      .where(eq(projectDocuments.projectId, p.id))
      .orderBy(asc(projectDocuments.createdAt)),
    () => fundingOf(db, names, [p.id]),
  ]);
  const person = p.coordinatorPersonId ? await directory.getPerson(db, p.coordinatorPersonId) : null;
  const linked = await visibleLinks(db, actor, p.id);
  const sources = funding.get(p.id) ?? [];
  return {
    project: p,
    owner: await names.get(p.ownerOrgId),
    coordinatorPerson: person ? { id: person.id, slug: person.slug, name: person.name } : null,
    coordinatorOrg: p.coordinatorOrgId ? await names.get(p.coordinatorOrgId) : null,
    partners: await readAll(db, partners.map((x) => async () => ({ ...x, organisation: await names.get(x.organisationId) }))),
    milestones,
    sdgTargets: targets.map((t) => t.targetCode).sort(sdgCompare),
    indicators: inds.map((i) => i.indicatorCode).sort(),
    links,
    planActions: linked.planActions,
    challenges: linked.challenges,
    documents: docs,
    funding: sources,
    totals: computeTotals(sources.map((s) => ({ sourceId: s.id, amounts: s.amounts }))),
    canManage: await policy.canManage(db, actor, await accessOf(db, p)),
  };
}

const sdgKey = (c: string) => c.split('.').map((x) => (/^\d+$/.test(x) ? x.padStart(3, '0') : `z${x}`)).join('.');
export const sdgCompare = (a: string, b: string) => sdgKey(a).localeCompare(sdgKey(b));

export type ListEntry = { project: ProjectRow; owner: OrgRef; partners: (PartnerRow & { organisation: OrgRef })[]; funding: SourceView[]; totals: Totals };

/** Resolves an organisation given by slug or id; unknown ones match nothing rather than everything. */
async function orgIdOf(db: Executor, ref: string | undefined): Promise<string | null | undefined> {
  if (!ref) return undefined;
  try {
    return (await directory.getOrganisation(db, ref)).id;
  } catch {
    return null;
  }
}

/**
 * The WHERE of the project list: policy.canView's rule (public, or the reader belongs to the owner
 * or a partner) and every filter, the owner's country included, all in SQL, so that a page and its
 * count hold only projects the reader may see.
 */
async function projectConds(db: Executor, actor: Actor, f: ListFilter): Promise<SQL> {
  const conds: SQL[] = [
    sql`(${projects.visibility} = 'public' OR ${directory.memberOfSql(actor, projects.ownerOrgId)} OR EXISTS (SELECT 1 FROM project_partners vp WHERE vp.project_id = ${projects.id} AND ${directory.memberOfSql(actor, sql`vp.organisation_id`)}))`,
  ];
  const none = sql`false`;
  const org = await orgIdOf(db, f.organisation);
  if (org === null) conds.push(none);
  else if (org) conds.push(sql`(${projects.ownerOrgId} = ${org} OR EXISTS (SELECT 1 FROM project_partners pp WHERE pp.project_id = ${projects.id} AND pp.organisation_id = ${org}))`);
  const partner = await orgIdOf(db, f.partner);
  if (partner === null) conds.push(none);
  else if (partner) conds.push(sql`EXISTS (SELECT 1 FROM project_partners pp WHERE pp.project_id = ${projects.id} AND pp.organisation_id = ${partner})`);
  const funder = await orgIdOf(db, f.funder);
  if (funder === null) conds.push(none);
  else if (funder) conds.push(sql`EXISTS (SELECT 1 FROM project_funding_sources fs WHERE fs.project_id = ${projects.id} AND fs.funder_org_id = ${funder})`);
  if (f.sdg) {
    const code = f.sdg;
    conds.push(
      code.includes('.')
        ? sql`EXISTS (SELECT 1 FROM project_sdg_targets t WHERE t.project_id = ${projects.id} AND t.target_code = ${code})`
        : sql`EXISTS (SELECT 1 FROM project_sdg_targets t WHERE t.project_id = ${projects.id} AND split_part(t.target_code, '.', 1) = ${code})`,
    );
  }
  if (f.state) conds.push(eq(projects.state, f.state));
  // The link itself is the project's; the action's or challenge's page decides whether its reader may see it.
  if (f.action) conds.push(sql`EXISTS (SELECT 1 FROM project_plan_actions pa WHERE pa.project_id = ${projects.id} AND pa.action_id = ${f.action})`);
  if (f.challenge) conds.push(sql`EXISTS (SELECT 1 FROM project_challenges pc WHERE pc.project_id = ${projects.id} AND pc.challenge_id = ${f.challenge})`);
  if (typeof f.year === 'number') {
    const y = f.year;
    conds.push(sql`(coalesce(extract(year from ${projects.startDate}), ${y}) <= ${y} AND coalesce(extract(year from ${projects.endDate}), ${y}) >= ${y})`);
  }
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(sql`(${projects.name} ILIKE ${like} OR coalesce(${projects.acronym}, '') ILIKE ${like})`);
  }
  if (f.country) conds.push(directory.organisationInCountrySql(projects.ownerOrgId, f.country));
  return and(...conds)!;
}
const projectOrder = [sql`${projects.startDate} DESC NULLS LAST`, asc(projects.name), asc(projects.id)];

/** Projects the actor may read, filtered (every page and feed of projects). */
export async function listProjects(db: Executor, actor: Actor, f: ListFilter = {}, names = new OrgNames(db)): Promise<ListEntry[]> {
  return entriesOf(db, names, await db.select().from(projects).where(await projectConds(db, actor, f)).orderBy(...projectOrder));
}

/** One page of listProjects (the API's list). */
export async function pageProjects(db: Executor, actor: Actor, f: ListFilter & PageRequest = {}, names = new OrgNames(db)): Promise<Page<ListEntry>> {
  const w = pageWindow(f);
  const where = await projectConds(db, actor, f);
  const rows = await db.select().from(projects).where(where).orderBy(...projectOrder).limit(w.pageSize).offset(w.offset);
  const [{ total }] = (await db.select({ total: count() }).from(projects).where(where)) as [{ total: number }];
  return { items: await entriesOf(db, names, rows), page: w.page, pageSize: w.pageSize, total };
}

async function entriesOf(db: Executor, names: OrgNames, visible: ProjectRow[]): Promise<ListEntry[]> {
  const ids = visible.map((p) => p.id);
  const partners = ids.length ? await db.select().from(projectPartners).where(inArray(projectPartners.projectId, ids)).orderBy(asc(projectPartners.position)) : [];
  await names.load([...visible.map((p) => p.ownerOrgId), ...partners.map((x) => x.organisationId)]);
  const funding = await fundingOf(db, names, ids);
  const out: ListEntry[] = [];
  for (const p of visible) {
    const owner = await names.get(p.ownerOrgId);
    const sources = funding.get(p.id) ?? [];
    out.push({
      project: p,
      owner,
      partners: await readAll(db, partners.filter((x) => x.projectId === p.id).map((x) => async () => ({ ...x, organisation: await names.get(x.organisationId) }))),
      funding: sources,
      totals: computeTotals(sources.map((s) => ({ sourceId: s.id, amounts: s.amounts }))),
    });
  }
  return out;
}

/** The deadlines and phases of projects the actor may read, for the calendar feed and reminders. */
export async function milestonesOf(db: Executor, projectIds: string[]): Promise<MilestoneRow[]> {
  if (!projectIds.length) return [];
  return db.select().from(projectMilestones).where(inArray(projectMilestones.projectId, projectIds)).orderBy(asc(projectMilestones.dueDate));
}

/**
 * Every organisation currently a direct member of a network, by id (members of its member bodies
 * are not followed): the directory's reading, all of the network's memberships in one query.
 */
export const networkMemberIds = (db: Executor, networkId: string): Promise<string[]> => directory.currentMemberIds(db, networkId);
