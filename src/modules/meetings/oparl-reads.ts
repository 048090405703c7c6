/**
 * OParl reads: the query parameters and change filters, the bodies, single objects by id, and the
 * paging envelope. The lists are in oparl.ts, the objects' shapes in oparl-objects.ts.
 */
import { and, asc, eq, gte, inArray, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db/index.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { isUuid } from '../../platform/text.js';
import { directory, type OrganisationRow } from '../directory/index.js';
import { loadCases, publicMeetingView, type ItemView, type MeetingView } from './queries.js';
import { agendaItems, cases, meetingFiles, meetingOrganisations, meetings } from './schema.js';
import { clean, type Obj, OparlObjects } from './oparl-objects.js';
import { isCalendarDate } from './inputs.js';

export type OparlQuery = {
  page?: number;
  limit?: number;
  created_since?: string;
  created_until?: string;
  modified_since?: string;
  modified_until?: string;
};

function parseInstant(v: string | undefined, field: string): Date | null {
  if (v === undefined || v === '') return null;
  const d = new Date(v);
  // isCalendarDate: new Date() would roll 30 February over into March instead of refusing it.
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) || Number.isNaN(d.getTime()) || !isCalendarDate(v)) {
    throw new ValidationError([{ field, message: 'Must be an ISO 8601 date-time, e.g. 2020-04-27T00:00:00+02:00' }]);
  }
  return d;
}

export type OparlFilters = { createdSince: Date | null; createdUntil: Date | null; modifiedSince: Date | null; modifiedUntil: Date | null };

export function parseFilters(q: OparlQuery): OparlFilters {
  return {
    createdSince: parseInstant(q.created_since, 'created_since'),
    createdUntil: parseInstant(q.created_until, 'created_until'),
    modifiedSince: parseInstant(q.modified_since, 'modified_since'),
    modifiedUntil: parseInstant(q.modified_until, 'modified_until'),
  };
}

export type OparlList = {
  data: Obj[];
  pagination: { totalElements: number; elementsPerPage: number; currentPage: number; totalPages: number };
  links: { first: string; self: string; last: string; prev?: string; next?: string };
};

const MAX_LIMIT = 100;
export const NO_FILTER: OparlFilters = { createdSince: null, createdUntil: null, modifiedSince: null, modifiedUntil: null };
export class OparlReads extends OparlObjects {
  constructor(
    protected readonly db: Executor,
    publicUrl: string,
  ) {
    super(publicUrl);
  }

  // -- Bodies ----------------------------------------------------------------

  protected bodyCache: Map<string, string> | null = null;

  /** Organisation id -> id of the body (top-level organisation) it belongs to, for every meeting organiser. */
  protected async bodyOfOrganisers(): Promise<Map<string, string>> {
    if (this.bodyCache) return this.bodyCache;
    const orgIds = [...new Set((await this.db.select({ id: meetingOrganisations.organisationId }).from(meetingOrganisations).where(eq(meetingOrganisations.pending, false))).map((r) => r.id))];
    const map = new Map<string, string>();
    for (const id of orgIds) {
      const anc = await directory.ancestorIds(this.db, id);
      map.set(id, anc.length ? anc[anc.length - 1]! : id);
    }
    this.bodyCache = map;
    return map;
  }

  async bodyIds(): Promise<string[]> {
    return [...new Set((await this.bodyOfOrganisers()).values())];
  }

  protected async requireBody(id: string): Promise<OrganisationRow> {
    if (!isUuid(id) || !(await this.bodyIds()).includes(id)) throw new NotFoundError('body', id);
    return directory.getOrganisation(this.db, id);
  }

  protected async bodyOfOrganisation(orgId: string): Promise<string | null> {
    const anc = await directory.ancestorIds(this.db, orgId);
    const root = anc.length ? anc[anc.length - 1]! : orgId;
    return (await this.bodyIds()).includes(root) ? root : null;
  }

