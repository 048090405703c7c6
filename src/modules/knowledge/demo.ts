/**
 * Demo content from the seeds, in their own words: the network page's news (seed 000),
 * the PACT webinar with its recording and material, the 15 June gathering of
 * Bærekraftsløftet kull 1 with the Hurdal and Indre Østfold presentations (seed 001),
 * and a practice from Hurdal. Written through the services (so it is audited and
 * indexed like anything a user writes). Idempotent: records found by title are skipped.
 *
 * The seeds give no years: the webinar is placed on 3 September 2020 and the gathering
 * on 15 June 2022 (while Viken existed and kull 1 ran). The recording's address is not
 * in the seed either; the demo links to the organiser's own website instead.
 */
import { and, eq } from 'drizzle-orm';
import { systemActor, type Actor } from '../../platform/audit.js';
import type { Database } from '../../platform/db/index.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { directory } from '../directory/index.js';
import { addFile, addItem, publishEvent, saveEvent, setRecording } from './events.js';
import { publishNews, saveNews } from './news.js';
import { reviewPractice, savePractice } from './practices.js';
import { events, news, practices } from './schema.js';

const org = async (db: Database, slug: string) => (await directory.getOrganisation(db.orm, slug)).id;
const person = async (db: Database, slug: string) => (await directory.getPerson(db.orm, slug).catch(() => null))?.id ?? null;

