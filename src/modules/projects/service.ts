/**
 * The projects module's use cases: the only code that writes. Each runs in one
 * transaction with its audit row, checks permission inside, and keeps the
 * search index in step with what a reader may see.
 * Why this file is long: every write shares the reference checks, the child rows and the
 * reindexing above it; not yet split (the child rows, milestones included, could move to their own file).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit, diff, type Actor } from '../../platform/audit.js';
import { readAll, type Database, type Executor } from '../../platform/db/index.js';
import { NotFoundError, ValidationError, ConflictError, type FieldError } from '../../platform/errors.js';
import { indexSearchDoc, removeSearchDoc, type SearchDocSource } from '../../platform/search-index.js';
import { inspectUpload, type FileStorage } from '../../platform/storage/index.js';
import { isUuid, slugify } from '../../platform/text.js';
import { directory } from '../directory/index.js';
import { getIndicator, sdgTargets } from '../indicators/index.js';
import { plans } from '../plans/index.js';
import { challenges } from '../challenges/index.js';
import { DocumentInput, ProjectInput, RatesInput, StartFromResponseInput } from './inputs.js';
import * as policy from './policy.js';
import {
  exchangeRates,
  fundingAmounts,
  fundingSources,
  projectDocuments,
  projectIndicators,
  projectLinks,
  projectMilestones,
  projectChallenges,
  projectPartners,
  projectPlanActions,
  projects,
  projectSdgTargets,
  type DocumentRow,
  type MilestoneRow,
  type ProjectRow,
} from './schema.js';

/** Turns a Zod failure into the domain's ValidationError, naming each field by its full path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ValidationError(r.error.issues.map((i) => ({ field: i.path.join('.') || '_', message: i.message })));
}

export async function getProjectRow(db: Executor, ref: string): Promise<ProjectRow> {
  const cond = isUuid(ref) ? eq(projects.id, ref) : eq(projects.slug, ref);
  const [row] = await db.select().from(projects).where(cond).limit(1);
  if (!row) throw new NotFoundError('project', ref);
  return row;
}

export async function accessOf(db: Executor, p: ProjectRow): Promise<policy.ProjectAccess> {
  const partners = await db.select({ organisationId: projectPartners.organisationId, canEdit: projectPartners.canEdit }).from(projectPartners).where(eq(projectPartners.projectId, p.id));
  return { ownerOrgId: p.ownerOrgId, visibility: p.visibility, partners };
}

/** A project the actor may read; others get the same 404 as a project that does not exist. */
export async function readableProject(db: Executor, actor: Actor, ref: string): Promise<ProjectRow> {
  const p = await getProjectRow(db, ref);
  if (!(await policy.canView(db, actor, await accessOf(db, p)))) throw new NotFoundError('project', ref);
  return p;
}

/** Whether a lookup in another module finds the record for this actor (NotFoundError: no; anything else is thrown on). */
const seeable = (lookup: Promise<unknown>) =>
  lookup.then(
    () => true,
    (e) => {
      if (e instanceof NotFoundError) return false;
      throw e;
    },
  );

type Linked = { actions: string[]; challenges: string[] };

/** The plan actions and challenges a project links to, in their order. */
export async function linksOf(db: Executor, projectId: string): Promise<Linked> {
  // In sequence inside a transaction (one connection), together on the pool: readAll.
  const [acts, chs] = await readAll(db, [
    () => db.select().from(projectPlanActions).where(eq(projectPlanActions.projectId, projectId)).orderBy(projectPlanActions.position),
    () => db.select().from(projectChallenges).where(eq(projectChallenges.projectId, projectId)).orderBy(projectChallenges.position),
  ]);
  return { actions: acts.map((a) => a.actionId), challenges: chs.map((c) => c.challengeId) };
}

/**
 * Every organisation, person, SDG target, indicator, plan action and challenge the input names
 * must exist: a 422 naming the field if not. An action or challenge counts as existing only if the
 * actor may see it (a draft of another organisation is as unknown as a made-up id, so its title
 * never leaks); links the project already has (`linked`) pass as they are.
 */