  async body(id: string): Promise<Obj> {
    return this.bodyOf(await this.requireBody(id));
  }
  /** Body objects carry `legislativeTerm: []`; networks have no electoral terms. */
  async bodyObject(id: string): Promise<Obj> {
    return { ...(await this.body(id)), legislativeTerm: [] };
  }

  /**
   * The bodies by name, cut in SQL (a directory window): only the page's organisations are read. The
   * change filters apply to the body's organisation, as every other list's do to its objects (until
   * the list was paged in SQL it ignored them, against docs/meetings.md).
   */
  async bodies(q: OparlQuery, selfPath: string): Promise<OparlList> {
    const { page, limit } = this.pageParams(q);
    const orgs = await directory.organisationWindow(this.db, await this.bodyIds(), parseFilters(q), { limit, offset: (page - 1) * limit }, 'name');
    return this.envelope(orgs.rows.map((o) => ({ ...this.bodyOf(o), legislativeTerm: [] })), orgs.total, page, limit, q, selfPath);
  }

  async organizationById(id: string): Promise<Obj> {
    if (!isUuid(id)) throw new NotFoundError('organization', id);
    const o = await directory.getOrganisation(this.db, id);
    const bodyId = await this.bodyOfOrganisation(o.id);
    if (!bodyId) throw new NotFoundError('organization', id);
    const ms = (await directory.personMembershipWindow(this.db, [o.id], NO_FILTER)).rows;
    return this.organization(o, bodyId, { membershipIds: ms.map((m) => m.id) });
  }

  async personById(id: string): Promise<Obj> {
    if (!isUuid(id)) throw new NotFoundError('person', id);
    const p = await directory.getPerson(this.db, id);
    const ms = (await directory.listMemberships(this.db, { personId: p.id, pageSize: 500 })).items;
    let bodyId: string | null = null;
    for (const m of ms) bodyId ??= await this.bodyOfOrganisation(m.organisationId);
    if (!bodyId) throw new NotFoundError('person', id);
    return this.person(p, bodyId, ms);
  }

  async membershipById(id: string): Promise<Obj> {
    const m = await directory.getMembership(this.db, id);
    if (!m.personId || !(await this.bodyOfOrganisation(m.organisationId))) throw new NotFoundError('membership', id);
    return this.membership(m);
  }

  /**
   * The WHERE of the meetings organised within a body (its lead organiser belongs to the body), optionally
   * only by one organisation, in any state; null when the body has no organiser (no meetings).
   */
  protected async meetingConds(bodyId: string, f: OparlFilters, onlyOrgId?: string): Promise<SQL | null> {
    const orgIds = onlyOrgId ? [onlyOrgId] : [...(await this.bodyOfOrganisers()).entries()].filter(([, b]) => b === bodyId).map(([o]) => o);
    if (!orgIds.length) return null;
    const conds: SQL[] = [
      inArray(
        meetings.id,
        this.db
          .select({ id: meetingOrganisations.meetingId })
          .from(meetingOrganisations)
          // An organiser that has yet to accept the meeting does not list it.
          .where(and(eq(meetingOrganisations.pending, false), onlyOrgId ? eq(meetingOrganisations.organisationId, onlyOrgId) : and(inArray(meetingOrganisations.organisationId, orgIds), eq(meetingOrganisations.position, 0)))),
      ),
    ];
    if (f.createdSince) conds.push(gte(meetings.createdAt, f.createdSince));
    if (f.createdUntil) conds.push(lte(meetings.createdAt, f.createdUntil));
    if (f.modifiedSince) conds.push(gte(meetings.updatedAt, f.modifiedSince));
    if (f.modifiedUntil) conds.push(lte(meetings.updatedAt, f.modifiedUntil));
    return and(...conds)!;
  }

