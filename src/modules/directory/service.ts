/**
 * The directory's writes for organisations, people, areas, commitments and signatures. Each runs in one
 * transaction with its audit row. Memberships are in memberships.ts, delegations in delegations.ts,
 * the reads in reads.ts and profiles.ts.
 */
import { and, eq, ilike, isNull, or, sql } from 'drizzle-orm';
import { type Database, type Executor } from '../../platform/db/index.js';
import { recordAudit, diff, type Actor } from '../../platform/audit.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { fold, isUuid, likeEscape, slugify } from '../../platform/text.js';
import { sortKeys } from '../../web/i18n/index.js';
import {
  areas,
  commitments,
  commitmentSignatures,
  memberships,
  organisations,
  people,
  TERRITORIAL_KINDS,
  type AreaRow,
  type CommitmentRow,
  type OrganisationRow,
  type PersonRow,
} from './schema.js';
import {
  areaKey,
  areaKeyFor,
  AreaInput,
  endsBeforeStart,
  CommitmentInput,
  OrganisationInput,
  PersonInput,
  SignatureInput,
} from './inputs.js';
import * as policy from './policy.js';
import { descendantIds } from './tree.js';
import { indexCommitmentDoc, indexOrganisationDoc, indexPersonDoc } from './search.js';
import { getAreaByKey, getCommitment, getOrganisation, getPerson } from './reads.js';
import { parseInput, today } from './inputs.js';

// ---------------------------------------------------------------------------
// Writes. Each runs in one transaction with its audit row.

/** Uses the requested slug if it is free; otherwise derives a free one from the name. */
async function chooseSlug(db: Executor, table: typeof organisations | typeof people | typeof commitments, requested: string | null | undefined, name: string): Promise<string> {
  if (!requested) return uniqueSlug(db, table, name);
  const [taken] = await db.select({ id: table.id }).from(table).where(eq(table.slug, requested)).limit(1);
  if (taken) throw new ConflictError('This address (slug) is already in use.', 'slug_taken', 'slug');
  return requested;
}

async function uniqueSlug(db: Executor, table: typeof organisations | typeof people | typeof commitments, base: string): Promise<string> {
  const stem = slugify(base);
  const taken = new Set(
    (await db.select({ slug: table.slug }).from(table).where(or(eq(table.slug, stem), ilike(table.slug, `${likeEscape(stem)}-%`)))).map((r) => r.slug),
  );
  if (!taken.has(stem)) return stem;
  for (let i = 2; ; i++) if (!taken.has(`${stem}-${i}`)) return `${stem}-${i}`;
}

/** Finds or creates the area a territorial organisation governs. */
async function ensureArea(tx: Executor, actor: Actor, input: { country: 'SE' | 'NO' | 'DK'; code: string; level: 'region' | 'municipality'; name: string }): Promise<AreaRow> {
  const key = areaKey(input.country, input.code);
  const [existing] = await tx.select().from(areas).where(eq(areas.key, key)).limit(1);
  if (existing) {
    if (existing.level !== input.level) {
      throw new ValidationError([{ field: 'areaCode', message: `Area ${key} is a ${existing.level}, not a ${input.level}` }]);
    }
    return existing;
  }
  const [row] = await tx.insert(areas).values({ key, country: input.country, level: input.level, code: input.code, name: input.name }).returning();
  await recordAudit(tx, actor, { action: 'area.create', entityType: 'area', entityId: row!.id, summary: `${key} ${input.name}` });
  return row!;
}

/**
 * Adds or updates areas by key (used by area-list imports). Existing rows keep
 * their id so everything linked to them stays linked.
 */