async function checkReferences(db: Executor, actor: Actor, input: ProjectInput, linked: Linked = { actions: [], challenges: [] }): Promise<void> {
  const errors: FieldError[] = [];
  const org = async (id: string | null | undefined, field: string) => {
    if (!id) return;
    try {
      await directory.getOrganisation(db, id);
    } catch (e) {
      if (e instanceof NotFoundError) errors.push({ field, message: 'Unknown organisation: choose one from the directory' });
      else throw e;
    }
  };
  await org(input.ownerOrgId, 'ownerOrgId');
  await org(input.coordinatorOrgId, 'coordinatorOrgId');
  for (const [i, p] of input.partners.entries()) await org(p.organisationId, `partners.${i}.organisationId`);
  for (const [i, f] of input.funding.entries()) await org(f.funderOrgId, `funding.${i}.funderOrgId`);
  if (input.coordinatorPersonId) {
    try {
      await directory.getPerson(db, input.coordinatorPersonId);
    } catch (e) {
      if (e instanceof NotFoundError) errors.push({ field: 'coordinatorPersonId', message: 'Unknown person: choose one from the directory' });
      else throw e;
    }
  }
  const targets = new Set(sdgTargets().map((t) => t.code));
  input.sdgTargets.forEach((c, i) => {
    if (!targets.has(c)) errors.push({ field: `sdgTargets.${i}`, message: `Unknown SDG target: ${c}` });
  });
  for (const [i, c] of input.indicators.entries()) {
    try {
      await getIndicator(db, c);
    } catch (e) {
      if (e instanceof NotFoundError) errors.push({ field: `indicators.${i}`, message: `Unknown indicator: ${c}` });
      else throw e;
    }
  }
  for (const [i, id] of input.planActions.entries()) {
    if (linked.actions.includes(id)) continue;
    if (!(await seeable(plans.getAction(db, actor, id)))) errors.push({ field: `planActions.${i}`, message: 'Unknown plan action: choose one from the list' });
  }
  for (const [i, id] of input.challenges.entries()) {
    if (linked.challenges.includes(id)) continue;
    if (!(await seeable(challenges.getChallenge(db, actor, id)))) errors.push({ field: `challenges.${i}`, message: 'Unknown challenge: choose one from the list' });
  }
  const partnerIds = input.partners.map((p) => p.organisationId);
  const dup = partnerIds.findIndex((id, i) => partnerIds.indexOf(id) !== i && input.partners[partnerIds.indexOf(id)]!.role === input.partners[i]!.role);
  if (dup >= 0) errors.push({ field: `partners.${dup}.organisationId`, message: 'This organisation is already a partner with this role' });
  if (errors.length) throw new ValidationError(errors);
}

/** Addresses the module's own pages use under /projects/. */
const RESERVED = new Set(['new', 'networks', 'export', 'deadlines']);

async function uniqueSlug(db: Executor, wanted: string, exceptId?: string): Promise<string> {
  let slug = RESERVED.has(wanted) ? `${wanted}-project` : wanted;
  for (let n = 2; ; n++) {
    const [row] = await db.select({ id: projects.id }).from(projects).where(eq(projects.slug, slug)).limit(1);
    if (!row || row.id === exceptId) return slug;
    slug = `${wanted}-${n}`;
  }
}

const columns = (i: ProjectInput) => ({
  name: i.name,
  acronym: i.acronym ?? null,
  lang: i.lang,
  description: i.description,
  objectives: i.objectives,
  targetGroup: i.targetGroup,
  ownerOrgId: i.ownerOrgId,
  coordinatorPersonId: i.coordinatorPersonId ?? null,
  coordinatorOrgId: i.coordinatorOrgId ?? null,
  state: i.state,
  visibility: i.visibility,
  startDate: i.startDate ?? null,
  endDate: i.endDate ?? null,
});

/**
 * Replaces the project's lists (partners, phases, links, funding …) with the input's. `keep`: links
 * to actions and challenges the editor cannot see (another organisation's drafts), which the form
 * and the API never showed them and which their save must therefore not drop.
 */
