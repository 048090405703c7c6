import { and, asc, count, desc, eq, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import { readAll, type Executor } from '../../platform/db/index.js';
import { emptyPage, pageWindow, type Page, type PageRequest } from '../../platform/paging.js';
import { directory } from '../directory/index.js';
import { getIndicator, indicatorSeries } from '../indicators/index.js';
import { plans } from '../plans/index.js';
import { canSeeResponse, canSeeResponseContact, isOwnerSide } from './policy.js';
import { challenges, responses, type ChallengeRow, type HelpKind, type ResponseRow } from './schema.js';
import { getChallenge, listResponses } from './service.js';

/*
 * The read side. Drafts and unaccepted responses are dropped here, in one place each
 * (canSeeChallenge, presentResponses), for every page, API answer and the panel alike.
 */

export type OrgRef = { id: string; slug: string; name: string; kind: string; areaId: string | null; country: string | null; areaName: string | null };

export function orgLookup(db: Executor) {
  const cache = new Map<string, Promise<OrgRef | null>>();
  return (id: string) => {
    let p = cache.get(id);
    if (!p) {
      p = (async () => {
        const o = await directory.getOrganisation(db, id).catch(() => null);
        if (!o) return null;
        const area = o.areaId ? await directory.getAreaById(db, o.areaId) : null;
        return { id: o.id, slug: o.slug, name: o.name, kind: o.kind, areaId: o.areaId, country: area?.country ?? null, areaName: area?.name ?? null };
      })();
      cache.set(id, p);
    }
    return p;
  };
}

export type ChallengeFilter = { sdg?: string | undefined; organisation?: string | undefined; country?: string | undefined; help?: HelpKind | undefined; state?: string | undefined };
export type ChallengeListItem = { challenge: ChallengeRow; owner: OrgRef | null };

/**
 * The WHERE of the challenge list: drafts only for the owner's members (canSeeChallenge's rule),
 * then the filters, all in SQL so that the API pages and counts only what the reader may see.
 * Null when the filter names an organisation that does not exist (nothing matches).
 */
async function challengeConds(db: Executor, actor: Actor, f: ChallengeFilter): Promise<SQL | null> {
  const conds: SQL[] = [or(ne(challenges.state, 'draft'), directory.memberOfSql(actor, challenges.organisationId))!];
  if (f.organisation) {
    const org = await directory.getOrganisation(db, f.organisation).catch(() => null);
    if (!org) return null;
    conds.push(eq(challenges.organisationId, org.id));
  }
  if (f.state) conds.push(eq(challenges.state, f.state as ChallengeRow['state']));
  if (f.sdg) conds.push(sql`EXISTS (SELECT 1 FROM unnest(${challenges.sdgTargets}) t WHERE split_part(t, '.', 1) = ${f.sdg})`);
  if (f.help) conds.push(sql`${f.help} = ANY(${challenges.helpKinds})`);
  if (f.country) conds.push(directory.organisationInCountrySql(challenges.organisationId, f.country));
  return and(...conds)!;
}
const challengeOrder = [desc(challenges.publishedAt), desc(challenges.createdAt), desc(challenges.id)];

async function withOwners(db: Executor, rows: ChallengeRow[]): Promise<ChallengeListItem[]> {
  const org = orgLookup(db);
  return readAll(db, rows.map((c) => async () => ({ challenge: c, owner: await org(c.organisationId) })));
}

/** Challenges this reader may see, newest first, filtered by SDG goal, organisation, country and kind of help. */
export async function listChallenges(db: Executor, actor: Actor, f: ChallengeFilter = {}): Promise<ChallengeListItem[]> {
  const where = await challengeConds(db, actor, f);
  return where ? withOwners(db, await db.select().from(challenges).where(where).orderBy(...challengeOrder)) : [];
}

/** One page of listChallenges (the API's list). */
export async function pageChallenges(db: Executor, actor: Actor, f: ChallengeFilter & PageRequest = {}): Promise<Page<ChallengeListItem>> {
  const where = await challengeConds(db, actor, f);
  if (!where) return emptyPage(f);
  const w = pageWindow(f);
  const rows = await db.select().from(challenges).where(where).orderBy(...challengeOrder).limit(w.pageSize).offset(w.offset);
  const [{ total }] = (await db.select({ total: count() }).from(challenges).where(where)) as [{ total: number }];
  return { items: await withOwners(db, rows), page: w.page, pageSize: w.pageSize, total };
}

export type Gap = { code: string; name: string; unit: string; decimals: number; current: { period: string; value: number } | null; target: number | null; gap: number | null };

/** The indicator gap, read live: the owner area's latest value against the challenge's target. */
export async function indicatorGap(db: Executor, c: ChallengeRow, areaId: string | null): Promise<Gap | null> {
  if (!c.indicatorCode) return null;
  const info = await getIndicator(db, c.indicatorCode).catch(() => null);
  if (!info) return null;
  const series = areaId ? (await indicatorSeries(db, info.id, [areaId], { totalOnly: true })).filter((p) => p.value != null) : [];
  const last = series.at(-1);
  const current = last ? { period: last.period, value: last.value! } : null;
  return { code: info.code, name: info.name, unit: info.unit, decimals: info.decimals, current, target: c.indicatorTarget, gap: current && c.indicatorTarget != null ? c.indicatorTarget - current.value : null };
}

export type ResponseView = {
  response: ResponseRow;
  responder: OrgRef | null;
  /** Contact details, for the owner side and the author only. */
  contact: { name: string; email: string } | null;
};

/** The one place that decides which responses, and which of their fields, a reader sees. */
export async function presentResponses(db: Executor, actor: Actor, c: ChallengeRow, rows: ResponseRow[]): Promise<ResponseView[]> {
  const owner = await isOwnerSide(db, actor, c);
  const org = orgLookup(db);
  const out: ResponseView[] = [];
  for (const r of rows) {
    if (!canSeeResponse(owner, actor, r)) continue;
    out.push({ response: r, responder: r.responderOrgId ? await org(r.responderOrgId) : null, contact: canSeeResponseContact(owner, actor, r) ? { name: r.contactName, email: r.contactEmail } : null });
  }
  return out;
}

/**
 * One page of a challenge's responses this reader may see (the API's list), oldest first: canSeeResponse's
 * rule (accepted ones, all for the owner side, one's own) in the WHERE, so the count holds only those.
 */
export async function pageResponses(db: Executor, actor: Actor, challengeId: string, q: PageRequest = {}): Promise<Page<ResponseView>> {
  const c = await getChallenge(db, actor, challengeId);
  const conds: SQL[] = [eq(responses.challengeId, c.id)];
  if (!(await isOwnerSide(db, actor, c))) conds.push(actor.userId ? or(eq(responses.state, 'accepted'), eq(responses.authorUserId, actor.userId))! : eq(responses.state, 'accepted'));
  const where = and(...conds);
  const w = pageWindow(q);
  const rows = await db.select().from(responses).where(where).orderBy(asc(responses.createdAt), asc(responses.id)).limit(w.pageSize).offset(w.offset);
  const [{ total }] = (await db.select({ total: count() }).from(responses).where(where)) as [{ total: number }];
  return { items: await presentResponses(db, actor, c, rows), page: w.page, pageSize: w.pageSize, total };
}

export type ChallengeDetail = {
  challenge: ChallengeRow;
  owner: OrgRef | null;
  priority: { id: string; title: string } | null;
  gap: Gap | null;
  responses: ResponseView[];
  ownerSide: boolean;
};

export async function challengeDetail(db: Executor, actor: Actor, id: string): Promise<ChallengeDetail> {
  const c = await getChallenge(db, actor, id);
  const owner = await orgLookup(db)(c.organisationId);
  const p = c.priorityId ? await plans.getPriority(db, actor, c.priorityId).catch(() => null) : null;
  return {
    challenge: c,
    owner,
    priority: p ? { id: p.id, title: p.title } : null,
    gap: await indicatorGap(db, c, owner?.areaId ?? null),
    responses: await presentResponses(db, actor, c, await listResponses(db, [c.id])),
    ownerSide: await isOwnerSide(db, actor, c),
  };
}

/** Public counts for the promise panel: published challenges and accepted partners. */
export async function mobilisation(db: Executor, orgId: string) {
  const rows = (await db.select().from(challenges).where(eq(challenges.organisationId, orgId))).filter((c) => c.state !== 'draft');
  const accepted = (await listResponses(db, rows.map((c) => c.id))).filter((r) => r.state === 'accepted');
  return { challenges: rows.length, partners: new Set(accepted.map((r) => r.responderOrgId)).size };
}

