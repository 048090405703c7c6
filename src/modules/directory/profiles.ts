/** Profiles: what the organisation, person and commitment pages show, and the pickers forms offer. */
import { asc, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { readAll, type Executor } from '../../platform/db/index.js';
import {
  commitments,
  commitmentSignatures,
  memberships,
  organisations,
  people,
  type AreaRow,
  type CommitmentRow,
  type MembershipRow,
  type OrganisationRow,
  type PersonRow,
} from './schema.js';
import { getAreaById, getCommitment, getOrganisation, getPerson } from './reads.js';
import { isCurrent, periodStart, today } from './inputs.js';

export type MemberEntry = {
  membership: MembershipRow;
  person: Pick<PersonRow, 'id' | 'slug' | 'name' | 'title'> | null;
  memberOrganisation: Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'> | null;
  organisation: Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'>;
  onBehalfOf: Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'> | null;
  current: boolean;
};

export const orgCols = { id: organisations.id, slug: organisations.slug, name: organisations.name, kind: organisations.kind };

/** The order an organisation's page lists its members in: the chair first, plain members last. */
const roleOrder = sql`CASE ${memberships.role} WHEN 'chair' THEN 0 WHEN 'vice_chair' THEN 1 WHEN 'coordinator' THEN 2 WHEN 'project_leader' THEN 3 WHEN 'board_member' THEN 4 ELSE 5 END`;

export async function membershipEntries(db: Executor, where: SQL, window?: { limit: number; offset: number }): Promise<MemberEntry[]> {
  const memberOrg = alias(organisations, 'member_org');
  const behalf = alias(organisations, 'behalf_org');
  const org = alias(organisations, 'org');
  const query = db
    .select({
      membership: memberships,
      person: { id: people.id, slug: people.slug, name: people.name, title: people.title },
      memberOrganisation: { id: memberOrg.id, slug: memberOrg.slug, name: memberOrg.name, kind: memberOrg.kind },
      organisation: { id: org.id, slug: org.slug, name: org.name, kind: org.kind },
      onBehalfOf: { id: behalf.id, slug: behalf.slug, name: behalf.name, kind: behalf.kind },
    })
    .from(memberships)
    .innerJoin(org, eq(org.id, memberships.organisationId))
    .leftJoin(people, eq(people.id, memberships.personId))
    .leftJoin(memberOrg, eq(memberOrg.id, memberships.memberOrganisationId))
    .leftJoin(behalf, eq(behalf.id, memberships.onBehalfOfId))
    .where(where)
    .orderBy(
      roleOrder,
      desc(memberships.startDate),
      asc(memberships.createdAt),
      asc(memberships.id),
    );
  const rows = window ? await query.limit(window.limit).offset(window.offset) : await query;
  const on = today();
  return rows.map((r) => ({
    membership: r.membership,
    person: r.person?.id ? r.person : null,
    memberOrganisation: r.memberOrganisation?.id ? r.memberOrganisation : null,
    organisation: r.organisation,
    // Unconfirmed "on behalf of" speaks for nobody yet.
    onBehalfOf: r.onBehalfOf?.id && !r.membership.onBehalfPending ? r.onBehalfOf : null,
    current: isCurrent(r.membership.endDate, on) && (!r.membership.startDate || periodStart(r.membership.startDate) <= on),
  }));
}

export type MemberArea = {
  networkId: string;
  networkName: string;
  organisation: Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'>;
  area: Pick<AreaRow, 'id' | 'key'>;
};

type MemberRow = { network_id: string; network_name: string; id: string; slug: string; name: string; kind: OrganisationRow['kind']; area_id: string | null; area_key: string | null };

/**
 * The current member organisations of the given networks, each once per network, in the order the
 * network's page lists them, with their area when they govern one; one query. "Current" is
 * `membershipEntries`'s: begun by `on` and not ended before it, each partial date taken at its widest.
 */
async function currentMembers(db: Executor, networkIds: string[], on: string): Promise<MemberRow[]> {
  if (!networkIds.length) return [];
  const rows = (
    await db.execute(sql`
      SELECT n.id AS network_id, n.name AS network_name, o.id, o.slug, o.name, o.kind, a.id AS area_id, a.key AS area_key
        FROM ${memberships}
        JOIN organisations n ON n.id = ${memberships.organisationId}
        JOIN organisations o ON o.id = ${memberships.memberOrganisationId}
        LEFT JOIN areas a ON a.id = o.area_id
       WHERE ${memberships.organisationId} = ANY(${`{${networkIds.join(',')}}`}::uuid[])
         AND (${memberships.endDate} IS NULL OR ${memberships.endDate} >= left(${on}, length(${memberships.endDate})))
         AND (${memberships.startDate} IS NULL OR ${memberships.startDate} <= left(${on}, length(${memberships.startDate})))
       ORDER BY n.id, ${roleOrder}, ${memberships.startDate} DESC, ${memberships.createdAt}, ${memberships.id}`)
  ).rows as MemberRow[];
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(`${r.network_id}/${r.id}`) && !!seen.add(`${r.network_id}/${r.id}`));
}