async function writeChildren(tx: Executor, projectId: string, i: ProjectInput, keep: Linked = { actions: [], challenges: [] }) {
  await tx.delete(projectPlanActions).where(eq(projectPlanActions.projectId, projectId));
  await tx.delete(projectChallenges).where(eq(projectChallenges.projectId, projectId));
  const acts = [...new Set([...i.planActions, ...keep.actions])];
  if (acts.length) await tx.insert(projectPlanActions).values(acts.map((actionId, position) => ({ projectId, actionId, position })));
  const chs = [...new Set([...i.challenges, ...keep.challenges])];
  if (chs.length) await tx.insert(projectChallenges).values(chs.map((challengeId, position) => ({ projectId, challengeId, position })));
  await tx.delete(projectPartners).where(eq(projectPartners.projectId, projectId));
  await tx.delete(projectSdgTargets).where(eq(projectSdgTargets.projectId, projectId));
  await tx.delete(projectIndicators).where(eq(projectIndicators.projectId, projectId));
  await tx.delete(projectLinks).where(eq(projectLinks.projectId, projectId));
  await tx.delete(fundingSources).where(eq(fundingSources.projectId, projectId)); // amounts cascade
  if (i.partners.length)
    await tx.insert(projectPartners).values(i.partners.map((p, n) => ({ projectId, organisationId: p.organisationId, role: p.role, startDate: p.startDate ?? null, endDate: p.endDate ?? null, canEdit: p.canEdit, position: n })));
  await writeMilestones(tx, projectId, i.milestones);
  const targets = [...new Set(i.sdgTargets)];
  if (targets.length) await tx.insert(projectSdgTargets).values(targets.map((targetCode) => ({ projectId, targetCode })));
  const inds = [...new Set(i.indicators)];
  if (inds.length) await tx.insert(projectIndicators).values(inds.map((indicatorCode) => ({ projectId, indicatorCode })));
  if (i.links.length) await tx.insert(projectLinks).values(i.links.map((l, n) => ({ projectId, title: l.title, url: l.url, position: n })));
  for (const [n, f] of i.funding.entries()) {
    const [src] = await tx
      .insert(fundingSources)
      .values({ projectId, funderOrgId: f.funderOrgId, isOwn: f.isOwn, programme: f.programme ?? null, grantReference: f.grantReference ?? null, position: n })
      .returning({ id: fundingSources.id });
    if (f.amounts.length) await tx.insert(fundingAmounts).values(f.amounts.map((a) => ({ sourceId: src!.id, year: a.year, currency: a.currency, amountMinor: a.amount })));
  }
}

/**
 * Replaces the project's phases and deadlines, keeping the row (and so the id) of each one still
 * there, matched by kind and title (and date, where two share a title). A deadline's reminder is
 * claimed by its id and date (project_reminders_sent, deleted with the milestone) and its calendar
 * event is named by its id: rewriting every row on each save sent the same reminder again after
 * any edit of the project, and made calendars see new events. A moved date keeps the id, so it is
 * reminded again for the new date, as before.
 */
async function writeMilestones(tx: Executor, projectId: string, wanted: ProjectInput['milestones']) {
  const old = await tx.select().from(projectMilestones).where(eq(projectMilestones.projectId, projectId));
  const kept = new Array<MilestoneRow | undefined>(wanted.length);
  const take = (n: number, sameDate: boolean) => {
    const m = wanted[n]!;
    const i = old.findIndex((o) => o.kind === m.kind && o.title === m.title && (!sameDate || o.dueDate === m.dueDate));
    if (i >= 0) kept[n] = old.splice(i, 1)[0];
  };
  wanted.forEach((_, n) => take(n, true));
  wanted.forEach((_, n) => kept[n] === undefined && take(n, false));
  if (old.length) await tx.delete(projectMilestones).where(inArray(projectMilestones.id, old.map((o) => o.id)));
  const added = [];
  for (const [n, m] of wanted.entries()) {
    const row = { kind: m.kind, title: m.title, startDate: m.kind === 'phase' ? (m.startDate ?? null) : null, dueDate: m.dueDate, position: n };
    const k = kept[n];
    if (!k) added.push({ projectId, ...row });
    else if (k.startDate !== row.startDate || k.dueDate !== row.dueDate || k.position !== n) await tx.update(projectMilestones).set(row).where(eq(projectMilestones.id, k.id));
  }
  if (added.length) await tx.insert(projectMilestones).values(added);
}

