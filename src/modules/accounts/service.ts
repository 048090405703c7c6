/**
 * The accounts module's use cases: users and sign-in, sessions, password resets, invitations,
 * organisation roles and API tokens; each write in one transaction with its audit row.
 * Why this file is long: the flows share the hashing, token and session helpers at its top, and
 * each use case is short; it is just over the limit.
 */
import { hash, verify } from '@node-rs/argon2';
import { and, asc, count, eq, gt, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { publicActorName, recordAudit, type Actor } from '../../platform/audit.js';
import { randomToken, sha256 } from '../../platform/crypto.js';
import { isUniqueViolation, type Database, type Executor } from '../../platform/db/index.js';
import { ConflictError, DomainError, ForbiddenError, InvalidTokenError, NotFoundError, UnauthenticatedError, ValidationError } from '../../platform/errors.js';
import { queueMail } from '../../platform/outbox.js';
import { isUuid } from '../../platform/text.js';
import { pageWindow, type Page, type PageRequest } from '../../platform/paging.js';
import type { Authentication, Authenticator } from '../../web/context.js';
import { directory } from '../directory/index.js';
import { apiTokens, invitations, orgRoles, passwordResets, sessions, users, ORG_ROLES, type OrgRole, type UserRow } from './schema.js';

// OWASP's recommended argon2id parameters (19 MiB, 2 passes).
// algorithm 2 is Argon2id in @node-rs/argon2's (const, so not importable here) Algorithm enum.
const ARGON = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export const hashPassword = (pw: string) => hash(pw, ARGON);
// Verified against when the email is unknown, so response time does not reveal which emails have accounts.
let dummyHash: Promise<string> | null = null;

export class InvalidCredentialsError extends DomainError {
  readonly code = 'invalid_credentials';
  readonly status = 401;
  constructor() {
    super('The email address or password is wrong.');
  }
}

export const Password = z.string().min(10, 'Use at least 10 characters').max(200);
export const Email = z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.string().email().max(200));
const DisplayName = z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string().min(1).max(200));

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw new ValidationError(r.error.issues.map((i) => ({ field: i.path.join('.') || '_', message: i.message })));
}

export type PublicUser = { id: string; email: string; displayName: string; isPlatformAdmin: boolean; disabled: boolean; createdAt: Date };
const publicUser = (u: UserRow): PublicUser => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  isPlatformAdmin: u.isPlatformAdmin,
  disabled: !!u.disabledAt,
  createdAt: u.createdAt,
});

