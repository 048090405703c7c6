import path from 'node:path';
import { and, eq, isNull } from 'drizzle-orm';
import { systemActor } from '../../platform/audit.js';
import type { Database } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import { localStorageFor, type FileStorage } from '../../platform/storage/index.js';
import { directory, type OrganisationRow } from '../directory/index.js';
import { simplePdf } from './pdf.js';
import { meetingOrganisations, meetings } from './schema.js';
import { createMeeting, setPublication } from './service.js';
import { addFile } from './files.js';
import { addItem, recordDecisions } from './agenda.js';
import { localToInstant } from './time.js';

/*
 * Demo meetings: Herning's Økonomi- og Erhvervsudvalget on 27 April 2020 with
 * item 139, and a meeting of the Swedish network's environmental-strategy
 * working group. The texts are written for Samverka; the facts (dates, case
 * number, officers, distribution, decision) follow the public record.
 *
 * Idempotent: a meeting is recognised by its organiser, title and start, and
 * is left alone if it exists, so running the seed twice changes nothing.
 */

export const DEMO_ORGANISATIONS = {
  herningCommittee: { slugs: ['okonomi-og-erhvervsudvalget', 'herning-okonomi-og-erhvervsudvalget'], name: 'Økonomi- og Erhvervsudvalget' },
  swedishWorkingGroup: { slugs: ['miljostrategisk-arbetsgrupp', 'miljostrategiska-arbetsgruppen'], name: 'Miljöstrategisk arbetsgrupp' },
} as const;

