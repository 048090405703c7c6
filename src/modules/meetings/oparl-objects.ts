/**
 * How Samverka's rows look in OParl 1.1: the URLs of every object and the pure builders that turn a
 * directory or meeting row into its OParl object. No database access; OparlReads (oparl-reads.ts) adds that.
 */
import type { MembershipRow, OrganisationRow, PersonRow } from '../directory/index.js';
import type { CaseView, FileView, ItemView, MeetingView } from './queries.js';
import { richTextToPlain } from '../../web/richtext.js';
import type { MeetingRow } from './schema.js';

export const OPARL_VERSION = 'https://schema.oparl.org/1.1/';
const T = (name: string) => `https://schema.oparl.org/1.1/${name}`;

export type Obj = Record<string, unknown> & { id: string; created?: string; modified?: string };

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);
/** Drops undefined and empty-array properties: OParl says to omit what is not known. */
export function clean<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))) as T;
}

export class OparlObjects {
  readonly base: string;
  constructor(protected readonly publicUrl: string) {
    this.base = `${publicUrl}/oparl/v1`;
  }

  // -- URLs ------------------------------------------------------------------
  url = {
    system: () => `${this.base}/`,
    bodies: () => `${this.base}/bodies`,
    body: (id: string) => `${this.base}/bodies/${id}`,
    bodyList: (id: string, list: string) => `${this.base}/bodies/${id}/${list}`,
    organization: (id: string) => `${this.base}/organizations/${id}`,
    person: (id: string) => `${this.base}/persons/${id}`,
    membership: (id: string) => `${this.base}/memberships/${id}`,
    meeting: (id: string) => `${this.base}/meetings/${id}`,
    agendaItem: (id: string) => `${this.base}/agenda-items/${id}`,
    paper: (id: string) => `${this.base}/papers/${id}`,
    consultation: (id: string) => `${this.base}/consultations/${id}`,
    file: (id: string) => `${this.base}/files/${id}`,
    location: (id: string) => `${this.base}/locations/${id}`,
  };
  web = {
    organisation: (slug: string) => `${this.publicUrl}/organisations/${slug}`,
    person: (slug: string) => `${this.publicUrl}/people/${slug}`,
    meeting: (id: string) => `${this.publicUrl}/meetings/${id}`,
    item: (meetingId: string, id: string) => `${this.publicUrl}/meetings/${meetingId}/items/${id}`,
    download: (id: string) => `${this.publicUrl}/meetings/files/${id}/download`,
  };

  system(): Obj {
    return {
      id: this.url.system(),
      type: T('System'),
      oparlVersion: OPARL_VERSION,
      body: this.url.bodies(),
      name: 'Samverka',
      website: `${this.publicUrl}/`,
      web: `${this.publicUrl}/`,
    };
  }

  protected bodyOf(org: OrganisationRow): Obj {
    const L = (l: string) => this.url.bodyList(org.id, l);
    return clean({
      id: this.url.body(org.id),
      type: T('Body'),
      system: this.url.system(),
      name: org.name,
      shortName: org.shortName ?? undefined,
      website: org.website ?? undefined,
      classification: org.kind,
      mainOrganization: this.url.organization(org.id),
      organization: L('organizations'),
      person: L('people'),
      membership: L('memberships'),
      meeting: L('meetings'),
      paper: L('papers'),
      agendaItem: L('agenda-items'),
      consultation: L('consultations'),
      file: L('files'),
      locationList: L('locations'),
      created: iso(org.createdAt),
      modified: iso(org.updatedAt),
      web: this.web.organisation(org.slug),
    }) as Obj;
  }

  // -- Directory views -------------------------------------------------------