export async function upsertAreas(tx: Executor, actor: Actor, rows: AreaInput[]): Promise<{ created: number; updated: number }> {
  let created = 0;
  let updated = 0;
  for (const raw of rows) {
    const parsed = AreaInput.safeParse(raw);
    if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'area', message: `${i.message} (area ${raw.country}-${raw.code} ${raw.name})` })));
    const input = parsed.data;
    const key = areaKeyFor(input);
    const parent = input.parentKey ? await getAreaByKey(tx, input.parentKey) : null;
    if (input.level === 'district' && parent?.level !== 'municipality') throw new ValidationError([{ field: 'parentKey', message: `"${input.parentKey}" is not a municipality` }]);
    const [existing] = await tx.select().from(areas).where(eq(areas.key, key)).limit(1);
    // Validity is only ever added or changed by a list that states it; a list without dates leaves it.
    const validity = { ...(input.validFrom !== undefined ? { validFrom: input.validFrom } : {}), ...(input.validTo !== undefined ? { validTo: input.validTo } : {}) };
    if (!existing) {
      const [row] = await tx
        .insert(areas)
        .values({ key, country: input.country, level: input.level, code: input.code.toLowerCase(), name: input.name, parentId: parent?.id ?? null, ...validity })
        .returning();
      await recordAudit(tx, actor, { action: 'area.create', entityType: 'area', entityId: row!.id, summary: `${key} ${input.name}` });
      created++;
    } else if (
      existing.name !== input.name ||
      (parent && existing.parentId !== parent.id) ||
      (validity.validFrom !== undefined && existing.validFrom !== validity.validFrom) ||
      (validity.validTo !== undefined && existing.validTo !== validity.validTo)
    ) {
      await tx
        .update(areas)
        .set({ name: input.name, parentId: parent?.id ?? existing.parentId, ...validity, updatedAt: new Date() })
        .where(eq(areas.id, existing.id));
      await recordAudit(tx, actor, { action: 'area.update', entityType: 'area', entityId: existing.id, changes: diff(existing, { name: input.name, ...validity }) });
      updated++;
    }
  }
  return { created, updated };
}

async function checkParent(tx: Executor, parentId: string | null | undefined, selfId?: string) {
  if (!parentId) return;
  const [p] = await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, parentId)).limit(1);
  if (!p) throw new ValidationError([{ field: 'parentId', message: 'No such organisation' }]);
  if (selfId) {
    if (parentId === selfId) throw new ValidationError([{ field: 'parentId', message: 'An organisation cannot belong to itself' }]);
    const below = await descendantIds(tx, selfId);
    if (below.includes(parentId)) throw new ValidationError([{ field: 'parentId', message: 'That would make a loop: the chosen parent belongs to this organisation' }]);
  }
}

function orgValues(input: OrganisationInput) {
  return {
    name: input.name,
    shortName: input.shortName ?? null,
    searchName: fold(`${input.name} ${input.shortName ?? ''}`),
    kind: input.kind,
    parentId: input.parentId ?? null,
    lang: input.lang,
    description: input.description,
    website: input.website ?? null,
    foundedOn: input.foundedOn ?? null,
  };
}

async function areaFor(tx: Executor, actor: Actor, input: OrganisationInput, selfId?: string): Promise<string | null> {
  if (!TERRITORIAL_KINDS.includes(input.kind) || !input.country || !input.areaCode) return null;
  const area = await ensureArea(tx, actor, {
    country: input.country,
    code: input.areaCode,
    level: input.kind === 'municipality' ? 'municipality' : 'region',
    name: input.name,
  });
  await assertAreaFree(tx, area, selfId);
  return area.id;
}

/**
 * An area is governed by one organisation: whoever manages it writes the area's figures,
 * so a second binding would hand them to someone else. An ended organisation's area is
 * free for its successor. Locking the area row serialises two bindings racing.
 */
async function assertAreaFree(tx: Executor, area: AreaRow, selfId?: string) {
  await tx.execute(sql`SELECT id FROM areas WHERE id = ${area.id} FOR UPDATE`);
  const conds = [eq(organisations.areaId, area.id), isNull(organisations.endedOn)];
  if (selfId) conds.push(sql`${organisations.id} <> ${selfId}`);
  const [other] = await tx.select({ name: organisations.name }).from(organisations).where(and(...conds)).limit(1);
  if (other) throw new ConflictError(`Area ${area.key} is already governed by ${other.name}.`, 'area_taken', 'areaCode');
}