  async meetingById(id: string): Promise<Obj> {
    if (!isUuid(id)) throw new NotFoundError('meeting', id);
    const [m] = await this.db.select().from(meetings).where(eq(meetings.id, id));
    if (!m) throw new NotFoundError('meeting', id);
    return this.meeting(await publicMeetingView(this.db, m));
  }

  /** Finds the public view of the meeting an item belongs to, or not found. */
  protected async itemContext(itemId: string): Promise<{ item: ItemView | null; view: MeetingView; deleted: boolean; created: Date; updated: Date }> {
    if (!isUuid(itemId)) throw new NotFoundError('agenda item', itemId);
    const [row] = await this.db.select().from(agendaItems).where(eq(agendaItems.id, itemId));
    if (!row) throw new NotFoundError('agenda item', itemId);
    const [m] = await this.db.select().from(meetings).where(eq(meetings.id, row.meetingId));
    if (!m) throw new NotFoundError('agenda item', itemId);
    const view = await publicMeetingView(this.db, m);
    const deleted = !!(row.deletedAt || m.deletedAt);
    const item = deleted ? null : (view.items.find((i) => i.id === itemId) ?? null);
    // Items of an unpublished agenda do not exist yet for the public.
    if (!deleted && !item) throw new NotFoundError('agenda item', itemId);
    if (deleted && !m.agendaPublishedAt) throw new NotFoundError('agenda item', itemId);
    return { item, view, deleted, created: row.createdAt, updated: row.updatedAt };
  }

  async agendaItemById(id: string): Promise<Obj> {
    const c = await this.itemContext(id);
    if (!c.item) return this.tombstone('AgendaItem', id, this.url.agendaItem(id), c.created, c.updated);
    return this.agendaItem(c.item, c.view, false);
  }

  async consultationById(id: string): Promise<Obj> {
    const c = await this.itemContext(id);
    if (!c.item || !c.item.case) throw new NotFoundError('consultation', id);
    return this.consultation(c.item, c.view);
  }

  /**
   * Where a body's papers are used: the live public items with a live case on the published agendas of
   * the body's live meetings, whose case no live closed item uses anywhere. This is publicMeetingView's
   * rule for the public (an item exists once its agenda is published; a closed item shows no case) plus
   * the papers' own: a case that is also discussed behind closed doors is not part of the public record.
   */
  protected paperUses(inBody: SQL): SQL {
    return and(
      inBody,
      isNull(meetings.deletedAt),
      isNotNull(meetings.agendaPublishedAt),
      isNull(agendaItems.deletedAt),
      eq(agendaItems.isPublic, true),
      isNull(cases.deletedAt),
      sql`NOT EXISTS (SELECT 1 FROM ${agendaItems} AS closed_item WHERE closed_item.case_id = ${agendaItems.caseId} AND NOT closed_item.is_public AND closed_item.deleted_at IS NULL)`,
    )!;
  }

  /** The order of uses, which is the order the meetings' public views list their items in. */
  protected readonly useOrder = [asc(meetings.startsAt), asc(meetings.id), asc(agendaItems.position), asc(agendaItems.id)];

  /**
   * The papers of `caseIds` in that order, each with its uses in the body (paperUses), built from the
   * public views of the meetings that use them, one view per meeting. A case without a use is left out.
   */
  protected async paperObjects(bodyId: string, inBody: SQL, caseIds: readonly string[]): Promise<Obj[]> {
    if (!caseIds.length) return [];
    const rows = await this.db
      .select({ itemId: agendaItems.id, caseId: agendaItems.caseId, meeting: meetings })
      .from(agendaItems)
      .innerJoin(meetings, eq(meetings.id, agendaItems.meetingId))
      .innerJoin(cases, eq(cases.id, agendaItems.caseId))
      .where(and(this.paperUses(inBody), inArray(agendaItems.caseId, [...caseIds])))
      .orderBy(...this.useOrder);
    const views = new Map<string, MeetingView>();
    const byCase = new Map<string, { item: ItemView; view: MeetingView }[]>();
    for (const r of rows) {
      let v = views.get(r.meeting.id);
      if (!v) views.set(r.meeting.id, (v = await publicMeetingView(this.db, r.meeting)));
      const item = v.items.find((i) => i.id === r.itemId)!;
      byCase.set(r.caseId!, [...(byCase.get(r.caseId!) ?? []), { item, view: v }]);
    }
    const out: Obj[] = [];
    for (const id of caseIds) {
      const uses = byCase.get(id);
      if (uses) out.push(this.paper(uses[0]!.item.case!, uses, bodyId));
    }
    return out;
  }

