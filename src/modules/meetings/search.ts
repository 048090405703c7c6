import { eq } from 'drizzle-orm';
import type { Executor } from '../../platform/db/index.js';
import { indexSearchDoc, removeSearchDoc, removeSearchDocsByPrefix, type SearchDoc, type SearchDocSource } from '../../platform/search-index.js';
import { loadMeetingData, presentMeeting, type ItemView, type MeetingData } from './queries.js';
import { PUBLIC_ACCESS } from './policy.js';
import { meetings } from './schema.js';

/*
 * Meetings and agenda items in the one search index, derived from the same presenter
 * the pages use (presentMeeting), so search can never show more than a page would:
 *  - a meeting: its title, description and place, plus the text of the meeting-level
 *    documents the public may open (minutes once published);
 *  - a public item of a published agenda: its texts (the decision once the minutes are
 *    published), case reference and the text of its documents;
 *  - a closed item of a published agenda: indexed restricted to the lead organising
 *    body, with what that body's members see; items of an unpublished agenda are not
 *    indexed at all (only the organisers' editors see them).
 * The service calls `reindexMeeting` at the end of each write's transaction.
 */

const plain = (html: string | null | undefined) =>
  (html ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

const fileTexts = (data: MeetingData, ids: string[]) =>
  data.files.filter((f) => ids.includes(f.id)).map((f) => `${f.title}. ${f.extractedText ?? ''}`);

function itemDoc(data: MeetingData, it: ItemView, restrictedTo: string | null): SearchDoc {
  const m = data.meeting;
  return {
    type: 'agenda_item',
    id: `${m.id}/${it.id}`,
    title: [it.number, it.title].filter(Boolean).join(' '),
    body: [
      it.case?.reference ?? '',
      it.case?.title ?? '',
      plain(it.summary),
      plain(it.description),
      plain(it.recommendation),
      plain(it.decision),
      m.title,
      ...fileTexts(data, it.files.map((f) => f.id)),
    ]
      .filter(Boolean)
      .join('\n'),
    lang: it.lang as SearchDoc['lang'],
    url: `/meetings/${m.id}#item-${it.id}`,
    restrictedToOrg: restrictedTo,
    organisationIds: data.organisers.map((o) => o.id),
    year: m.startsAt.getUTCFullYear(),
  };
}

function docsOf(data: MeetingData): SearchDoc[] {
  const m = data.meeting;
  if (m.deletedAt) return [];
  const pub = presentMeeting(data, PUBLIC_ACCESS);
  const members = presentMeeting(data, { edit: false, closed: true });
  const lead = data.organisers[0]?.id ?? null;
  const docs: SearchDoc[] = [
    {
      type: 'meeting',
      id: m.id,
      title: m.title,
      body: [plain(m.description), m.locality ?? '', m.room ?? '', ...data.organisers.map((o) => o.name), plain(pub.minutesNotes), ...fileTexts(data, pub.files.map((f) => f.id))]
        .filter(Boolean)
        .join('\n'),
      lang: m.lang,
      url: `/meetings/${m.id}`,
      organisationIds: data.organisers.map((o) => o.id),
      year: m.startsAt.getUTCFullYear(),
    },
  ];
  for (const it of pub.items) if (it.isPublic) docs.push(itemDoc(data, it, null));
  if (lead) for (const it of members.items) if (!it.isPublic) docs.push(itemDoc(data, it, lead));
  return docs;
}

/** Replaces every document of one meeting (call inside the write's transaction). */
export async function reindexMeeting(tx: Executor, meetingId: string): Promise<void> {
  await removeSearchDoc(tx, 'meeting', meetingId);
  await removeSearchDocsByPrefix(tx, 'agenda_item', `${meetingId}/`);
  const [m] = await tx.select().from(meetings).where(eq(meetings.id, meetingId)).limit(1);
  if (!m) return;
  for (const d of docsOf(await loadMeetingData(tx, m))) await indexSearchDoc(tx, d);
}

export const meetingsSearchSource: SearchDocSource = {
  types: ['meeting', 'agenda_item'],
  async *docs(tx) {
    for (const m of await tx.select().from(meetings)) {
      if (m.deletedAt) continue;
      yield* docsOf(await loadMeetingData(tx, m));
    }
  },
};
