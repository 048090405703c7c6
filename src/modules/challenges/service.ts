import { and, asc, eq, inArray } from 'drizzle-orm';
import { diff, recordAudit, type Actor } from '../../platform/audit.js';
import type { Database, Executor } from '../../platform/db/index.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldError } from '../../platform/errors.js';
import { queueMail } from '../../platform/outbox.js';
import { indexSearchDoc, removeSearchDoc, type SearchDocSource, type SearchLang } from '../../platform/search-index.js';
import { isUuid } from '../../platform/text.js';
import { directory } from '../directory/index.js';
import { getIndicator } from '../indicators/index.js';
import { plans } from '../plans/index.js';
import { ChallengeInput, parseInput, ResponseInput } from './inputs.js';
import { assertCanManage, canSeeChallenge, requireSignedIn } from './policy.js';
import { challenges, responses, type ChallengeRow, type ResponseRow } from './schema.js';
import { mailText } from './i18n.js';

/*
 * The only code that writes challenges and responses: one transaction per use case, permission
 * checked inside it, references checked (a 422 names the field), audit row and search index in it.
 */

export async function getChallengeRow(db: Executor, id: string): Promise<ChallengeRow> {
  if (!isUuid(id)) throw new NotFoundError('challenge', id);
  const [row] = await db.select().from(challenges).where(eq(challenges.id, id)).limit(1);
  if (!row) throw new NotFoundError('challenge', id);
  return row;
}

/** The challenge if this actor may see it: a draft is "not found" outside its owner. */
export async function getChallenge(db: Executor, actor: Actor, id: string): Promise<ChallengeRow> {
  const row = await getChallengeRow(db, id);
  if (!(await canSeeChallenge(db, actor, row))) throw new NotFoundError('challenge', id);
  return row;
}

async function checkRefs(tx: Executor, actor: Actor, input: ChallengeInput) {
  const errors: FieldError[] = [];
  await directory.getOrganisation(tx, input.organisationId).catch((err) => {
    if (err instanceof NotFoundError) errors.push({ field: 'organisationId', message: 'No such organisation' });
    else throw err;
  });
  if (input.priorityId) {
    const p = await plans.getPriority(tx, actor, input.priorityId).catch(() => null);
    if (!p) errors.push({ field: 'priorityId', message: 'No such priority' });
    else if (p.organisationId !== input.organisationId) errors.push({ field: 'priorityId', message: 'The priority belongs to another organisation' });
  }
  input.sdgTargets.forEach((c, i) => {
    if (!plans.isSdgTarget(c)) errors.push({ field: `sdgTargets.${i}`, message: `Unknown SDG target ${c}` });
  });
  if (input.indicatorCode) {
    await getIndicator(tx, input.indicatorCode).catch((err) => {
      if (err instanceof NotFoundError) errors.push({ field: 'indicatorCode', message: `No indicator with the code ${input.indicatorCode}` });
      else throw err;
    });
  }
  if (input.indicatorTarget != null && !input.indicatorCode) errors.push({ field: 'indicatorCode', message: 'Name the indicator the target is for' });
  if (errors.length) throw new ValidationError(errors);
}

const values = (input: ChallengeInput) => ({
  organisationId: input.organisationId,
  priorityId: input.priorityId ?? null,
  title: input.title,
  lang: input.lang,
  problem: input.problem,
  sdgTargets: [...new Set(input.sdgTargets)],
  indicatorCode: input.indicatorCode ?? null,
  indicatorTarget: input.indicatorTarget ?? null,
  helpKinds: [...new Set(input.helpKinds)],
  deadline: input.deadline ?? null,
  contactName: input.contactName,
  contactEmail: input.contactEmail,
  state: input.state,
});

/** Organisation histories are public: writes on drafts and private responses are filed under no organisation. */
const auditOrg = (isPrivate: boolean, orgId: string) => (isPrivate ? null : orgId);

/** Open challenges are searchable; drafts never, and closed ones leave the index. */
async function reindex(tx: Executor, c: ChallengeRow) {
  if (c.state === 'draft' || c.state === 'closed') return removeSearchDoc(tx, 'challenge', c.id);
  await indexSearchDoc(tx, {
    type: 'challenge', id: c.id, title: c.title, body: c.problem, lang: (['sv', 'nb', 'da', 'en'].includes(c.lang) ? c.lang : 'en') as SearchLang,
    url: `/challenges/${c.id}`, organisationIds: [c.organisationId], sdgGoals: [...new Set(c.sdgTargets.map((t) => Number(t.split('.')[0])))],
    year: c.publishedAt ? c.publishedAt.getUTCFullYear() : null,
  });
}