  organization(o: OrganisationRow, bodyId: string | null, extra: { membershipIds?: string[] } = {}): Obj {
    return clean({
      id: this.url.organization(o.id),
      type: T('Organization'),
      body: bodyId ? this.url.body(bodyId) : undefined,
      name: o.name,
      shortName: o.shortName ?? undefined,
      organizationType: o.kind,
      classification: o.kind,
      subOrganizationOf: o.parentId ? this.url.organization(o.parentId) : undefined,
      startDate: o.foundedOn ?? undefined,
      endDate: o.endedOn ?? undefined,
      website: o.website ?? undefined,
      membership: extra.membershipIds?.map((m) => this.url.membership(m)),
      meeting: `${this.url.organization(o.id)}/meetings`,
      created: iso(o.createdAt),
      modified: iso(o.updatedAt),
      web: this.web.organisation(o.slug),
    });
  }

  membership(m: MembershipRow, embedded = false): Obj {
    return clean({
      id: this.url.membership(m.id),
      type: T('Membership'),
      person: embedded || !m.personId ? undefined : this.url.person(m.personId),
      organization: this.url.organization(m.organisationId),
      role: m.label ?? m.role,
      startDate: m.startDate ?? undefined,
      endDate: m.endDate ?? undefined,
      // "On behalf of" that the organisation has yet to confirm speaks for nobody.
      onBehalfOf: m.onBehalfOfId && !m.onBehalfPending ? this.url.organization(m.onBehalfOfId) : undefined,
      created: iso(m.createdAt),
      modified: iso(m.updatedAt),
    });
  }

  person(p: PersonRow, bodyId: string | null, ms: MembershipRow[]): Obj {
    return clean({
      id: this.url.person(p.id),
      type: T('Person'),
      body: bodyId ? this.url.body(bodyId) : undefined,
      name: p.name,
      status: p.title ? [p.title] : undefined,
      // Only present when the person chose to publish them.
      email: p.email ? [p.email] : undefined,
      phone: p.phone ? [p.phone] : undefined,
      membership: ms.map((m) => this.membership(m, true)),
      created: iso(p.createdAt),
      modified: iso(p.updatedAt),
      web: this.web.person(p.slug),
    });
  }

  // -- Meetings and what hangs off them ------------------------------------------

  file(f: FileView, ctx: { meetingId: string; itemId?: string | null; paperId?: string | null }): Obj {
    return clean({
      id: this.url.file(f.id),
      type: T('File'),
      name: f.title,
      fileName: f.fileName,
      mimeType: f.mimeType,
      date: f.createdAt.toISOString().slice(0, 10),
      size: f.sizeBytes,
      sha512Checksum: f.sha512,
      accessUrl: this.web.download(f.id),
      downloadUrl: this.web.download(f.id),
      meeting: [this.url.meeting(ctx.meetingId)],
      agendaItem: ctx.itemId ? [this.url.agendaItem(ctx.itemId)] : undefined,
      paper: ctx.paperId ? [this.url.paper(ctx.paperId)] : undefined,
      created: iso(f.createdAt),
      modified: iso(f.updatedAt),
      web: ctx.itemId ? this.web.item(ctx.meetingId, ctx.itemId) : this.web.meeting(ctx.meetingId),
    });
  }

  location(m: MeetingRow): Obj | null {
    if (!m.streetAddress && !m.room && !m.locality && !m.onlineUrl && !m.onlinePlatform) return null;
    const parts = [m.room, m.streetAddress, [m.postalCode, m.locality].filter(Boolean).join(' '), m.onlinePlatform, m.onlineUrl].filter((x) => x && x.trim());
    return clean({
      id: this.url.location(m.id),
      type: T('Location'),
      description: parts.join(', '),
      streetAddress: m.streetAddress ?? undefined,
      room: m.room ?? undefined,
      postalCode: m.postalCode ?? undefined,
      locality: m.locality ?? undefined,
      meetings: [this.url.meeting(m.id)],
      created: iso(m.createdAt),
      modified: iso(m.updatedAt),
      web: this.web.meeting(m.id),
    });
  }

  protected tombstone(type: string, id: string, url: string, created: Date, modified: Date): Obj {
    return { id: url, type: T(type), created: iso(created)!, modified: iso(modified)!, deleted: true };
  }