/** Keeps the search index true: public projects for everyone, partners-only ones restricted to the owner's members. */
async function reindex(tx: Executor, projectId: string) {
  const [p] = await tx.select().from(projects).where(eq(projects.id, projectId)).limit(1);
  if (!p) return removeSearchDoc(tx, 'project', projectId);
  const partners = await tx.select().from(projectPartners).where(eq(projectPartners.projectId, projectId));
  const sources = await tx.select().from(fundingSources).where(eq(fundingSources.projectId, projectId));
  const targets = await tx.select().from(projectSdgTargets).where(eq(projectSdgTargets.projectId, projectId));
  const names: string[] = [];
  for (const id of new Set([p.ownerOrgId, ...partners.map((x) => x.organisationId), ...sources.map((s) => s.funderOrgId)])) {
    const o = await directory.getOrganisation(tx, id);
    names.push(o.name, o.shortName ?? '');
  }
  await indexSearchDoc(tx, {
    type: 'project',
    id: p.id,
    title: p.acronym ? `${p.name} (${p.acronym})` : p.name,
    body: [p.acronym ?? '', p.description, p.objectives, p.targetGroup, ...names, ...sources.flatMap((s) => [s.programme ?? '', s.grantReference ?? ''])].filter(Boolean).join('\n'),
    lang: p.lang,
    url: `/projects/${p.slug}`,
    restrictedToOrg: p.visibility === 'public' ? null : p.ownerOrgId,
    organisationIds: [...new Set([p.ownerOrgId, ...partners.map((x) => x.organisationId)])],
    sdgGoals: [...new Set(targets.map((t) => Number(t.targetCode.split('.')[0])))].filter((n) => Number.isInteger(n)),
    year: p.startDate ? Number(p.startDate.slice(0, 4)) : null,
  });
}

/** The insert shared by creating a project and starting one from a challenge response. */
async function insertProject(tx: Executor, actor: Actor, input: ProjectInput, extra: { startedFromResponseId?: string; action?: string } = {}): Promise<ProjectRow> {
  const slug = await uniqueSlug(tx, input.slug ?? slugify(input.acronym ? `${input.acronym}` : input.name));
  const [row] = await tx.insert(projects).values({ slug, ...columns(input), startedFromResponseId: extra.startedFromResponseId ?? null }).returning();
  await writeChildren(tx, row!.id, input);
  await reindex(tx, row!.id);
  await recordAudit(tx, actor, { action: extra.action ?? 'project.create', entityType: 'project', entityId: row!.id, organisationId: input.ownerOrgId, summary: row!.name });
  return row!;
}

export async function createProject(db: Database, actor: Actor, raw: unknown): Promise<ProjectRow> {
  policy.requireSignedIn(actor);
  const input = parseInput(ProjectInput, raw);
  return db.orm.transaction(async (tx) => {
    await checkReferences(tx, actor, input);
    await policy.assertCanOwn(tx, actor, input.ownerOrgId);
    return insertProject(tx, actor, input);
  });
}

/** The project already started from a challenge response, if any. */
export async function projectStartedFrom(db: Executor, responseId: string): Promise<ProjectRow | null> {
  const [row] = await db.select().from(projects).where(eq(projects.startedFromResponseId, responseId)).limit(1);
  return row ?? null;
}

/**
 * Starts a project from an accepted response to a challenge (#14): owned by the challenge's owner,
 * with the responder as partner, linked to the challenge, its SDG targets and indicator copied,
 * named and described after the challenge. Only the challenge owner's admins and editors may. The
 * project starts as planned and visible to its owner and partner only, to be completed and made
 * public in the ordinary form. One project per response.
 */
export async function startProjectFromResponse(db: Database, actor: Actor, raw: unknown): Promise<ProjectRow> {
  policy.requireSignedIn(actor);
  const ref = parseInput(StartFromResponseInput, raw);
  return db.orm.transaction(async (tx) => {
    // A challenge this actor may not see, or a response that is not (yet) accepted, is not found.
    const c = await challenges.getChallenge(tx, actor, ref.challengeId);
    const r = (await challenges.acceptedResponses(tx, actor, c.id)).find((x) => x.id === ref.responseId);
    if (!r || !r.responderOrgId) throw new NotFoundError('response', ref.responseId);
    await policy.assertCanOwn(tx, actor, c.organisationId);
    if (await projectStartedFrom(tx, r.id)) throw new ConflictError('A project has already been started from this response.', 'project_already_started');
    const known = new Set(sdgTargets().map((t) => t.code));
    const input = parseInput(ProjectInput, {
      name: c.title,
      lang: c.lang,
      description: c.problem,
      ownerOrgId: c.organisationId,
      state: 'planned',
      visibility: 'partners',
      partners: r.responderOrgId === c.organisationId ? [] : [{ organisationId: r.responderOrgId, role: 'partner' }],
      sdgTargets: c.sdgTargets.filter((t) => known.has(t)),
      indicators: c.indicatorCode ? [c.indicatorCode] : [],
      challenges: [c.id],
    });
    await checkReferences(tx, actor, input);
    return insertProject(tx, actor, input, { startedFromResponseId: r.id, action: 'project.start_from_response' });
  });
}