export async function createChallenge(db: Database, actor: Actor, raw: unknown): Promise<ChallengeRow> {
  const input = parseInput(ChallengeInput, raw);
  return db.orm.transaction(async (tx) => {
    await checkRefs(tx, actor, input);
    await assertCanManage(tx, actor, input.organisationId);
    const [row] = await tx.insert(challenges).values({ ...values(input), publishedAt: input.state === 'draft' ? null : new Date() }).returning();
    await reindex(tx, row!);
    await recordAudit(tx, actor, { action: 'challenge.create', entityType: 'challenge', entityId: row!.id, organisationId: auditOrg(row!.state === 'draft', row!.organisationId), summary: row!.title });
    return row!;
  });
}

export async function updateChallenge(db: Database, actor: Actor, id: string, raw: unknown): Promise<ChallengeRow> {
  const input = parseInput(ChallengeInput, raw);
  return db.orm.transaction(async (tx) => {
    const before = await getChallenge(tx, actor, id);
    await checkRefs(tx, actor, input);
    await assertCanManage(tx, actor, before.organisationId);
    if (input.organisationId !== before.organisationId) await assertCanManage(tx, actor, input.organisationId);
    const v = values(input);
    const [row] = await tx
      .update(challenges)
      .set({ ...v, publishedAt: before.publishedAt ?? (input.state === 'draft' ? null : new Date()), updatedAt: new Date() })
      .where(eq(challenges.id, before.id))
      .returning();
    await reindex(tx, row!);
    await recordAudit(tx, actor, { action: 'challenge.update', entityType: 'challenge', entityId: before.id, organisationId: auditOrg(row!.state === 'draft' || before.state === 'draft', row!.organisationId), summary: row!.title, changes: diff(before, v) });
    return row!;
  });
}

export async function listResponses(db: Executor, challengeIds: string[]): Promise<ResponseRow[]> {
  if (!challengeIds.length) return [];
  return db.select().from(responses).where(inArray(responses.challengeId, challengeIds)).orderBy(asc(responses.createdAt));
}

/**
 * Anyone signed in responds to an open challenge (or one in dialogue), for an organisation they
 * belong to or by naming a new one. The owner is emailed at the challenge's contact address once
 * the response is stored.
 */
export async function respond(db: Database, actor: Actor, challengeId: string, raw: unknown, baseUrl = ''): Promise<ResponseRow> {
  const input = parseInput(ResponseInput, raw);
  return db.orm.transaction(async (tx) => {
    const challenge = await getChallenge(tx, actor, challengeId);
    requireSignedIn(actor);
    if (challenge.state !== 'open' && challenge.state !== 'in_dialogue') throw new ConflictError('This challenge does not take responses now.', 'challenge_not_open');
    let who = input.newOrgName ?? '';
    if (input.responderOrgId) {
      const org = await directory.getOrganisation(tx, input.responderOrgId).catch(() => null);
      if (!org) throw new ValidationError([{ field: 'responderOrgId', message: 'No such organisation' }]);
      if (!(await directory.isMemberOf(tx, actor, org.id))) throw new ForbiddenError('You can respond only for an organisation you belong to, or name a new one.');
      who = org.name;
    }
    const [row] = await tx
      .insert(responses)
      .values({
        challengeId: challenge.id, responderOrgId: input.responderOrgId ?? null, newOrgName: input.responderOrgId ? null : (input.newOrgName ?? null),
        newOrgKind: input.responderOrgId ? null : (input.newOrgKind ?? null), offer: input.offer, contactName: input.contactName, contactEmail: input.contactEmail, authorUserId: actor.userId,
      })
      .returning();
    await recordAudit(tx, actor, { action: 'challenge.respond', entityType: 'challenge_response', entityId: row!.id, organisationId: null, summary: 'Response received' });
    const m = mailText(challenge.lang, { title: challenge.title, who, offer: input.offer, url: `${baseUrl}/challenges/${challenge.id}` });
    await queueMail(tx, { to: challenge.contactEmail, subject: m.subject, text: m.text });
    return row!;
  });
}