  async paperById(id: string): Promise<Obj> {
    if (!isUuid(id)) throw new NotFoundError('paper', id);
    const cs = await loadCases(this.db, [id]);
    const c = cs.get(id);
    if (!c) throw new NotFoundError('paper', id);
    const bodyId = await this.bodyOfOrganisation(c.organisationId);
    const inBody = bodyId ? await this.meetingConds(bodyId, NO_FILTER) : null;
    const [paper] = bodyId && inBody ? await this.paperObjects(bodyId, inBody, [id]) : [];
    if (!paper) throw new NotFoundError('paper', id);
    return paper;
  }

  async fileById(id: string): Promise<Obj> {
    if (!isUuid(id)) throw new NotFoundError('file', id);
    const [f] = await this.db.select().from(meetingFiles).where(eq(meetingFiles.id, id));
    if (!f) throw new NotFoundError('file', id);
    const [m] = await this.db.select().from(meetings).where(eq(meetings.id, f.meetingId));
    if (!m) throw new NotFoundError('file', id);
    if (f.deletedAt || m.deletedAt) {
      // Only files that were part of the public record leave a public tombstone.
      if (!f.isPublic) throw new NotFoundError('file', id);
      return this.tombstone('File', id, this.url.file(id), f.createdAt, f.updatedAt);
    }
    const v = await publicMeetingView(this.db, m);
    const meetingFile = v.files.find((x) => x.id === id);
    if (meetingFile) return this.file(meetingFile, { meetingId: m.id });
    for (const it of v.items) {
      const x = it.files.find((y) => y.id === id);
      if (x) return this.file(x, { meetingId: m.id, itemId: it.id, paperId: it.case?.id ?? null });
    }
    throw new NotFoundError('file', id);
  }

  async locationById(id: string): Promise<Obj> {
    if (!isUuid(id)) throw new NotFoundError('location', id);
    const [m] = await this.db.select().from(meetings).where(and(eq(meetings.id, id), isNull(meetings.deletedAt)));
    const loc = m ? this.location(m) : null;
    if (!loc) throw new NotFoundError('location', id);
    return loc;
  }

  protected pageParams(q: OparlQuery) {
    const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(Number(q.limit ?? 20)) || 20));
    const page = Math.max(1, Math.floor(Number(q.page ?? 1)) || 1);
    return { page, limit };
  }

  protected envelope(data: Obj[], total: number, page: number, limit: number, q: OparlQuery, selfPath: string): OparlList {
    const totalPages = Math.max(1, Math.ceil(total / limit));
    const link = (p: number) => {
      const params = new URLSearchParams();
      for (const k of ['created_since', 'created_until', 'modified_since', 'modified_until'] as const) if (q[k]) params.set(k, q[k]!);
      if (q.limit) params.set('limit', String(limit));
      params.set('page', String(p));
      return `${this.publicUrl}${selfPath}?${params.toString()}`;
    };
    return {
      data,
      pagination: { totalElements: total, elementsPerPage: limit, currentPage: page, totalPages },
      links: clean({
        first: link(1),
        prev: page > 1 ? link(page - 1) : undefined,
        self: link(page),
        next: page < totalPages ? link(page + 1) : undefined,
        last: link(totalPages),
      }) as OparlList['links'],
    };
  }
}