  agendaItem(it: ItemView, v: MeetingView, embedded: boolean): Obj {
    const withCase = !it.withheld && it.case;
    return clean({
      id: this.url.agendaItem(it.id),
      type: T('AgendaItem'),
      meeting: embedded ? undefined : this.url.meeting(v.meeting.id),
      number: it.number ?? undefined,
      order: it.position,
      name: it.title,
      public: it.isPublic,
      consultation: withCase ? this.url.consultation(it.id) : undefined,
      result: it.result ?? undefined,
      resolutionText: it.decision ? richTextToPlain(it.decision) : undefined,
      auxiliaryFile: it.files.map((f) => this.file(f, { meetingId: v.meeting.id, itemId: it.id, paperId: it.case?.id ?? null })),
      created: iso(it.createdAt),
      modified: iso(it.updatedAt),
      web: this.web.item(v.meeting.id, it.id),
    });
  }

  meeting(v: MeetingView): Obj {
    const m = v.meeting;
    if (m.deletedAt) return this.tombstone('Meeting', m.id, this.url.meeting(m.id), m.createdAt, m.updatedAt);
    const invitation = v.files.find((f) => f.role === 'invitation');
    const protocol = v.files.find((f) => f.role === 'minutes');
    const aux = v.files.filter((f) => f !== invitation && f !== protocol);
    const ctx = { meetingId: m.id };
    return clean({
      id: this.url.meeting(m.id),
      type: T('Meeting'),
      name: m.title,
      meetingState: m.state,
      cancelled: m.state === 'cancelled',
      start: iso(m.startsAt),
      end: iso(m.endsAt),
      location: this.location(m) ?? undefined,
      organization: v.organisers.map((o) => this.url.organization(o.id)),
      participant: v.participants.filter((p) => p.person).map((p) => this.url.person(p.personId)),
      invitation: invitation ? this.file(invitation, ctx) : undefined,
      resultsProtocol: protocol ? this.file(protocol, ctx) : undefined,
      auxiliaryFile: aux.map((f) => this.file(f, ctx)),
      agendaItem: v.items.map((it) => this.agendaItem(it, v, true)),
      created: iso(m.createdAt),
      modified: iso(m.updatedAt),
      web: this.web.meeting(m.id),
    });
  }

  consultation(it: ItemView, v: MeetingView): Obj {
    return clean({
      id: this.url.consultation(it.id),
      type: T('Consultation'),
      paper: it.case ? this.url.paper(it.case.id) : undefined,
      agendaItem: this.url.agendaItem(it.id),
      meeting: this.url.meeting(v.meeting.id),
      organization: v.organisers.map((o) => this.url.organization(o.id)),
      // Authoritative once the body has decided and the minutes are public.
      authoritative: !!(it.decision && v.minutesVisible),
      role: it.case?.caseType ?? undefined,
      created: iso(it.createdAt),
      modified: iso(it.updatedAt),
      web: this.web.item(v.meeting.id, it.id),
    });
  }

  paper(c: CaseView, uses: { item: ItemView; view: MeetingView }[], bodyId: string): Obj {
    const first = uses[0]!;
    const leading = c.referrals[0];
    return clean({
      id: this.url.paper(c.id),
      type: T('Paper'),
      body: this.url.body(bodyId),
      name: c.title,
      reference: c.reference ?? undefined,
      date: c.caseDate ?? undefined,
      paperType: c.caseType ?? undefined,
      underDirectionOf: leading ? [this.url.organization(leading.id)] : undefined,
      originatorOrganization: [this.url.organization(c.organisationId)],
      auxiliaryFile: uses.flatMap((u) => u.item.files.map((f) => this.file(f, { meetingId: u.view.meeting.id, itemId: u.item.id, paperId: c.id }))),
      consultation: uses.map((u) => this.consultation(u.item, u.view)),
      created: iso(c.createdAt),
      modified: iso(c.updatedAt),
      web: this.web.item(first.view.meeting.id, first.item.id),
    });
  }

}
