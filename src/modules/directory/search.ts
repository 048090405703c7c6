import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../platform/db/index.js';
import { indexSearchDoc, type SearchDoc, type SearchDocSource } from '../../platform/search-index.js';
import { commitments, commitmentSignatures, memberships, organisations, people } from './schema.js';

/*
 * The directory's documents in the one search index. The directory is public, so
 * everything is indexed unrestricted, ended records too (their pages show them as past).
 * The service calls these at the end of each write's transaction.
 */

const yearOf = (d: string | null) => (d && /^\d{4}/.test(d) ? Number(d.slice(0, 4)) : null);

async function organisationDoc(tx: Executor, id: string): Promise<SearchDoc | null> {
  const [o] = await tx.select().from(organisations).where(eq(organisations.id, id)).limit(1);
  if (!o) return null;
  return {
    type: 'organisation',
    id: o.id,
    title: o.shortName ? `${o.name} (${o.shortName})` : o.name,
    body: o.description,
    lang: o.lang,
    url: `/organisations/${o.slug}`,
    organisationIds: [o.id, ...(o.parentId ? [o.parentId] : [])],
    year: yearOf(o.foundedOn),
  };
}

async function personDoc(tx: Executor, id: string): Promise<SearchDoc | null> {
  const [p] = await tx.select().from(people).where(eq(people.id, id)).limit(1);
  if (!p) return null;
  const roles = await tx
    .select({ org: organisations.name, orgId: organisations.id, label: memberships.label })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
    .where(eq(memberships.personId, p.id));
  return {
    type: 'person',
    id: p.id,
    title: p.name,
    body: [p.title ?? '', ...roles.map((r) => [r.label, r.org].filter(Boolean).join(', '))].filter(Boolean).join('. '),
    lang: p.lang,
    url: `/people/${p.slug}`,
    organisationIds: [...new Set(roles.map((r) => r.orgId))],
  };
}

async function commitmentDoc(tx: Executor, id: string): Promise<SearchDoc | null> {
  const [c] = await tx.select().from(commitments).where(eq(commitments.id, id)).limit(1);
  if (!c) return null;
  const sigs = await tx
    .select({ id: commitmentSignatures.organisationId })
    .from(commitmentSignatures)
    .where(and(eq(commitmentSignatures.commitmentId, c.id), isNull(commitmentSignatures.endedOn)));
  return {
    type: 'commitment',
    id: c.id,
    title: c.title,
    body: c.body,
    lang: c.lang,
    url: `/commitments/${c.slug}`,
    organisationIds: [...new Set(sigs.map((s) => s.id))],
    year: yearOf(c.datedOn),
  };
}

const put = async (tx: Executor, doc: SearchDoc | null) => {
  if (doc) await indexSearchDoc(tx, doc);
};
export const indexOrganisationDoc = async (tx: Executor, id: string) => put(tx, await organisationDoc(tx, id));
export const indexPersonDoc = async (tx: Executor, id: string | null | undefined) => (id ? put(tx, await personDoc(tx, id)) : undefined);
export const indexCommitmentDoc = async (tx: Executor, id: string) => put(tx, await commitmentDoc(tx, id));

export const directorySearchSource: SearchDocSource = {
  types: ['organisation', 'person', 'commitment'],
  async *docs(tx) {
    for (const { id } of await tx.select({ id: organisations.id }).from(organisations)) {
      const d = await organisationDoc(tx, id);
      if (d) yield d;
    }
    for (const { id } of await tx.select({ id: people.id }).from(people)) {
      const d = await personDoc(tx, id);
      if (d) yield d;
    }
    for (const { id } of await tx.select({ id: commitments.id }).from(commitments)) {
      const d = await commitmentDoc(tx, id);
      if (d) yield d;
    }
  },
};