async function findUserByEmail(db: Executor, email: string): Promise<UserRow | null> {
  const [u] = await db.select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`).limit(1);
  return u ?? null;
}

type RoleRow = { organisationId: string; role: OrgRole };

export async function loadActor(db: Executor, u: Pick<UserRow, 'id' | 'displayName' | 'email' | 'isPlatformAdmin'>): Promise<Actor> {
  const roles = await db.select({ organisationId: orgRoles.organisationId, role: orgRoles.role }).from(orgRoles).where(eq(orgRoles.userId, u.id));
  return actorOf(u, roles);
}

function actorOf(u: Pick<UserRow, 'id' | 'displayName' | 'email' | 'isPlatformAdmin'>, roles: RoleRow[]): Actor {
  return {
    userId: u.id,
    label: `${u.displayName} <${u.email}>`,
    isPlatformAdmin: u.isPlatformAdmin,
    orgRoles: new Map(roles.map((r) => [r.organisationId, r.role])),
  };
}

/**
 * The user's organisation roles as a column of the query that finds the user: every signed-in
 * request reads them, and one query instead of two is one round trip less per request.
 */
const rolesOf = (userId: typeof users.id) =>
  sql<RoleRow[]>`(SELECT coalesce(json_agg(json_build_object('organisationId', r.organisation_id, 'role', r.role)), '[]'::json) FROM org_roles r WHERE r.user_id = ${userId})`;

function authFor(u: UserRow, roles: RoleRow[], via: 'session' | 'token', sessionId?: string): Authentication {
  return {
    user: { id: u.id, email: u.email, displayName: u.displayName, isPlatformAdmin: u.isPlatformAdmin },
    actor: actorOf(u, roles),
    via,
    ...(sessionId ? { sessionId } : {}),
  };
}

export function authenticator(db: Database, _config: Config): Authenticator {
  return {
    async bySession(token) {
      if (token.length < 20 || token.length > 100) return null;
      const id = sha256(token);
      const [row] = await db.orm
        .select({ user: users, roles: rolesOf(users.id) })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.id, id), gt(sessions.expiresAt, new Date()), isNull(users.disabledAt)))
        .limit(1);
      return row ? authFor(row.user, row.roles, 'session', id) : null;
    },
    async byApiToken(token) {
      if (!token.startsWith('svk_') || token.length > 100) return null;
      const [row] = await db.orm
        .select({ user: users, tokenId: apiTokens.id, roles: rolesOf(users.id) })
        .from(apiTokens)
        .innerJoin(users, eq(users.id, apiTokens.userId))
        .where(and(eq(apiTokens.tokenHash, sha256(token)), isNull(apiTokens.revokedAt), isNull(users.disabledAt)))
        .limit(1);
      if (!row) return null;
      await db.orm.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.tokenId));
      return authFor(row.user, row.roles, 'token');
    },
  };
}

const NewAccount = z.object({ email: Email, displayName: DisplayName, password: Password });

/**
 * What createUser refuses before it looks at the database: a bad email address, name or password.
 * The command line asks it first, so that a short password is refused before the database opens.
 */
export function checkNewAccount(raw: { email: unknown; displayName: unknown; password: unknown }): z.infer<typeof NewAccount> {
  return parse(NewAccount, raw);
}

export async function createUser(
  db: Database,
  actor: Actor,
  raw: { email: unknown; displayName: unknown; password: unknown; isPlatformAdmin?: boolean },
): Promise<PublicUser> {
  const input = checkNewAccount(raw);
  if (!actor.isPlatformAdmin) throw new ForbiddenError('Only platform administrators can create accounts directly.');
  const passwordHash = await hashPassword(input.password);
  return db.orm.transaction(async (tx) => {
    if (await findUserByEmail(tx, input.email)) throw new ConflictError('An account with this email address already exists.', 'email_taken', 'email');
    const [u] = await tx
      .insert(users)
      .values({ email: input.email, displayName: input.displayName, passwordHash, isPlatformAdmin: !!raw.isPlatformAdmin })
      .returning();
    await recordAudit(tx, actor, { action: raw.isPlatformAdmin ? 'user.create_admin' : 'user.create', entityType: 'user', entityId: u!.id, summary: input.email });
    return publicUser(u!);
  });
}

/**
 * A new session, for a browser that may have held one: `replacing` is the session token it sent,
 * whose session ends here, so signing in as someone else leaves no earlier session open behind the new cookie.
 */
async function startSession(tx: Executor, config: Config, userId: string, userAgent?: string, replacing?: string) {
  if (replacing) await tx.delete(sessions).where(eq(sessions.id, sha256(replacing)));
  const token = randomToken(32);
  await tx.insert(sessions).values({
    id: sha256(token),
    userId,
    expiresAt: new Date(Date.now() + config.sessionTtlHours * 3600_000),
    userAgent: userAgent?.slice(0, 300) ?? null,
  });
  return token;
}

export async function signIn(db: Database, config: Config, raw: { email: unknown; password: unknown }, userAgent?: string, replacing?: string) {
  const email = Email.safeParse(raw.email);
  const password = typeof raw.password === 'string' ? raw.password.slice(0, 200) : '';
  const user = email.success ? await findUserByEmail(db.orm, email.data) : null;
  if (!user || user.disabledAt) {
    dummyHash ??= hashPassword(randomToken(16));
    await verify(await dummyHash, password || 'x');
    throw new InvalidCredentialsError();
  }
  if (!password || !(await verify(user.passwordHash, password))) throw new InvalidCredentialsError();
  return db.orm.transaction(async (tx) => {
    const token = await startSession(tx, config, user.id, userAgent, replacing);
    const actor = await loadActor(tx, user);
    await recordAudit(tx, actor, { action: 'user.sign_in', entityType: 'user', entityId: user.id });
    return { token, user: publicUser(user) };
  });
}

export async function signOut(db: Database, sessionId: string) {
  await db.orm.delete(sessions).where(eq(sessions.id, sessionId));
}

const RESET_TTL_MS = 60 * 60 * 1000;
/** Reset links open at once for one account (each lasts RESET_TTL_MS): three mails an hour at most. */
const OPEN_RESET_LINKS = 3;
const INVITE_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** Always behaves the same whether or not the address has an account. */
export async function requestPasswordReset(db: Database, config: Config, rawEmail: unknown): Promise<void> {
  const email = parse(Email, rawEmail);
  const user = await findUserByEmail(db.orm, email);
  if (!user || user.disabledAt) return;
  const token = randomToken(32);
  const link = `${config.publicUrl}/reset-password/${token}`;
  await db.orm.transaction(async (tx) => {
    // At most a few open links per account: the form's rate limit counts per address, and someone
    // asking again and again from many addresses would otherwise fill the person's inbox. The answer
    // stays the same, so it tells nothing about the account. (The row lock keeps two requests at once
    // from both counting under the limit.)
    await tx.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for('update');
    const [open] = await tx.select({ n: count() }).from(passwordResets).where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, new Date())));
    if ((open?.n ?? 0) >= OPEN_RESET_LINKS) return;
    await tx.insert(passwordResets).values({ tokenHash: sha256(token), userId: user.id, expiresAt: new Date(Date.now() + RESET_TTL_MS) });
    await recordAudit(tx, await loadActor(tx, user), { action: 'user.password_reset_requested', entityType: 'user', entityId: user.id });
    await queueMail(tx, {
      to: user.email,
      subject: 'Samverka: reset your password',
      text: `Someone asked to reset the password of your Samverka account.\n\nOpen this link within an hour to choose a new password:\n${link}\n\nIf it was not you, ignore this message: nothing changes.`,
    });
  });
}

export async function checkResetToken(db: Database, token: string): Promise<void> {
  const [r] = await db.orm.select().from(passwordResets).where(eq(passwordResets.tokenHash, sha256(token))).limit(1);
  if (!r || r.usedAt || r.expiresAt < new Date()) throw new InvalidTokenError();
}

export async function resetPassword(db: Database, token: string, rawPassword: unknown): Promise<void> {
  const password = parse(z.object({ password: Password }), { password: rawPassword }).password;
  const passwordHash = await hashPassword(password);
  await db.orm.transaction(async (tx) => {
    const [r] = await tx.select().from(passwordResets).where(eq(passwordResets.tokenHash, sha256(token))).limit(1);
    if (!r || r.usedAt || r.expiresAt < new Date()) throw new InvalidTokenError();
    const [u] = await tx.select().from(users).where(eq(users.id, r.userId)).limit(1);
    if (!u || u.disabledAt) throw new InvalidTokenError();
    // Only an unused link is spent: of two requests with the same link at once, the second finds none.
    const spent = await tx.update(passwordResets).set({ usedAt: new Date() }).where(and(eq(passwordResets.tokenHash, r.tokenHash), isNull(passwordResets.usedAt))).returning({ tokenHash: passwordResets.tokenHash });
    if (spent.length === 0) throw new InvalidTokenError();
    // Any other link still open for the account ends too: the password it would reset has just been chosen.
    await tx.update(passwordResets).set({ usedAt: new Date() }).where(and(eq(passwordResets.userId, u.id), isNull(passwordResets.usedAt)));
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, u.id));
    // A reset usually means the old password leaked: end every existing session.
    await tx.delete(sessions).where(eq(sessions.userId, u.id));
    await recordAudit(tx, await loadActor(tx, u), { action: 'user.password_reset', entityType: 'user', entityId: u.id });
  });
}

export async function changePassword(db: Database, actor: Actor, raw: { current: unknown; password: unknown }, keepSessionId: string | null) {
  if (!actor.userId) throw new UnauthenticatedError();
  const input = parse(z.object({ current: z.string().min(1).max(200), password: Password }), raw);
  const [u] = await db.orm.select().from(users).where(eq(users.id, actor.userId)).limit(1);
  if (!u) throw new UnauthenticatedError();
  if (!(await verify(u.passwordHash, input.current))) throw new ValidationError([{ field: 'current', message: 'The current password is wrong' }]);
  const passwordHash = await hashPassword(input.password);
  await db.orm.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, u.id));
    await tx.delete(sessions).where(and(eq(sessions.userId, u.id), keepSessionId ? sql`${sessions.id} <> ${keepSessionId}` : undefined));
    await recordAudit(tx, actor, { action: 'user.password_change', entityType: 'user', entityId: u.id });
  });
}

// ---------------------------------------------------------------------------
// Invitations

export const InvitationInput = z
  .object({
    email: Email,
    organisationId: z.preprocess((v) => (v === '' ? null : v), z.string().uuid().nullable().optional()),
    role: z.preprocess((v) => (v === '' ? null : v), z.enum(ORG_ROLES).nullable().optional()),
  })
  .superRefine((v, ctx) => {
    if (!!v.organisationId !== !!v.role) ctx.addIssue({ code: 'custom', path: ['role'], message: 'Choose both an organisation and a role, or neither' });
  });

export async function createInvitation(db: Database, config: Config, actor: Actor, raw: unknown) {
  if (!actor.userId) throw new UnauthenticatedError();
  const input = parse(InvitationInput, raw);
  if (input.organisationId) {
    await directory.getOrganisation(db.orm, input.organisationId).catch(() => {
      throw new ValidationError([{ field: 'organisationId', message: 'No such organisation' }]);
    });
    if (!(await directory.isAdminOf(db.orm, actor, input.organisationId))) throw new ForbiddenError('Only the organisation’s admins can invite people to it.');
  } else if (!actor.isPlatformAdmin) {
    throw new ForbiddenError('Only platform administrators can invite people without an organisation.');
  }
  const token = randomToken(32);
  const link = `${config.publicUrl}/invitations/${token}`;
  const row = await db.orm.transaction(async (tx) => {
    const [inv] = await tx
      .insert(invitations)
      .values({
        tokenHash: sha256(token),
        email: input.email,
        invitedBy: actor.userId!,
        organisationId: input.organisationId ?? null,
        orgRole: input.role ?? null,
        expiresAt: new Date(Date.now() + INVITE_TTL_MS),
      })
      .returning();
    await recordAudit(tx, actor, {
      action: 'invitation.create',
      entityType: 'invitation',
      entityId: inv!.id,
      organisationId: input.organisationId ?? null,
      summary: `${input.email}${input.role ? ` as ${input.role}` : ''}`,
    });
    await queueMail(tx, {
      to: input.email,
      subject: 'You are invited to Samverka',
      text: `${publicActorName(actor)} has invited you to Samverka.\n\nOpen this link within 14 days to create your account:\n${link}`,
    });
    return inv!;
  });
  return { id: row.id, email: row.email, expiresAt: row.expiresAt, link };
}

async function openInvitation(db: Executor, token: string) {
  const [inv] = await db.select().from(invitations).where(eq(invitations.tokenHash, sha256(token))).limit(1);
  if (!inv || inv.acceptedAt || inv.expiresAt < new Date()) throw new InvalidTokenError();
  return inv;
}

export async function getInvitation(db: Database, token: string) {
  const inv = await openInvitation(db.orm, token);
  const org = inv.organisationId ? await directory.getOrganisation(db.orm, inv.organisationId) : null;
  return { email: inv.email, role: inv.orgRole, organisation: org ? { id: org.id, name: org.name } : null };
}

export async function acceptInvitation(db: Database, config: Config, token: string, raw: { displayName: unknown; password: unknown }, userAgent?: string, replacing?: string) {
  const input = parse(z.object({ displayName: DisplayName, password: Password }), raw);
  const passwordHash = await hashPassword(input.password);
  return db.orm.transaction(async (tx) => {
    const inv = await openInvitation(tx, token);
    // Only an unused invitation is spent, before the account is made: of two requests with the same
    // link at once, the second waits here for the first and finds it used, instead of meeting the
    // first's account on the unique email index (a server error).
    const spent = await tx.update(invitations).set({ acceptedAt: new Date() }).where(and(eq(invitations.id, inv.id), isNull(invitations.acceptedAt))).returning({ id: invitations.id });
    if (spent.length === 0) throw new InvalidTokenError();
    const taken = () => new ConflictError('An account with this email address already exists. Sign in instead.', 'email_taken', 'email');
    if (await findUserByEmail(tx, inv.email)) throw taken();
    // Two invitations to one address accepted at the same moment both pass the check above; the
    // unique index stops the second, which is the same conflict, not a server error.
    const [user] = await tx
      .insert(users)
      .values({ email: inv.email, displayName: input.displayName, passwordHash })
      .returning()
      .catch((err: unknown) => {
        throw isUniqueViolation(err) ? taken() : err;
      });
    const actor = await loadActor(tx, user!);
    if (inv.organisationId && inv.orgRole) {
      await tx.insert(orgRoles).values({ userId: user!.id, organisationId: inv.organisationId, role: inv.orgRole }).onConflictDoNothing();
      await recordAudit(tx, actor, { action: 'org_role.grant', entityType: 'org_role', entityId: `${user!.id}:${inv.organisationId}`, organisationId: inv.organisationId, summary: `${inv.email} as ${inv.orgRole} (invitation)` });
    }
    await tx.update(invitations).set({ acceptedUserId: user!.id }).where(eq(invitations.id, inv.id));
    await recordAudit(tx, actor, { action: 'invitation.accept', entityType: 'invitation', entityId: inv.id, organisationId: inv.organisationId, summary: inv.email });
    const sessionToken = await startSession(tx, config, user!.id, userAgent, replacing);
    return { token: sessionToken, user: publicUser(user!) };
  });
}

// ---------------------------------------------------------------------------
// Organisation roles

export const RoleGrantInput = z.object({ email: Email, role: z.enum(ORG_ROLES) });

export async function listOrgRoles(db: Executor, organisationId: string) {
  return db
    .select({ userId: users.id, email: users.email, displayName: users.displayName, role: orgRoles.role, grantedAt: orgRoles.grantedAt })
    .from(orgRoles)
    .innerJoin(users, eq(users.id, orgRoles.userId))
    .where(eq(orgRoles.organisationId, organisationId))
    .orderBy(asc(users.displayName));
}

export type OrgRoleEntry = Awaited<ReturnType<typeof listOrgRoles>>[number];

/** One page of who holds which role in an organisation, by name: for the organisation's admins (or those above it) only. */
export async function pageOrgRoles(db: Executor, actor: Actor, organisationRef: string, q: PageRequest = {}): Promise<Page<OrgRoleEntry>> {
  if (!actor.userId && !actor.isPlatformAdmin) throw new UnauthenticatedError();
  const org = await directory.getOrganisation(db, organisationRef);
  if (!(await directory.isAdminOf(db, actor, org.id))) throw new ForbiddenError();
  const w = pageWindow(q);
  const where = eq(orgRoles.organisationId, org.id);
  const items = await db
    .select({ userId: users.id, email: users.email, displayName: users.displayName, role: orgRoles.role, grantedAt: orgRoles.grantedAt })
    .from(orgRoles)
    .innerJoin(users, eq(users.id, orgRoles.userId))
    .where(where)
    .orderBy(asc(users.displayName), asc(users.id))
    .limit(w.pageSize)
    .offset(w.offset);
  const [{ total }] = (await db.select({ total: count() }).from(orgRoles).where(where)) as [{ total: number }];
  return { items, page: w.page, pageSize: w.pageSize, total };
}

export async function grantOrgRole(db: Database, actor: Actor, organisationRef: string, raw: unknown) {
  const input = parse(RoleGrantInput, raw);
  return db.orm.transaction(async (tx) => {
    const org = await directory.getOrganisation(tx, organisationRef);
    if (!actor.userId && !actor.isPlatformAdmin) throw new UnauthenticatedError();
    if (!(await directory.isAdminOf(tx, actor, org.id))) throw new ForbiddenError('Only the organisation’s admins can change who has roles in it.');
    const user = await findUserByEmail(tx, input.email);
    if (!user) throw new ValidationError([{ field: 'email', message: 'No account has this email address. Invite the person first.' }]);
    await tx
      .insert(orgRoles)
      .values({ userId: user.id, organisationId: org.id, role: input.role })
      .onConflictDoUpdate({ target: [orgRoles.userId, orgRoles.organisationId], set: { role: input.role, grantedAt: new Date() } });
    await recordAudit(tx, actor, { action: 'org_role.grant', entityType: 'org_role', entityId: `${user.id}:${org.id}`, organisationId: org.id, summary: `${user.email} as ${input.role}` });
    return { userId: user.id, organisationId: org.id, role: input.role };
  });
}

export async function revokeOrgRole(db: Database, actor: Actor, organisationRef: string, userId: string) {
  return db.orm.transaction(async (tx) => {
    const org = await directory.getOrganisation(tx, organisationRef);
    if (!actor.userId && !actor.isPlatformAdmin) throw new UnauthenticatedError();
    if (!(await directory.isAdminOf(tx, actor, org.id))) throw new ForbiddenError('Only the organisation’s admins can change who has roles in it.');
    if (!isUuid(userId)) throw new NotFoundError('role', userId);
    const deleted = await tx.delete(orgRoles).where(and(eq(orgRoles.userId, userId), eq(orgRoles.organisationId, org.id))).returning();
    if (deleted.length === 0) throw new NotFoundError('role', userId);
    await recordAudit(tx, actor, { action: 'org_role.revoke', entityType: 'org_role', entityId: `${userId}:${org.id}`, organisationId: org.id, summary: deleted[0]!.role });
  });
}

// ---------------------------------------------------------------------------
// API tokens

export async function createApiToken(db: Database, actor: Actor, raw: unknown) {
  if (!actor.userId) throw new UnauthenticatedError();
  const { name } = parse(z.object({ name: DisplayName.pipe(z.string().max(100)) }), raw);
  const token = `svk_${randomToken(32)}`;
  return db.orm.transaction(async (tx) => {
    const [row] = await tx.insert(apiTokens).values({ userId: actor.userId!, name, tokenHash: sha256(token), prefix: token.slice(0, 10) }).returning();
    await recordAudit(tx, actor, { action: 'api_token.create', entityType: 'api_token', entityId: row!.id, summary: name });
    // The plain token is shown once and never stored.
    return { id: row!.id, name, prefix: row!.prefix, createdAt: row!.createdAt, token };
  });
}

export async function listApiTokens(db: Executor, userId: string) {
  return db
    .select({ id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt, revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(asc(apiTokens.createdAt));
}

/** One page of the actor's own API tokens, oldest first (never the secret part). */
export async function pageApiTokens(db: Executor, actor: Actor, q: PageRequest = {}) {
  if (!actor.userId) throw new UnauthenticatedError();
  const w = pageWindow(q);
  const where = eq(apiTokens.userId, actor.userId);
  const items = await db
    .select({ id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt, revokedAt: apiTokens.revokedAt })
    .from(apiTokens)
    .where(where)
    .orderBy(asc(apiTokens.createdAt), asc(apiTokens.id))
    .limit(w.pageSize)
    .offset(w.offset);
  const [{ total }] = (await db.select({ total: count() }).from(apiTokens).where(where)) as [{ total: number }];
  return { items, page: w.page, pageSize: w.pageSize, total };
}

export async function revokeApiToken(db: Database, actor: Actor, id: string) {
  if (!actor.userId) throw new UnauthenticatedError();
  if (!isUuid(id)) throw new NotFoundError('api token', id);
  await db.orm.transaction(async (tx) => {
    const [row] = await tx.select().from(apiTokens).where(eq(apiTokens.id, id)).limit(1);
    // Someone else's token is reported as missing, not forbidden, so ids cannot be probed.
    if (!row || (row.userId !== actor.userId && !actor.isPlatformAdmin)) throw new NotFoundError('api token', id);
    if (row.revokedAt) throw new ConflictError('This token is already revoked.', 'already_revoked');
    await tx.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, id));
    await recordAudit(tx, actor, { action: 'api_token.revoke', entityType: 'api_token', entityId: id, summary: row.name });
  });
}

export async function listUsers(db: Executor, actor: Actor) {
  if (!actor.isPlatformAdmin) throw new ForbiddenError();
  return (await db.select().from(users).orderBy(asc(users.displayName))).map(publicUser);
}

/** One page of the accounts, by name, with the count of all (for the JSON API's list contract). */
export async function listUsersPage(db: Executor, actor: Actor, q: { page: number; pageSize: number }) {
  if (!actor.isPlatformAdmin) throw new ForbiddenError();
  const rows = await db.select().from(users).orderBy(asc(users.displayName), asc(users.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize);
  const [{ total }] = (await db.select({ total: count() }).from(users)) as [{ total: number }];
  return { items: rows.map(publicUser), total };
}

export async function listRolesOfUser(db: Executor, userId: string) {
  return db.select({ organisationId: orgRoles.organisationId, role: orgRoles.role }).from(orgRoles).where(eq(orgRoles.userId, userId));
}

export type { OrgRole };