export async function updateProject(db: Database, actor: Actor, ref: string, raw: unknown): Promise<ProjectRow> {
  policy.requireSignedIn(actor);
  return db.orm.transaction(async (tx) => {
    const before = await getProjectRow(tx, ref);
    const access = await accessOf(tx, before);
    // Outsiders learn nothing about a project they may not read.
    if (!(await policy.canView(tx, actor, access))) throw new NotFoundError('project', ref);
    await policy.assertCanManage(tx, actor, access);
    const input = parseInput(ProjectInput, raw);
    const linked = await linksOf(tx, before.id);
    await checkReferences(tx, actor, input, linked);
    // Links this editor cannot see stay as they are (see writeChildren).
    const hidden: Linked = { actions: [], challenges: [] };
    for (const id of linked.actions) if (!(await seeable(plans.getAction(tx, actor, id)))) hidden.actions.push(id);
    for (const id of linked.challenges) if (!(await seeable(challenges.getChallenge(tx, actor, id)))) hidden.challenges.push(id);
    // Handing a project to another organisation needs editing rights at the old owner (not only a
    // partner's editing) and at the new one.
    if (input.ownerOrgId !== before.ownerOrgId) {
      await policy.assertCanOwn(tx, actor, before.ownerOrgId);
      await policy.assertCanOwn(tx, actor, input.ownerOrgId);
    }
    // A chosen address that names one of the project pages (/projects/new, /projects/export…) is
    // not "taken by another project": say what it is, where the field is.
    if (input.slug && input.slug !== before.slug && RESERVED.has(input.slug)) throw new ConflictError('This address is the name of a page of its own; choose another.', 'slug_reserved', 'slug');
    const slug = input.slug && input.slug !== before.slug ? await uniqueSlug(tx, input.slug, before.id) : before.slug;
    if (input.slug && slug !== input.slug) throw new ConflictError('Another project already uses this address.', 'slug_taken', 'slug');
    const [row] = await tx.update(projects).set({ slug, ...columns(input), updatedAt: new Date() }).where(eq(projects.id, before.id)).returning();
    await writeChildren(tx, before.id, input, hidden);
    await reindex(tx, before.id);
    await recordAudit(tx, actor, { action: 'project.update', entityType: 'project', entityId: before.id, organisationId: row!.ownerOrgId, summary: row!.name, changes: diff(before as unknown as Record<string, unknown>, { slug, ...columns(input) }) });
    return row!;
  });
}

export async function deleteProject(db: Database, storage: FileStorage, actor: Actor, ref: string): Promise<void> {
  policy.requireSignedIn(actor);
  const keys = await db.orm.transaction(async (tx) => {
    const p = await getProjectRow(tx, ref);
    const access = await accessOf(tx, p);
    if (!(await policy.canView(tx, actor, access))) throw new NotFoundError('project', ref);
    await policy.assertCanManage(tx, actor, access);
    const docs = await tx.select({ key: projectDocuments.storageKey }).from(projectDocuments).where(eq(projectDocuments.projectId, p.id));
    await tx.delete(projects).where(eq(projects.id, p.id));
    await removeSearchDoc(tx, 'project', p.id);
    await recordAudit(tx, actor, { action: 'project.delete', entityType: 'project', entityId: p.id, organisationId: p.ownerOrgId, summary: p.name });
    return docs.map((d) => d.key);
  });
  // Bytes go after the rows are gone: a crash in between leaves an orphan file, never a row without its file.
  for (const k of keys) await storage.delete(k);
}

const UPLOAD_REASONS: Record<string, string> = {
  empty: 'The file is empty',
  too_large: 'The file is too large',
  type_not_allowed: 'This type of file is not accepted (use PDF, office documents, images or plain text)',
  extension_mismatch: 'The file’s content does not match its name',
  bad_name: 'The file name is not usable',
};