/** The current member organisations of the networks that govern an area (currentMembers), for the progress figures that follow a network's members. */
export async function currentMemberAreas(db: Executor, networkIds: string[], on = today()): Promise<MemberArea[]> {
  return (await currentMembers(db, networkIds, on))
    .filter((r) => r.area_id && r.area_key)
    .map((r) => ({ networkId: r.network_id, networkName: r.network_name, organisation: { id: r.id, slug: r.slug, name: r.name, kind: r.kind }, area: { id: r.area_id!, key: r.area_key! } }));
}

/** The ids of a network's current member organisations, whatever their kind (currentMembers). */
export async function currentMemberIds(db: Executor, networkId: string, on = today()): Promise<string[]> {
  return (await currentMembers(db, [networkId], on)).map((r) => r.id);
}

export type SignatureEntry = {
  signature: typeof commitmentSignatures.$inferSelect;
  commitment: Pick<CommitmentRow, 'id' | 'slug' | 'title' | 'datedOn' | 'url' | 'lang'>;
  organisation: Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'>;
  current: boolean;
};

async function signatureEntries(db: Executor, where: SQL): Promise<SignatureEntry[]> {
  const rows = await db
    .select({
      signature: commitmentSignatures,
      commitment: { id: commitments.id, slug: commitments.slug, title: commitments.title, datedOn: commitments.datedOn, url: commitments.url, lang: commitments.lang },
      organisation: orgCols,
    })
    .from(commitmentSignatures)
    .innerJoin(commitments, eq(commitments.id, commitmentSignatures.commitmentId))
    .innerJoin(organisations, eq(organisations.id, commitmentSignatures.organisationId))
    .where(where)
    .orderBy(asc(commitmentSignatures.signedOn), asc(organisations.searchName));
  return rows.map((r) => ({ ...r, current: isCurrent(r.signature.endedOn) }));
}

export type OrganisationProfile = {
  organisation: OrganisationRow;
  area: AreaRow | null;
  parent: Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'> | null;
  ancestors: Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'>[];
  children: OrganisationRow[];
  /** People and organisations that are members of this organisation. */
  members: MemberEntry[];
  /** This organisation's own memberships in networks and other bodies. */
  membershipsElsewhere: MemberEntry[];
  /** People who hold roles elsewhere on behalf of this organisation. */
  representatives: MemberEntry[];
  commitments: SignatureEntry[];
};

/** The organisation's ancestors, the farthest first, in one query (ancestorIds and the rows). */
async function ancestorRows(db: Executor, orgId: string): Promise<Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'>[]> {
  const res = await db.execute(sql`
    WITH RECURSIVE up(id, parent_id, depth) AS (
      SELECT id, parent_id, 0 FROM organisations WHERE id = ${orgId}
      UNION ALL
      SELECT o.id, o.parent_id, up.depth + 1 FROM organisations o JOIN up ON o.id = up.parent_id WHERE up.depth < 50
    )
    SELECT o.id, o.slug, o.name, o.kind FROM up JOIN organisations o ON o.id = up.id WHERE up.depth > 0 ORDER BY up.depth DESC`);
  return res.rows as Pick<OrganisationRow, 'id' | 'slug' | 'name' | 'kind'>[];
}

export async function organisationProfile(db: Executor, ref: string): Promise<OrganisationProfile> {
  const organisation = await getOrganisation(db, ref);
  const id = organisation.id;
  // One query for the three kinds of membership the page lists (they were three, each with four
  // joins), split here by the same conditions; the order is the query's, as before.
  const [area, ancestors, children, entries, sigs] = await readAll(db, [
    () => organisation.areaId ? getAreaById(db, organisation.areaId) : Promise.resolve(null),
    () => ancestorRows(db, id),
    () => db.select().from(organisations).where(eq(organisations.parentId, id)).orderBy(asc(organisations.searchName)),
    () => membershipEntries(db, or(eq(memberships.organisationId, id), eq(memberships.memberOrganisationId, id), eq(memberships.onBehalfOfId, id))!),
    () => signatureEntries(db, eq(commitmentSignatures.organisationId, id)),
  ]);
  const members = entries.filter((e) => e.membership.organisationId === id);
  const elsewhere = entries.filter((e) => e.membership.memberOrganisationId === id);
  // Awaiting the organisation's confirmation: not among its representatives yet.
  const reps = entries.filter((e) => e.membership.onBehalfOfId === id && !e.membership.onBehalfPending && e.membership.personId !== null);
  return {
    organisation,
    area,
    parent: ancestors.length ? ancestors[ancestors.length - 1]! : null,
    ancestors,
    children,
    members,
    membershipsElsewhere: elsewhere,
    representatives: reps,
    commitments: sigs,
  };
}

export async function personProfile(db: Executor, ref: string) {
  const person = await getPerson(db, ref);
  const roles = await membershipEntries(db, eq(memberships.personId, person.id));
  return { person, roles };
}

export async function commitmentProfile(db: Executor, ref: string) {
  const commitment = await getCommitment(db, ref);
  const signatories = await signatureEntries(db, eq(commitmentSignatures.commitmentId, commitment.id));
  return { commitment, signatories };
}

/** Every organisation, for pickers in forms. Small enough for a network directory. */
export async function organisationOptions(db: Executor) {
  return db.select(orgCols).from(organisations).where(isNull(organisations.endedOn)).orderBy(asc(organisations.searchName));
}

export async function personOptions(db: Executor) {
  return db.select({ id: people.id, name: people.name, title: people.title }).from(people).where(isNull(people.endedOn)).orderBy(asc(people.searchName));
}