async function responseForDecision(tx: Executor, actor: Actor, challengeId: string, responseId: string) {
  const challenge = await getChallenge(tx, actor, challengeId);
  if (!isUuid(responseId)) throw new NotFoundError('response', responseId);
  const [r] = await tx.select().from(responses).where(and(eq(responses.id, responseId), eq(responses.challengeId, challenge.id))).limit(1);
  // Outsiders may not learn that an unaccepted response exists: not found, before the permission check.
  if (!r) throw new NotFoundError('response', responseId);
  await assertCanManage(tx, actor, challenge.organisationId);
  if (r.state !== 'pending') throw new ConflictError('This response has already been decided.', 'response_decided');
  return { challenge, r };
}

/**
 * A challenge taken back to draft or closed takes no partner: accepting would mark it matched, and
 * so publish a draft (its page and the API answer everyone for a matched challenge). Its owner opens
 * it again first. Declining stays possible in every state.
 */
function assertAccepting<T extends { challenge: ChallengeRow }>(d: T): T {
  if (d.challenge.state === 'draft' || d.challenge.state === 'closed') throw new ConflictError('Open the challenge again before accepting a response.', 'challenge_not_open');
  return d;
}

/**
 * Accepting makes the responder a partner: a response from a new organisation first enters the
 * directory (the owner's editor is the editor who approves it), then the challenge is matched
 * and, when it belongs to a priority, the responder joins that priority's actor mapping.
 */
export async function acceptResponse(db: Database, actor: Actor, challengeId: string, responseId: string): Promise<{ response: ResponseRow; challenge: ChallengeRow }> {
  const pre = await db.orm.transaction(async (tx) => assertAccepting(await responseForDecision(tx, actor, challengeId, responseId)));
  let orgId = pre.r.responderOrgId;
  if (!orgId) {
    // The directory writes in its own transaction; should ours then fail, the organisation stays
    // in the directory (approved) and accepting again links it instead of creating another.
    const existing = await directory.searchNames(db.orm, pre.r.newOrgName!, 5);
    const same = existing.organisations.find((o: { name: string }) => o.name.toLowerCase() === pre.r.newOrgName!.toLowerCase());
    orgId = same ? same.id : (await directory.createOrganisation(db, actor, { name: pre.r.newOrgName, kind: pre.r.newOrgKind ?? 'company', lang: pre.challenge.lang, description: '' })).id;
  }
  return db.orm.transaction(async (tx) => {
    const { challenge, r } = assertAccepting(await responseForDecision(tx, actor, challengeId, responseId));
    const [response] = await tx.update(responses).set({ state: 'accepted', decidedAt: new Date(), responderOrgId: orgId }).where(eq(responses.id, r.id)).returning();
    const [c] = await tx.update(challenges).set({ state: 'matched', updatedAt: new Date() }).where(eq(challenges.id, challenge.id)).returning();
    if (challenge.priorityId) await plans.addPartnerTx(tx, actor, { priorityId: challenge.priorityId, organisationId: orgId!, contact: r.contactName || null, challengeId: challenge.id });
    await reindex(tx, c!);
    await recordAudit(tx, actor, { action: 'challenge.accept', entityType: 'challenge', entityId: challenge.id, organisationId: challenge.organisationId, summary: 'Response accepted', changes: { responseId: r.id, partner: orgId } });
    return { response: response!, challenge: c! };
  });
}

export async function declineResponse(db: Database, actor: Actor, challengeId: string, responseId: string): Promise<ResponseRow> {
  return db.orm.transaction(async (tx) => {
    const { r } = await responseForDecision(tx, actor, challengeId, responseId);
    const [response] = await tx.update(responses).set({ state: 'declined', decidedAt: new Date() }).where(eq(responses.id, r.id)).returning();
    await recordAudit(tx, actor, { action: 'challenge.decline', entityType: 'challenge_response', entityId: r.id, organisationId: null, summary: 'Response declined', changes: { responseId: r.id } });
    return response!;
  });
}

/** Every challenge through its own indexing (open ones only end up indexed), for a rebuild of the search index. */
export const challengesSearchSource: SearchDocSource = {
  types: ['challenge'],
  rebuild: async (tx) => {
    const rows = await tx.select().from(challenges);
    for (const c of rows) await reindex(tx, c);
    return rows.length;
  },
};