export async function addDocument(
  db: Database,
  storage: FileStorage,
  actor: Actor,
  ref: string,
  raw: unknown,
  file: { data: Uint8Array; fileName: string } | null,
  maxBytes: number,
): Promise<DocumentRow> {
  policy.requireSignedIn(actor);
  const p = await getProjectRow(db.orm, ref);
  const access = await accessOf(db.orm, p);
  if (!(await policy.canView(db.orm, actor, access))) throw new NotFoundError('project', ref);
  await policy.assertCanManage(db.orm, actor, access);
  const input = parseInput(DocumentInput, raw);
  if (!file || file.data.byteLength === 0) throw new ValidationError([{ field: 'file', message: 'Choose a file' }]);
  const up = await inspectUpload(file.data, file.fileName, maxBytes);
  if (!up.ok) throw new ValidationError([{ field: 'file', message: UPLOAD_REASONS[up.reason] ?? up.reason }]);
  const row = await db.orm.transaction(async (tx) => {
    const [d] = await tx
      .insert(projectDocuments)
      .values({ projectId: p.id, title: input.title, fileName: up.fileName, mimeType: up.mime, sizeBytes: up.size, sha512: up.sha512, storageKey: up.key, textContent: up.text })
      .returning();
    await recordAudit(tx, actor, { action: 'project.document.add', entityType: 'project', entityId: p.id, organisationId: p.ownerOrgId, summary: input.title });
    // Written inside the transaction: if the write fails, the row is rolled back with it.
    await storage.put(up.key, up.data);
    return d!;
  });
  return row;
}

export async function removeDocument(db: Database, storage: FileStorage, actor: Actor, ref: string, documentId: string): Promise<void> {
  policy.requireSignedIn(actor);
  const key = await db.orm.transaction(async (tx) => {
    const p = await getProjectRow(tx, ref);
    const access = await accessOf(tx, p);
    if (!(await policy.canView(tx, actor, access))) throw new NotFoundError('project', ref);
    await policy.assertCanManage(tx, actor, access);
    if (!isUuid(documentId)) throw new NotFoundError('document', documentId);
    const [d] = await tx.delete(projectDocuments).where(and(eq(projectDocuments.id, documentId), eq(projectDocuments.projectId, p.id))).returning();
    if (!d) throw new NotFoundError('document', documentId);
    await recordAudit(tx, actor, { action: 'project.document.remove', entityType: 'project', entityId: p.id, organisationId: p.ownerOrgId, summary: d.title });
    return d.storageKey;
  });
  await storage.delete(key);
}

export async function documentForDownload(db: Executor, actor: Actor, ref: string, documentId: string): Promise<DocumentRow> {
  const p = await readableProject(db, actor, ref);
  if (!isUuid(documentId)) throw new NotFoundError('document', documentId);
  const [d] = await db.select().from(projectDocuments).where(and(eq(projectDocuments.id, documentId), eq(projectDocuments.projectId, p.id))).limit(1);
  if (!d) throw new NotFoundError('document', documentId);
  return d;
}

/** Replaces a network's exchange rates (the whole list: what is not given is removed). */
export async function setExchangeRates(db: Database, actor: Actor, networkRef: string, raw: unknown) {
  policy.requireSignedIn(actor);
  return db.orm.transaction(async (tx) => {
    const net = await directory.getOrganisation(tx, networkRef);
    await policy.assertCanSetRates(tx, actor, net.id);
    const input = parseInput(RatesInput, raw);
    const seen = new Set<string>();
    const errors: FieldError[] = [];
    input.rates.forEach((r, i) => {
      const k = `${r.year}:${r.from}:${r.to}`;
      if (seen.has(k)) errors.push({ field: `rates.${i}.year`, message: 'This year and pair of currencies is given twice' });
      seen.add(k);
    });
    if (errors.length) throw new ValidationError(errors);
    await tx.delete(exchangeRates).where(eq(exchangeRates.networkOrgId, net.id));
    if (input.rates.length)
      await tx.insert(exchangeRates).values(input.rates.map((r) => ({ networkOrgId: net.id, year: r.year, fromCurrency: r.from, toCurrency: r.to, rateMicro: r.rate })));
    await recordAudit(tx, actor, { action: 'project.rates.set', entityType: 'organisation', entityId: net.id, organisationId: net.id, summary: `${input.rates.length} exchange rates` });
    return { network: net, count: input.rates.length };
  });
}

/** An organisation by slug or id, through the directory. */
export const orgByRef = (db: Executor, ref: string) => directory.getOrganisation(db, ref);

export async function ratesOf(db: Executor, networkOrgId: string) {
  return db.select().from(exchangeRates).where(eq(exchangeRates.networkOrgId, networkOrgId)).orderBy(exchangeRates.year, exchangeRates.fromCurrency, exchangeRates.toCurrency);
}

/** Every project through its own indexing, for a rebuild of the search index (`npm run cli -- search reindex`). */
export const projectsSearchSource: SearchDocSource = {
  types: ['project'],
  rebuild: async (tx) => {
    const rows = await tx.select({ id: projects.id }).from(projects);
    for (const r of rows) await reindex(tx, r.id);
    return rows.length;
  },
};