export async function createOrganisation(db: Database, actor: Actor, raw: unknown): Promise<OrganisationRow> {
  const input = parseInput(OrganisationInput, raw);
  return db.orm.transaction(async (tx) => {
    await policy.assertCanCreateOrganisation(tx, actor, input.parentId ?? null);
    await checkParent(tx, input.parentId);
    const slug = await chooseSlug(tx, organisations, input.slug, input.name);
    const areaId = await areaFor(tx, actor, input);
    const [row] = await tx.insert(organisations).values({ ...orgValues(input), ...sortKeys(input.name), slug, areaId }).returning();
    await recordAudit(tx, actor, {
      action: 'organisation.create',
      entityType: 'organisation',
      entityId: row!.id,
      organisationId: row!.id,
      summary: row!.name,
      changes: { name: row!.name, kind: row!.kind, parentId: row!.parentId },
    });
    await indexOrganisationDoc(tx, row!.id);
    if (row!.parentId) {
      await recordAudit(tx, actor, {
        action: 'organisation.child_create',
        entityType: 'organisation',
        entityId: row!.id,
        organisationId: row!.parentId,
        summary: row!.name,
      });
    }
    return row!;
  });
}

export async function updateOrganisation(db: Database, actor: Actor, ref: string, raw: unknown): Promise<OrganisationRow> {
  const input = parseInput(OrganisationInput, raw);
  return db.orm.transaction(async (tx) => {
    const before = await getOrganisation(tx, ref);
    await policy.assertCanManageOrganisation(tx, actor, before.id);
    if ((input.parentId ?? null) !== before.parentId) {
      // Moving an organisation needs rights where it lands too.
      if (input.parentId) await policy.assertCanManageOrganisation(tx, actor, input.parentId);
      else if (!actor.isPlatformAdmin) throw new ForbiddenError('Only a platform administrator can make an organisation top-level.');
      await checkParent(tx, input.parentId, before.id);
    }
    const areaId = TERRITORIAL_KINDS.includes(input.kind) ? await areaFor(tx, actor, input, before.id) : null;
    const values = { ...orgValues(input), areaId };
    const [row] = await tx.update(organisations).set({ ...values, ...sortKeys(input.name), updatedAt: new Date() }).where(eq(organisations.id, before.id)).returning();
    const changes = diff(before as unknown as Record<string, unknown>, { ...values, searchName: undefined });
    await recordAudit(tx, actor, { action: 'organisation.update', entityType: 'organisation', entityId: before.id, organisationId: before.id, summary: row!.name, changes });
    await indexOrganisationDoc(tx, before.id);
    return row!;
  });
}

export async function endOrganisation(db: Database, actor: Actor, ref: string, endedOn: string | null | undefined): Promise<OrganisationRow> {
  return db.orm.transaction(async (tx) => {
    const before = await getOrganisation(tx, ref);
    await policy.assertCanManageOrganisation(tx, actor, before.id);
    if (before.endedOn) throw new ConflictError('This organisation has already ended.', 'already_ended');
    const on = endedOn ?? today();
    if (endsBeforeStart(before.foundedOn, on)) throw new ValidationError([{ field: 'endedOn', message: 'The end date is before the founding date' }]);
    const [row] = await tx.update(organisations).set({ endedOn: on, updatedAt: new Date() }).where(eq(organisations.id, before.id)).returning();
    await recordAudit(tx, actor, { action: 'organisation.end', entityType: 'organisation', entityId: before.id, organisationId: before.id, summary: row!.name, changes: { endedOn: { from: null, to: on } } });
    await indexOrganisationDoc(tx, before.id);
    return row!;
  });
}

function personValues(input: PersonInput) {
  return {
    name: input.name,
    searchName: fold(input.name),
    title: input.title ?? null,
    lang: input.lang,
    email: input.email ?? null,
    phone: input.phone ?? null,
  };
}

export async function mustExist(tx: Executor, field: string, table: typeof organisations | typeof people, id: string | null | undefined) {
  if (!id) return;
  const [r] = await tx.select({ id: table.id }).from(table).where(eq(table.id, id)).limit(1);
  if (!r) throw new ValidationError([{ field, message: table === people ? 'No such person' : 'No such organisation' }]);
}