async function findOrganisation(db: Database, spec: { slugs: readonly string[]; name: string }): Promise<OrganisationRow> {
  for (const slug of spec.slugs) {
    try {
      return await directory.getOrganisation(db.orm, slug);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
  const hits = await directory.listOrganisations(db.orm, { search: spec.name, includeEnded: true, pageSize: 10 });
  const exact = hits.items.find((o) => o.name.toLowerCase() === spec.name.toLowerCase()) ?? hits.items[0];
  if (!exact) throw new Error(`Meetings demo: the directory demo has no organisation “${spec.name}” (slug ${spec.slugs.join(' or ')}). Seed the directory first.`);
  return exact;
}

async function existing(db: Database, orgId: string, title: string, startsAt: Date): Promise<boolean> {
  const rows = await db.orm
    .select({ id: meetings.id })
    .from(meetings)
    .innerJoin(meetingOrganisations, eq(meetingOrganisations.meetingId, meetings.id))
    .where(and(eq(meetingOrganisations.organisationId, orgId), eq(meetings.title, title), eq(meetings.startsAt, startsAt), isNull(meetings.deletedAt)));
  return rows.length > 0;
}

const at = (local: string, zone: string) => {
  const d = localToInstant(local, zone);
  if (!d) throw new Error(`bad demo time ${local}`);
  return d;
};

export type SeedOptions = { storage?: FileStorage; uploadMaxBytes?: number };

export async function seedMeetingsDemo(db: Database, opts: SeedOptions = {}): Promise<{ created: string[] }> {
  // The default matches the default DATA_DIR; the app passes its configured storage.
  const storage = opts.storage ?? localStorageFor(path.resolve('data'));
  const max = opts.uploadMaxBytes ?? 20 * 1024 * 1024;
  const actor = systemActor('demo data');
  const created: string[] = [];

  // --- Herning: Økonomi- og Erhvervsudvalget, 27 April 2020 -------------------
  const oke = await findOrganisation(db, DEMO_ORGANISATIONS.herningCommittee);
  const okeTitle = 'Økonomi- og Erhvervsudvalget, møde 27. april 2020';
  const okeStart = at('2020-04-27T15:00', 'Europe/Copenhagen');
  if (!(await existing(db, oke.id, okeTitle, okeStart))) {
    const m = await createMeeting(db, actor, {
      title: okeTitle,
      lang: 'da',
      startsAt: okeStart,
      endsAt: at('2020-04-27T17:00', 'Europe/Copenhagen'),
      timeZone: 'Europe/Copenhagen',
      state: 'held',
      onlinePlatform: 'Skype for Business',
      description: 'Mødet blev holdt online på grund af covid-19.',
      organisationIds: [oke.id],
    });
    await addItem(db, actor, m.id, {
      number: '139',
      title: 'Orientering om den politiske følgegruppes arbejde med bæredygtighed, herunder etablering af bæredygtighedscenter',
      isPublic: true,
      lang: 'da',
      summary: 'Udvalget får en status på, hvor langt den politiske følgegruppe er nået med bæredygtighedsarbejdet, og på planerne om et lokalt bæredygtighedscenter.',
      description: [
        'Med budgetaftalen for 2020–2023 blev der afsat 5 mio. kr. om året, i alt 20 mio. kr., til bæredygtighed i kommunen, blandt andet til et bæredygtighedscenter. En politisk følgegruppe følger og udvikler arbejdet.',
        'Følgegruppen har i det seneste halve år holdt dialogmøder med lokale virksomheder, uddannelsessteder, brancheorganisationer, NGO’er og eksperter og har hentet inspiration fra andre kommuner og centre.',
        'Centret skal arbejde inden for fire felter, der hænger sammen: virksomheder og iværksættere, uddannelse, borgere og Herning Kommune som organisation. Felterne vil udvikle sig i hver sit tempo.',
        'Planen er at åbne centret i efteråret 2020, når de nødvendige dokumenter er godkendt af byrådet. Tidsplanen afhænger af, hvordan situationen med covid-19 udvikler sig.',
        'Resten af 2020 vil følgegruppen fortsætte dialogen med lokale og nationale aktører, indgå partnerskaber og sætte relevante initiativer i gang.',
      ].join('\n\n'),
      recommendation: 'Kommunaldirektøren indstiller, at orienteringen tages til efterretning.',
      decision: 'Indstillingen er tiltrådt.',
      result: 'Taget til efterretning',
      case: {
        reference: '00.16.02-A00-1-19',
        caseType: 'Orientering',
        caseDate: '2020-04-27',
        caseOfficer: 'Anne Kristine Hundahl Mikkelsen',
        otherOfficers: ['Jørgen Krogh'],
        referralOrganisationIds: [oke.id],
      },
    });
    // The one closed item of the demo: outsiders see its title and nothing else.
    await addItem(db, actor, m.id, {
      number: '140',
      title: 'Lukket punkt: Forhandling om erhvervsareal (demo)',
      isPublic: false,
      lang: 'da',
      summary: 'Fortroligt demo-indhold: forhandlingsoplæg om et muligt salg af et erhvervsareal.',
      description: 'Fortroligt demo-indhold. Prisforventning og forhandlingsstrategi drøftes på et lukket møde.',
      recommendation: 'Fortroligt demo-indhold: at forhandlingsoplægget godkendes.',
      decision: 'Fortroligt demo-indhold: godkendt.',
      result: 'Godkendt',
    });
    await setPublication(db, actor, m.id, 'agenda', true, at('2020-04-21T12:00', 'Europe/Copenhagen'));
    await setPublication(db, actor, m.id, 'minutes', true, at('2020-04-28T12:00', 'Europe/Copenhagen'));
    created.push(m.id);
  }

  // --- The Swedish network's environmental-strategy working group ------------------
  const wg = await findOrganisation(db, DEMO_ORGANISATIONS.swedishWorkingGroup);
  const wgTitle = 'Arbetsgruppsmöte: uppföljning av miljömål och indikatorer';
  const wgStart = at('2020-09-10T09:30', 'Europe/Stockholm');
  if (!(await existing(db, wg.id, wgTitle, wgStart))) {
    const m = await createMeeting(db, actor, {
      title: wgTitle,
      lang: 'sv',
      startsAt: wgStart,
      endsAt: at('2020-09-10T12:00', 'Europe/Stockholm'),
      timeZone: 'Europe/Stockholm',
      state: 'held',
      locality: 'Vänersborg',
      room: 'Kommunhuset',
      onlinePlatform: 'Teams',
      description: 'Mötet ägnas åt hur kommunerna följer upp sina miljömål och vilka indikatorer som fungerar i praktiken.',
      organisationIds: [wg.id],
    });
    await addItem(db, actor, m.id, { number: '§ 1', title: 'Mötets öppnande och dagordning', lang: 'sv', decision: 'Dagordningen godkändes.', result: 'Godkänd' });
    const followUp = await addItem(db, actor, m.id, {
      number: '§ 2',
      title: 'Så följer Vänersborg upp sina miljömål',
      lang: 'sv',
      summary: 'Vänersborg berättar hur kommunen följer upp sina lokala miljömål och redovisar dem för nämnder och invånare.',
      description:
        'Vänersborg använder ett fåtal nyckelindikatorer per mål och redovisar dem varje år tillsammans med en kort bedömning av om utvecklingen går åt rätt håll. Underlaget finns som bilaga.',
      recommendation: 'Arbetsgruppen föreslås ta del av redovisningen och diskutera vad de andra kommunerna kan använda.',
      decision: 'Arbetsgruppen tackade för redovisningen. Flera kommuner vill använda samma upplägg i sin egen uppföljning.',
      result: 'Noterat',
    });
    await addItem(db, actor, m.id, {
      number: '§ 3',
      title: 'Gemensamma indikatorer för nätverkets kommuner',
      lang: 'sv',
      summary: 'Diskussion om en gemensam, kort lista med indikatorer som alla nätverkskommuner kan rapportera.',
      recommendation: 'Att ta fram ett förslag på gemensamma indikatorer till nästa möte.',
      decision: 'Projektledaren tar tillsammans med två kommuner fram ett förslag på gemensamma indikatorer till nästa möte.',
      result: 'Beslutat',
    });
    await addFile(
      db,
      storage,
      actor,
      m.id,
      {
        fileName: 'Uppfoljning-miljomal-Vanersborg.pdf',
        data: simplePdf(
          [
            [
              'Uppföljning av miljömål och indikatorer – Vänersborgs kommun',
              '',
              'Underlag till Miljöstrategisk arbetsgrupp, september 2020.',
              '',
              'Kommunen har sju lokala miljömål. Till varje mål hör två till fyra',
              'nyckelindikatorer, till exempel växthusgasutsläpp per invånare,',
              'andel förnybar energi i kommunens verksamheter och andel skyddad natur.',
              '',
              'Varje år samlas värdena in och bedöms med tre nivåer: på rätt väg,',
              'osäkert, inte på rätt väg. Bedömningen redovisas för nämnderna och',
              'publiceras för invånarna.',
              '',
              'Erfarenheter: få indikatorer ger en tydligare bild än många, och en',
              'kort skriftlig bedömning är lika viktig som själva siffrorna.',
            ],
          ],
          'Uppföljning av miljömål och indikatorer – Vänersborg',
        ),
      },
      { role: 'attachment', title: 'Uppföljningsdokument från Vänersborg', agendaItemId: followUp.id },
      max,
    );
    await addFile(
      db,
      storage,
      actor,
      m.id,
      {
        fileName: 'Minnesanteckningar-miljostrategisk-arbetsgrupp.pdf',
        data: simplePdf(
          [
            [
              'Minnesanteckningar – Miljöstrategisk arbetsgrupp',
              '',
              '§ 1 Dagordningen godkändes.',
              '§ 2 Vänersborg redovisade sin uppföljning av miljömål och indikatorer.',
              '§ 3 Ett förslag på gemensamma indikatorer tas fram till nästa möte.',
            ],
          ],
          'Minnesanteckningar',
        ),
      },
      { role: 'minutes', title: 'Minnesanteckningar' },
      max,
    );
    await recordDecisions(db, actor, m.id, { minutesNotes: 'Nästa möte hålls digitalt i november.', markHeld: true, items: [] });
    await setPublication(db, actor, m.id, 'agenda', true, at('2020-09-03T10:00', 'Europe/Stockholm'));
    await setPublication(db, actor, m.id, 'minutes', true, at('2020-09-17T10:00', 'Europe/Stockholm'));
    created.push(m.id);
  }
  return { created };
}
