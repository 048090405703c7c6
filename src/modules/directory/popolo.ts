import { asc } from 'drizzle-orm';
import { z } from 'zod';
import { readAll, type Executor } from '../../platform/db/index.js';
import { areas, memberships, organisations, people } from './schema.js';
import { isCurrent } from './inputs.js';

/*
 * Popolo (https://www.popoloproject.com/specs/) export of the directory.
 * Field names follow the Popolo JSON schemas (snake_case). Posts are derived:
 * one per organisation and role held there, since our memberships carry roles
 * directly rather than pointing at pre-declared seats.
 */

const Link = z.object({ url: z.string(), note: z.string().optional() });
const Identifier = z.object({ identifier: z.string(), scheme: z.string() });
const Ref = z.object({ '@type': z.enum(['Person', 'Organization']), id: z.string() });

export const PopoloDocument = z.object({
  persons: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      email: z.string().optional(),
      contact_details: z.array(z.object({ type: z.string(), value: z.string() })).optional(),
      summary: z.string().optional(),
      links: z.array(Link),
      death_date: z.string().optional(),
    }),
  ),
  organizations: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      other_names: z.array(z.object({ name: z.string(), note: z.string().optional() })).optional(),
      identifiers: z.array(Identifier),
      classification: z.string(),
      parent_id: z.string().optional(),
      area_id: z.string().optional(),
      founding_date: z.string().optional(),
      dissolution_date: z.string().optional(),
      links: z.array(Link),
    }),
  ),
  memberships: z.array(
    z.object({
      id: z.string(),
      label: z.string().optional(),
      role: z.string(),
      member: Ref,
      person_id: z.string().optional(),
      organization_id: z.string(),
      post_id: z.string().optional(),
      on_behalf_of_id: z.string().optional(),
      start_date: z.string().optional(),
      end_date: z.string().optional(),
    }),
  ),
  posts: z.array(z.object({ id: z.string(), label: z.string(), role: z.string(), organization_id: z.string() })),
  areas: z.array(z.object({ id: z.string(), identifier: z.string(), classification: z.string(), name: z.string(), parent_id: z.string().optional() })),
});
export type PopoloDocument = z.infer<typeof PopoloDocument>;

// Roles that describe a seat (a post) rather than plain membership.
const SEAT_ROLES = new Set(['chair', 'vice_chair', 'board_member', 'coordinator', 'project_leader', 'secretary', 'representative']);
const ROLE_EN: Record<string, string> = {
  chair: 'Chair', vice_chair: 'Vice chair', board_member: 'Board member', member: 'Member', representative: 'Representative',
  coordinator: 'Coordinator', project_leader: 'Project leader', secretary: 'Secretary', advisor: 'Advisor', partner: 'Partner',
};

const opt = <T>(v: T | null | undefined) => (v == null || v === '' ? undefined : v);

export async function popoloExport(db: Executor, baseUrl: string): Promise<PopoloDocument> {
  const [ppl, orgs, mems, ars] = await readAll(db, [
    () => db.select().from(people).orderBy(asc(people.slug)),
    () => db.select().from(organisations).orderBy(asc(organisations.slug)),
    () => db.select().from(memberships).orderBy(asc(memberships.createdAt)),
    () => db.select().from(areas).orderBy(asc(areas.key)),
  ]);
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  const posts = new Map<string, { id: string; label: string; role: string; organization_id: string }>();
  for (const m of mems) {
    if (!SEAT_ROLES.has(m.role)) continue;
    const id = `post-${m.organisationId}-${m.role}`;
    if (!posts.has(id)) posts.set(id, { id, label: `${ROLE_EN[m.role]}, ${orgName.get(m.organisationId) ?? ''}`, role: ROLE_EN[m.role]!, organization_id: m.organisationId });
  }
  return {
    persons: ppl.map((p) => {
      const contact = [
        ...(p.phone ? [{ type: 'voice', value: p.phone }] : []),
      ];
      return {
        id: p.id,
        name: p.name,
        email: opt(p.email),
        ...(contact.length ? { contact_details: contact } : {}),
        summary: opt(p.title),
        links: [{ url: `${baseUrl}/people/${p.slug}`, note: 'Samverka' }],
      };
    }),
    organizations: orgs.map((o) => ({
      id: o.id,
      name: o.name,
      ...(o.shortName ? { other_names: [{ name: o.shortName, note: 'short name' }] } : {}),
      identifiers: [{ identifier: o.slug, scheme: 'samverka-slug' }],
      classification: o.kind,
      parent_id: opt(o.parentId),
      area_id: opt(o.areaId),
      founding_date: opt(o.foundedOn),
      dissolution_date: opt(o.endedOn),
      links: [{ url: `${baseUrl}/organisations/${o.slug}`, note: 'Samverka' }, ...(o.website ? [{ url: o.website, note: 'website' }] : [])],
    })),
    memberships: mems.map((m) => ({
      id: m.id,
      label: opt(m.label),
      role: ROLE_EN[m.role]!,
      member: m.personId ? { '@type': 'Person' as const, id: m.personId } : { '@type': 'Organization' as const, id: m.memberOrganisationId! },
      person_id: opt(m.personId),
      organization_id: m.organisationId,
      post_id: SEAT_ROLES.has(m.role) ? `post-${m.organisationId}-${m.role}` : undefined,
      on_behalf_of_id: opt(m.onBehalfPending ? null : m.onBehalfOfId),
      start_date: opt(m.startDate),
      end_date: opt(m.endDate ?? (isCurrent(m.endDate) ? null : m.endDate)),
    })),
    posts: [...posts.values()],
    areas: ars.map((a) => ({ id: a.id, identifier: a.key, classification: a.level, name: a.name, parent_id: opt(a.parentId) })),
  };
}