export async function insertPerson(tx: Executor, actor: Actor, input: PersonInput, ownerOrganisationId: string | null): Promise<PersonRow> {
  const slug = await chooseSlug(tx, people, input.slug, input.name);
  const [row] = await tx.insert(people).values({ ...personValues(input), ...sortKeys(input.name), slug, ownerOrganisationId }).returning();
  await recordAudit(tx, actor, { action: 'person.create', entityType: 'person', entityId: row!.id, summary: row!.name });
  await indexPersonDoc(tx, row!.id);
  return row!;
}

export async function createPerson(db: Database, actor: Actor, raw: unknown): Promise<PersonRow> {
  const input = parseInput(PersonInput, raw);
  return db.orm.transaction(async (tx) => {
    policy.assertCanCreatePerson(actor);
    return insertPerson(tx, actor, input, await policy.ownerForNewRecord(tx, actor, null));
  });
}

export async function updatePerson(db: Database, actor: Actor, ref: string, raw: unknown): Promise<PersonRow> {
  const input = parseInput(PersonInput, raw);
  return db.orm.transaction(async (tx) => {
    const before = await getPerson(tx, ref);
    await policy.assertCanEditPerson(tx, actor, before.id);
    const values = personValues(input);
    const [row] = await tx.update(people).set({ ...values, ...sortKeys(input.name), updatedAt: new Date() }).where(eq(people.id, before.id)).returning();
    await recordAudit(tx, actor, { action: 'person.update', entityType: 'person', entityId: before.id, summary: row!.name, changes: diff(before as unknown as Record<string, unknown>, { ...values, searchName: undefined }) });
    await indexPersonDoc(tx, before.id);
    return row!;
  });
}

export async function endPerson(db: Database, actor: Actor, ref: string, endedOn: string | null | undefined): Promise<PersonRow> {
  return db.orm.transaction(async (tx) => {
    const before = await getPerson(tx, ref);
    await policy.assertCanEditPerson(tx, actor, before.id);
    if (before.endedOn) throw new ConflictError('This person is already marked as no longer active.', 'already_ended');
    const on = endedOn ?? today();
    const [row] = await tx.update(people).set({ endedOn: on, updatedAt: new Date() }).where(eq(people.id, before.id)).returning();
    // Ending a person also ends their open roles, so no page keeps listing them as current.
    const open = await tx.select().from(memberships).where(and(eq(memberships.personId, before.id), isNull(memberships.endDate)));
    for (const m of open) {
      const end = m.startDate && endsBeforeStart(m.startDate, on) ? m.startDate : on;
      await tx.update(memberships).set({ endDate: end, updatedAt: new Date() }).where(eq(memberships.id, m.id));
      await recordAudit(tx, actor, { action: 'membership.end', entityType: 'membership', entityId: m.id, organisationId: m.organisationId, summary: row!.name, changes: { endDate: { from: null, to: end } } });
    }
    await recordAudit(tx, actor, { action: 'person.end', entityType: 'person', entityId: before.id, summary: row!.name, changes: { endedOn: { from: null, to: on } } });
    return row!;
  });
}

function commitmentValues(input: CommitmentInput) {
  return { title: input.title, searchName: fold(input.title), lang: input.lang, datedOn: input.datedOn ?? null, body: input.body, url: input.url ?? null };
}

export async function createCommitment(db: Database, actor: Actor, raw: unknown): Promise<CommitmentRow> {
  const input = parseInput(CommitmentInput, raw);
  return db.orm.transaction(async (tx) => {
    policy.assertCanCreateCommitment(actor);
    const slug = await chooseSlug(tx, commitments, input.slug, input.title);
    const ownerOrganisationId = await policy.ownerForNewRecord(tx, actor, null);
    const [row] = await tx.insert(commitments).values({ ...commitmentValues(input), slug, ownerOrganisationId }).returning();
    await recordAudit(tx, actor, { action: 'commitment.create', entityType: 'commitment', entityId: row!.id, summary: row!.title });
    await indexCommitmentDoc(tx, row!.id);
    return row!;
  });
}

