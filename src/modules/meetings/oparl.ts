import { and, asc, count, eq, gte, isNotNull, isNull, lte, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { NotFoundError } from '../../platform/errors.js';
import { isUuid } from '../../platform/text.js';
import { directory } from '../directory/index.js';
import { publicMeetingView, withDescendants, type MeetingView } from './queries.js';
import { agendaItems, cases, meetingFiles, meetings, type MeetingRow } from './schema.js';
import { NO_FILTER, type OparlFilters, type OparlList, type OparlQuery, OparlReads, parseFilters } from './oparl-reads.js';
import { type Obj } from './oparl-objects.js';

export type { OparlList, OparlQuery } from './oparl-reads.js';

/*
 * OParl 1.1 read API. It always shows the public record: closed items carry
 * their title only, and their content, cases and files do not exist here.
 *
 * A Body is a top-level organisation in the directory (a municipality, a
 * network) under which at least one meeting has been held: Herning Kommune for
 * its committees, the Swedish municipal network for its working groups. Its
 * Organizations are itself and everything nested under it; its People are those
 * holding roles there.
 *
 * The class is built in layers, one job each: OparlObjects (oparl-objects.ts) shapes rows as OParl objects,
 * OparlReads (oparl-reads.ts) reads the bodies and single objects, and Oparl here adds the paged lists.
 */

export class Oparl extends OparlReads {
  // -- Lists -----------------------------------------------------------------

  async bodyList(bodyId: string, list: string, q: OparlQuery, selfPath: string): Promise<OparlList> {
    await this.requireBody(bodyId);
    const f = parseFilters(q);
    switch (list) {
      // The directory lists are cut in SQL in the body's tree order (directory windows): only the page is built.
      case 'organizations': {
        const { page, limit } = this.pageParams(q);
        const orgs = await directory.organisationWindow(this.db, await withDescendants(this.db, bodyId), f, { limit, offset: (page - 1) * limit });
        const ms = (await directory.personMembershipWindow(this.db, orgs.rows.map((o) => o.id), NO_FILTER)).rows;
        const data = orgs.rows.map((o) => this.organization(o, bodyId, { membershipIds: ms.filter((m) => m.organisationId === o.id).map((m) => m.id) }));
        return this.envelope(data, orgs.total, page, limit, q, selfPath);
      }
      case 'people': {
        const { page, limit } = this.pageParams(q);
        const orgIds = await withDescendants(this.db, bodyId);
        const persons = await directory.personWindow(this.db, orgIds, f, { limit, offset: (page - 1) * limit });
        const ms = (await directory.personMembershipWindow(this.db, orgIds, NO_FILTER, undefined, persons.rows.map((p) => p.id))).rows;
        const data = persons.rows.map((p) => this.person(p, bodyId, ms.filter((m) => m.personId === p.id)));
        return this.envelope(data, persons.total, page, limit, q, selfPath);
      }
      case 'memberships': {
        const { page, limit } = this.pageParams(q);
        const ms = await directory.personMembershipWindow(this.db, await withDescendants(this.db, bodyId), f, { limit, offset: (page - 1) * limit });
        return this.envelope(ms.rows.map((m) => this.membership(m)), ms.total, page, limit, q, selfPath);
      }
      case 'meetings': {
        // Filtered and paged in SQL; only the page is built.
        return this.meetingPage(await this.meetingConds(bodyId, f), q, selfPath);
      }
      case 'agenda-items':
        return this.itemPage(bodyId, f, q, selfPath, 'agenda-items');
      case 'consultations':
        return this.itemPage(bodyId, f, q, selfPath, 'consultations');
      case 'papers':
        return this.paperPage(bodyId, f, q, selfPath);
      case 'files':
        return this.filePage(bodyId, f, q, selfPath);
      case 'locations': {
        // A location is a meeting's place (created and modified are the meeting's), so the
        // meetings' WHERE, narrowed to live meetings that name a place, pages them in SQL.
        const where = await this.meetingConds(bodyId, f);
        const { page, limit } = this.pageParams(q);
        if (!where) return this.envelope([], 0, page, limit, q, selfPath);
        const named = (c: AnyColumn) => sql`coalesce(${c}, '') <> ''`;
        const located = and(where, isNull(meetings.deletedAt), or(named(meetings.streetAddress), named(meetings.room), named(meetings.locality), named(meetings.onlineUrl), named(meetings.onlinePlatform)));
        const rows = await this.db.select().from(meetings).where(located).orderBy(asc(meetings.startsAt), asc(meetings.id)).limit(limit).offset((page - 1) * limit);
        const [{ total }] = (await this.db.select({ total: count() }).from(meetings).where(located)) as [{ total: number }];
        return this.envelope(rows.map((m) => this.location(m)!), total, page, limit, q, selfPath);
      }
      case 'legislative-terms': {
        const { page, limit } = this.pageParams(q);
        return this.envelope([], 0, page, limit, q, selfPath);
      }
      default:
        throw new NotFoundError('list', list);
    }
  }

  /**
   * Agenda items (live ones of published agendas, then the tombstones of removed ones) or consultations
   * (live public items with a case) of a body's meetings, cut in SQL in meeting order and agenda position.
   * The rule is publicMeetingView's for the public: an item exists once its agenda is published, and a
   * closed item has no case. Each object is then built from its meeting's public view, one view per meeting.
   */
  private async itemPage(bodyId: string, f: OparlFilters, q: OparlQuery, selfPath: string, list: 'agenda-items' | 'consultations'): Promise<OparlList> {
    const { page, limit } = this.pageParams(q);
    const inBody = await this.meetingConds(bodyId, NO_FILTER);
    if (!inBody) return this.envelope([], 0, page, limit, q, selfPath);
    const gone = sql`(${agendaItems.deletedAt} IS NOT NULL OR ${meetings.deletedAt} IS NOT NULL)`;
    const conds: SQL[] = [inBody, isNotNull(meetings.agendaPublishedAt)];
    if (f.createdSince) conds.push(gte(agendaItems.createdAt, f.createdSince));
    if (f.createdUntil) conds.push(lte(agendaItems.createdAt, f.createdUntil));
    if (f.modifiedSince) conds.push(gte(agendaItems.updatedAt, f.modifiedSince));
    if (f.modifiedUntil) conds.push(lte(agendaItems.updatedAt, f.modifiedUntil));
    if (list === 'consultations') {
      conds.push(sql`NOT ${gone}`, eq(agendaItems.isPublic, true), sql`EXISTS (SELECT 1 FROM ${cases} WHERE ${cases.id} = ${agendaItems.caseId} AND ${cases.deletedAt} IS NULL)`);
    }
    const where = and(...conds);
    const rows = await this.db
      .select({ item: agendaItems, meeting: meetings, gone: sql<boolean>`${gone}` })
      .from(agendaItems)
      .innerJoin(meetings, eq(meetings.id, agendaItems.meetingId))
      .where(where)
      .orderBy(gone, asc(meetings.startsAt), asc(meetings.id), asc(agendaItems.position), asc(agendaItems.id))
      .limit(limit)
      .offset((page - 1) * limit);
    const [{ total }] = (await this.db.select({ total: count() }).from(agendaItems).innerJoin(meetings, eq(meetings.id, agendaItems.meetingId)).where(where)) as [{ total: number }];
    const views = new Map<string, Promise<MeetingView>>();
    const viewOf = (m: MeetingRow) => {
      if (!views.has(m.id)) views.set(m.id, publicMeetingView(this.db, m));
      return views.get(m.id)!;
    };
    const data: Obj[] = [];
    for (const r of rows) {
      if (r.gone) {
        data.push(this.tombstone('AgendaItem', r.item.id, this.url.agendaItem(r.item.id), r.item.createdAt, r.item.updatedAt));
        continue;
      }
      const v = await viewOf(r.meeting);
      const it = v.items.find((i) => i.id === r.item.id)!;
      data.push(list === 'consultations' ? this.consultation(it, v) : this.agendaItem(it, v, false));
    }
    return this.envelope(data, total, page, limit, q, selfPath);
  }

  /**
   * The public files of a body's live meetings, cut in SQL in meeting order: each meeting's own files
   * (the minutes once published, the others with the agenda), then its public items' files by position,
   * each by upload time; as publicMeetingView shows them to the public, which builds each object.
   */
  private async filePage(bodyId: string, f: OparlFilters, q: OparlQuery, selfPath: string): Promise<OparlList> {
    const { page, limit } = this.pageParams(q);
    const inBody = await this.meetingConds(bodyId, NO_FILTER);
    if (!inBody) return this.envelope([], 0, page, limit, q, selfPath);
    const conds: SQL[] = [
      inBody,
      isNull(meetings.deletedAt),
      isNull(meetingFiles.deletedAt),
      sql`((${meetingFiles.agendaItemId} IS NULL AND CASE WHEN ${meetingFiles.role} = 'minutes' THEN ${meetings.minutesPublishedAt} IS NOT NULL ELSE ${meetings.agendaPublishedAt} IS NOT NULL END)
        OR (${meetingFiles.agendaItemId} IS NOT NULL AND ${meetings.agendaPublishedAt} IS NOT NULL AND ${agendaItems.meetingId} = ${meetingFiles.meetingId} AND ${agendaItems.deletedAt} IS NULL AND ${agendaItems.isPublic}))`,
    ];
    if (f.createdSince) conds.push(gte(meetingFiles.createdAt, f.createdSince));
    if (f.createdUntil) conds.push(lte(meetingFiles.createdAt, f.createdUntil));
    if (f.modifiedSince) conds.push(gte(meetingFiles.updatedAt, f.modifiedSince));
    if (f.modifiedUntil) conds.push(lte(meetingFiles.updatedAt, f.modifiedUntil));
    const where = and(...conds);
    const from = () =>
      this.db
        .select({ file: meetingFiles, meeting: meetings })
        .from(meetingFiles)
        .innerJoin(meetings, eq(meetings.id, meetingFiles.meetingId))
        .leftJoin(agendaItems, eq(agendaItems.id, meetingFiles.agendaItemId));
    const rows = await from()
      .where(where)
      .orderBy(asc(meetings.startsAt), asc(meetings.id), sql`${meetingFiles.agendaItemId} IS NOT NULL`, asc(agendaItems.position), asc(meetingFiles.createdAt), asc(meetingFiles.id))
      .limit(limit)
      .offset((page - 1) * limit);
    const [{ total }] = (await this.db
      .select({ total: count() })
      .from(meetingFiles)
      .innerJoin(meetings, eq(meetings.id, meetingFiles.meetingId))
      .leftJoin(agendaItems, eq(agendaItems.id, meetingFiles.agendaItemId))
      .where(where)) as [{ total: number }];
    const views = new Map<string, Promise<MeetingView>>();
    const data: Obj[] = [];
    for (const r of rows) {
      if (!views.has(r.meeting.id)) views.set(r.meeting.id, publicMeetingView(this.db, r.meeting));
      const v = await views.get(r.meeting.id)!;
      const own = v.files.find((x) => x.id === r.file.id);
      if (own) {
        data.push(this.file(own, { meetingId: v.meeting.id }));
        continue;
      }
      const it = v.items.find((i) => i.id === r.file.agendaItemId)!;
      data.push(this.file(it.files.find((x) => x.id === r.file.id)!, { meetingId: v.meeting.id, itemId: it.id, paperId: it.case?.id ?? null }));
    }
    return this.envelope(data, total, page, limit, q, selfPath);
  }

  async organisationMeetings(orgId: string, q: OparlQuery, selfPath: string): Promise<OparlList> {
    if (!isUuid(orgId)) throw new NotFoundError('organization', orgId);
    const o = await directory.getOrganisation(this.db, orgId);
    const bodyId = await this.bodyOfOrganisation(o.id);
    if (!bodyId) throw new NotFoundError('organization', orgId);
    return this.meetingPage(await this.meetingConds(bodyId, parseFilters(q), o.id), q, selfPath);
  }

  /** One page of meetings cut in SQL (LIMIT/OFFSET in meetingRows' order), totalElements a count of the same WHERE. */
  private async meetingPage(where: SQL | null, q: OparlQuery, selfPath: string): Promise<OparlList> {
    const { page, limit } = this.pageParams(q);
    if (!where) return this.envelope([], 0, page, limit, q, selfPath);
    const slice = await this.db.select().from(meetings).where(where).orderBy(asc(meetings.startsAt), asc(meetings.id)).limit(limit).offset((page - 1) * limit);
    const [{ total }] = (await this.db.select({ total: count() }).from(meetings).where(where)) as [{ total: number }];
    const data: Obj[] = [];
    for (const r of slice) data.push(this.meeting(await publicMeetingView(this.db, r)));
    return this.envelope(data, total, page, limit, q, selfPath);
  }

  /**
   * A body's papers cut in SQL, each where its first use comes in meeting order and agenda position,
   * filtered by the case's own created and modified times; only the page's papers are built.
   */
  private async paperPage(bodyId: string, f: OparlFilters, q: OparlQuery, selfPath: string): Promise<OparlList> {
    const { page, limit } = this.pageParams(q);
    const inBody = await this.meetingConds(bodyId, NO_FILTER);
    if (!inBody) return this.envelope([], 0, page, limit, q, selfPath);
    const uses = this.db
      .select({ caseId: sql<string>`${agendaItems.caseId}`.as('case_id'), rn: sql<number>`row_number() OVER (ORDER BY ${sql.join(this.useOrder, sql`, `)})`.as('rn') })
      .from(agendaItems)
      .innerJoin(meetings, eq(meetings.id, agendaItems.meetingId))
      .innerJoin(cases, eq(cases.id, agendaItems.caseId))
      .where(this.paperUses(inBody))
      .as('uses');
    const firsts = this.db.select({ caseId: uses.caseId, rn: sql<number>`min(${uses.rn})`.as('first_rn') }).from(uses).groupBy(uses.caseId).as('firsts');
    const where = and(...directory.changedWithin(cases.createdAt, cases.updatedAt, f));
    const rows = await this.db
      .select({ id: cases.id })
      .from(firsts)
      .innerJoin(cases, eq(cases.id, firsts.caseId))
      .where(where)
      .orderBy(asc(firsts.rn))
      .limit(limit)
      .offset((page - 1) * limit);
    const [{ total }] = (await this.db.select({ total: count() }).from(firsts).innerJoin(cases, eq(cases.id, firsts.caseId)).where(where)) as [{ total: number }];
    return this.envelope(await this.paperObjects(bodyId, inBody, rows.map((r) => r.id)), total, page, limit, q, selfPath);
  }

}
