import { desc } from 'drizzle-orm';
import type { Actor } from '../../platform/audit.js';
import type { Executor } from '../../platform/db/index.js';
import { directory } from '../directory/index.js';
import { getIndicator, indicatorSeries } from '../indicators/index.js';
import { plans } from '../plans/index.js';
import { canSeeChallenge, canSeeResponse, canSeeResponseContact, isOwnerSide } from './policy.js';
import { challenges, type ChallengeRow, type HelpKind, type ResponseRow } from './schema.js';
import { getChallenge, listResponses } from './service.js';
import { eq } from 'drizzle-orm';

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

/** Challenges this reader may see, newest first, filtered by SDG goal, organisation, country and kind of help. */
export async function listChallenges(db: Executor, actor: Actor, f: ChallengeFilter = {}): Promise<ChallengeListItem[]> {
  const rows = await db.select().from(challenges).orderBy(desc(challenges.publishedAt), desc(challenges.createdAt));
  const org = orgLookup(db);
  const orgFilter = f.organisation ? await directory.getOrganisation(db, f.organisation).catch(() => null) : null;
  if (f.organisation && !orgFilter) return [];
  const out: ChallengeListItem[] = [];
  for (const c of rows) {
    if (!(await canSeeChallenge(db, actor, c))) continue;
    if (f.state && c.state !== f.state) continue;
    if (f.sdg && !c.sdgTargets.some((t) => t.split('.')[0] === f.sdg)) continue;
    if (f.help && !c.helpKinds.includes(f.help)) continue;
    if (orgFilter && c.organisationId !== orgFilter.id) continue;
    const owner = await org(c.organisationId);
    if (f.country && owner?.country !== f.country) continue;
    out.push({ challenge: c, owner });
  }
  return out;
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