export async function updateCommitment(db: Database, actor: Actor, ref: string, raw: unknown): Promise<CommitmentRow> {
  const input = parseInput(CommitmentInput, raw);
  return db.orm.transaction(async (tx) => {
    const before = await getCommitment(tx, ref);
    await policy.assertCanEditCommitment(tx, actor, before.id);
    const values = commitmentValues(input);
    const [row] = await tx.update(commitments).set({ ...values, updatedAt: new Date() }).where(eq(commitments.id, before.id)).returning();
    await recordAudit(tx, actor, { action: 'commitment.update', entityType: 'commitment', entityId: before.id, summary: row!.title, changes: diff(before as unknown as Record<string, unknown>, { ...values, searchName: undefined }) });
    await indexCommitmentDoc(tx, before.id);
    return row!;
  });
}

export async function endCommitment(db: Database, actor: Actor, ref: string, endedOn: string | null | undefined): Promise<CommitmentRow> {
  return db.orm.transaction(async (tx) => {
    const before = await getCommitment(tx, ref);
    await policy.assertCanEditCommitment(tx, actor, before.id);
    if (before.endedOn) throw new ConflictError('This commitment has already ended.', 'already_ended');
    const on = endedOn ?? today();
    const [row] = await tx.update(commitments).set({ endedOn: on, updatedAt: new Date() }).where(eq(commitments.id, before.id)).returning();
    await recordAudit(tx, actor, { action: 'commitment.end', entityType: 'commitment', entityId: before.id, summary: row!.title, changes: { endedOn: { from: null, to: on } } });
    return row!;
  });
}

export async function signCommitment(db: Database, actor: Actor, commitmentRef: string, raw: unknown) {
  const input = parseInput(SignatureInput, raw);
  return db.orm.transaction(async (tx) => {
    const c = await getCommitment(tx, commitmentRef);
    await mustExist(tx, 'organisationId', organisations, input.organisationId);
    await policy.assertCanManageOrganisation(tx, actor, input.organisationId);
    const [dup] = await tx
      .select({ id: commitmentSignatures.id })
      .from(commitmentSignatures)
      .where(and(eq(commitmentSignatures.commitmentId, c.id), eq(commitmentSignatures.organisationId, input.organisationId), isNull(commitmentSignatures.endedOn)))
      .limit(1);
    if (dup) throw new ConflictError('This organisation has already signed this commitment.', 'already_signed', 'organisationId');
    // An unclaimed commitment's text goes to its first signatory; signing never changes an owner.
    if (!c.ownerOrganisationId) await tx.update(commitments).set({ ownerOrganisationId: input.organisationId }).where(eq(commitments.id, c.id));
    const [row] = await tx
      .insert(commitmentSignatures)
      .values({ commitmentId: c.id, organisationId: input.organisationId, signedOn: input.signedOn ?? null, note: input.note ?? null })
      .returning();
    await recordAudit(tx, actor, { action: 'commitment.sign', entityType: 'commitment_signature', entityId: row!.id, organisationId: input.organisationId, summary: c.title, changes: { signedOn: input.signedOn ?? null } });
    await indexCommitmentDoc(tx, c.id);
    return row!;
  });
}

export async function endSignature(db: Database, actor: Actor, signatureId: string, endedOn: string | null | undefined) {
  return db.orm.transaction(async (tx) => {
    if (!isUuid(signatureId)) throw new NotFoundError('signature', signatureId);
    const [before] = await tx.select().from(commitmentSignatures).where(eq(commitmentSignatures.id, signatureId)).limit(1);
    if (!before) throw new NotFoundError('signature', signatureId);
    await policy.assertCanManageOrganisation(tx, actor, before.organisationId);
    if (before.endedOn) throw new ConflictError('This signature has already ended.', 'already_ended');
    const on = endedOn ?? today();
    if (endsBeforeStart(before.signedOn, on)) throw new ValidationError([{ field: 'endedOn', message: 'The end date is before the signing date' }]);
    const [row] = await tx.update(commitmentSignatures).set({ endedOn: on, updatedAt: new Date() }).where(eq(commitmentSignatures.id, signatureId)).returning();
    await recordAudit(tx, actor, { action: 'commitment.withdraw', entityType: 'commitment_signature', entityId: signatureId, organisationId: before.organisationId, changes: { endedOn: { from: null, to: on } } });
    await indexCommitmentDoc(tx, before.commitmentId);
    return row!;
  });
}