export async function seedKnowledgeDemo(db: Database, opts: { storage: FileStorage; actor?: Actor }): Promise<{ created: string[] }> {
  const actor = opts.actor ?? systemActor('demo');
  const created: string[] = [];
  const huv = await org(db, 'hallbar-utveckling-vast');
  const network = await org(db, 'kommunnatverket-for-hallbar-utveckling');
  const group = await org(db, 'miljostrategisk-arbetsgrupp');
  const kull = await org(db, 'baerekraftsloftet-kull-1-viken');
  const loftet = await org(db, 'baerekraftsloftet');
  const hurdal = await org(db, 'hurdal-kommune');
  const indre = await org(db, 'indre-ostfold-kommune');

  const hasNews = async (title: string) => (await db.orm.select({ id: news.id }).from(news).where(eq(news.title, title)).limit(1)).length > 0;
  const article = async (title: string, organisationId: string, publishedAt: string, lead: string, body: string, extra: { sdgGoals?: number[]; topics?: string[] } = {}) => {
    if (await hasNews(title)) return;
    const n = await saveNews(db, opts.storage, actor, null, { organisationId, title, lead, body, lang: 'sv', authorName: 'Kommunnätverket för hållbar utveckling', ...extra }, { maxBytes: 1 });
    await publishNews(db, actor, n.id, { publish: true, publishedAt });
    created.push(`news: ${title}`);
  };

  // --- The PACT webinar (seed 000) --------------------------------------------------
  const pactTitle = 'Webbinarium om PACT - ett verktyg för att strategiskt driva energi och klimatfrågor';
  let [pact] = await db.orm.select().from(events).where(eq(events.title, pactTitle)).limit(1);
  if (!pact) {
    pact = await saveEvent(db, actor, null, {
      kind: 'webinar',
      title: pactTitle,
      description:
        'Hållbar utveckling Väst genomför tillsammans med Daxam sustainability services och Klimatkommunerna ett webbinarium om PACT (Performance Acceleration through Capacity Transformation), ett verktyg som kan hjälpa till att driva energi och klimatfrågorna på ett strategiskt sätt i kommuner.',
      lang: 'sv',
      startsAt: new Date('2020-09-03T08:00:00Z'),
      endsAt: new Date('2020-09-03T09:30:00Z'),
      timeZone: 'Europe/Stockholm',
      onlineUrl: 'https://www.hallbarutvecklingvast.se/',
      organisationIds: [huv],
      sdgGoals: [7, 13],
      topics: ['energi', 'klimat'],
    });
    await addItem(db, actor, pact.id, { title: 'PACT: Performance Acceleration through Capacity Transformation', speakerName: 'Daxam sustainability services' });
    await addItem(db, actor, pact.id, { title: 'Erfarenheter från Klimatkommunerna', speakerName: 'Klimatkommunerna' });
    await addFile(
      db,
      opts.storage,
      actor,
      pact.id,
      {
        fileName: 'pact-material.txt',
        data: new TextEncoder().encode(
          'Material från webbinariet om PACT den 3 september.\n\nPACT (Performance Acceleration through Capacity Transformation) är ett verktyg som kan hjälpa till att driva energi- och klimatfrågorna på ett strategiskt sätt i kommuner. Webbinariet genomfördes av Hållbar utveckling Väst tillsammans med Daxam sustainability services och Klimatkommunerna.\n',
        ),
      },
      { role: 'material', title: 'Material från webbinariet' },
      1_000_000,
    );
    await publishEvent(db, actor, pact.id, { publish: true });
    await setRecording(db, actor, pact.id, { recordingUrl: 'https://www.hallbarutvecklingvast.se/' });
    created.push('event: PACT webinar');
  }

  // --- News on the network page (seed 000) --------------------------------------------
  await article(
    'Nya minnesanteckningar Miljöstrategisk arbetsgrupp',
    group,
    '2020-09-10T08:00:00Z',
    'Nu finns nya minnesanteckningar från den miljöstrategiska arbetsgruppens senaste möte med fokus på miljömålsuppföljning/indikatorer.',
    'Minnesanteckningar samt uppföljningsdokument från Vänersborg hittar ni under arbetsgruppsmöten under den miljöstrategiska arbetsgruppens sida.',
    { topics: ['miljömål', 'indikatorer'] },
  );
  await article(
    'Nardono Nimpuno ny verksamhetsledare på HUV',
    huv,
    '2020-09-05T08:00:00Z',
    'Nardono Nimpuno börjar som ny verksamhetsledare på Hållbar utveckling Väst i slutet av september.',
    'Han kommer närmast från en tjänst som Senior Policy Advisor vid ChemSec, International Chemical Secretariat, en internationell organisation för en giftfri miljö.',
  );
  await article(
    'Webbinarium om PACT - ett verktyg för att strategiskt driva energi och klimatfrågor',
    network,
    '2020-09-04T08:00:00Z',
    'Den 3 september genomförde Hållbar utveckling Väst tillsammans med Daxam sustainability services och Klimatkommunerna ett webbinarium om PACT.',
    `<p>PACT (Performance Acceleration through Capacity Transformation) är ett verktyg som kan hjälpa till att driva energi och klimatfrågorna på ett strategiskt sätt i kommuner.</p><p>Om du missade webbinariet kan du både se det inspelade webbinariet och ta del av materialet på <a href="/events/${pact.id}">webbinariets sida</a>.</p>`,
    { sdgGoals: [7, 13], topics: ['energi', 'klimat'] },
  );

  // --- The 15 June gathering (seed 001) -------------------------------------------------
  const gatheringTitle = 'Samling for kull 1 i Bærekraftsløftet';
  const [gathering] = await db.orm.select({ id: events.id }).from(events).where(eq(events.title, gatheringTitle)).limit(1);
  if (!gathering) {
    const g = await saveEvent(db, actor, null, {
      kind: 'gathering',
      title: gatheringTitle,
      description:
        'På samlingen er det satt av tid til erfaringsutveksling og drøfting over hvilke områder kommunene ønsker å prioritere og å finne egnede indikatorer, med utgangspunkt i KS/SSB-taksonomien.\n\nEt alltid vellykket innslag er når enkeltkommuner selv får tid til å presentere sitt arbeid. «Noens» beste praksis er godt utgangspunkt for andres «neste» praksis.',
      lang: 'nb',
      startsAt: new Date('2022-06-15T07:00:00Z'),
      endsAt: new Date('2022-06-15T13:00:00Z'),
      timeZone: 'Europe/Oslo',
      place: 'Viken',
      organisationIds: [kull, loftet],
      sdgGoals: [11, 17],
      topics: ['indikatorer', 'prioritering'],
    });
    await addItem(db, actor, g.id, { title: 'Erfaringsutveksling: hvilke områder vil kommunene prioritere, og hvilke indikatorer passer?' });
    await addItem(db, actor, g.id, { title: 'Slik jobber Hurdal', speakerName: 'Lisa Rohrhirsch', speakerPersonId: await person(db, 'lisa-rohrhirsch'), speakerOrganisationId: hurdal });
    await addItem(db, actor, g.id, { title: 'Slik jobber Indre Østfold', speakerName: 'Lisbeth Skjeldrum og Rasmus Glomsrud', speakerPersonId: await person(db, 'lisbeth-skjeldrum'), speakerOrganisationId: indre });
    await addItem(db, actor, g.id, { title: 'Relevante og supplerende tilbud fra Viken fylkeskommune og KS' });
    await publishEvent(db, actor, g.id, { publish: true });
    created.push('event: 15 June gathering');
  }

  // --- A practice from Hurdal (seed 001's words) ----------------------------------------
  const practiceTitle = 'Kartlegging, mobilisering og endringsaktiviteter i Hurdal';
  const [p] = await db.orm.select({ id: practices.id }).from(practices).where(and(eq(practices.title, practiceTitle))).limit(1);
  if (!p) {
    const row = await savePractice(db, actor, null, {
      title: practiceTitle,
      lang: 'nb',
      organisationIds: [hurdal],
      reviewerOrgId: loftet,
      themes: ['bærekraftsarbeid', 'indikatorer'],
      sdgTargets: ['11', '17.17'],
      startingPoint: 'Mange opplever at allerede etablerte satsingsområder favner bredt og at det er mye å ta tak i. Det må derfor prioriteres hva kommunen vil jobbe med i Bærekraftsløftet i første omgang.',
      whatWasDone:
        'Bærekraftsløftet kan kort oppsummeres med tre ord: kartlegging – mobilisering – endringsaktiviteter. Målet er å løfte prioriterte utfordringer for kommunen opp og ut slik at næringsliv og andre relevante aktører kan bli med for å løse dem. Med utgangspunkt i KS/SSB-taksonomien finner kommunen frem til de indikatorene det passer best å starte med.',
      whoWasInvolved: 'Et bredt mangfold av roller: samfunnsplanleggere, økonomiansvarlige, næringsrådgivere, analytikere, fag, innkjøp og innovasjonsrådgivere. Flere kommer til etter hvert som arbeidet skrider frem mot kartlegging av aktører som kan bidra i problemløsing.',
      periodStart: 2022,
      lessons: 'Forankring er avgjørende. Relevante aktører hjemme i egen kommune må kobles på og involveres når det er naturlig og nødvendig.',
      transfer: '«Noens» beste praksis er godt utgangspunkt for andres «neste» praksis: selv om kommuner er ulike, er utfordringene og mulighetene ofte de samme.',
      contacts: 'Lisa Rohrhirsch, Hurdal kommune',
      indicators: [{ code: 'demo-ghg-per-capita', group: 'demo-seed-municipalities' }],
    });
    await reviewPractice(db, actor, row.id, { decision: 'publish', note: '' });
    created.push('practice: Hurdal');
  }
  return { created };
}
