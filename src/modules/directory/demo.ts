import { and, eq, isNull } from 'drizzle-orm';
import { systemActor } from '../../platform/audit.js';
import type { Database } from '../../platform/db/index.js';
import { commitments, commitmentSignatures, memberships, organisations, people, type OrgKind, type Role } from './schema.js';
import * as svc from './service.js';
import { createMembership } from './memberships.js';

/*
 * The demo directory: the networks, people and commitments of the five seed
 * documents, told as facts in our own words. Loading is idempotent: anything
 * whose slug already exists is left exactly as it is (it may be user data),
 * and links are only added when the same link is not there yet.
 */

type Org = {
  slug: string;
  name: string;
  kind: OrgKind;
  lang: 'sv' | 'nb' | 'da' | 'en';
  parent?: string;
  area?: { country: 'SE' | 'NO' | 'DK'; code: string };
  description?: string;
  website?: string;
  foundedOn?: string;
  endedOn?: string;
  shortName?: string;
};
type Person = { slug: string; name: string; title?: string; lang: 'sv' | 'nb' | 'da' | 'en' };
type Member = { org: string; person?: string; memberOrg?: string; role: Role; label?: string; behalf?: string; start?: string; end?: string };
type Commitment = { slug: string; title: string; lang: 'sv' | 'nb' | 'da' | 'en'; datedOn?: string; body: string; url?: string };
type Signature = { commitment: string; org: string; signedOn?: string; note?: string };

const ORGS: Org[] = [
  // Sweden: the regional municipal network (seed 000)
  { slug: 'kommunnatverket-for-hallbar-utveckling', name: 'Kommunnätverket för hållbar utveckling', kind: 'network', lang: 'sv',
    description: 'Ett regionalt nätverk där kommuner och andra aktörer samverkar för att stärka varje kommuns strategiska miljö- och hållbarhetsarbete, genom erfarenhetsutbyte, kompetensutveckling, arbetsgrupper och projekt.' },
  { slug: 'miljostrategisk-arbetsgrupp', name: 'Miljöstrategisk arbetsgrupp', kind: 'working_group', lang: 'sv', parent: 'kommunnatverket-for-hallbar-utveckling',
    description: 'Arbetsgruppen för miljömål och miljöstrategiskt arbete, bland annat uppföljning av miljömål med indikatorer.' },
  { slug: 'arbetsgrupp-miljokommunikation', name: 'Arbetsgrupp miljökommunikation', kind: 'working_group', lang: 'sv', parent: 'kommunnatverket-for-hallbar-utveckling' },
  { slug: 'arbetsgrupp-naturvard', name: 'Arbetsgrupp naturvård', kind: 'working_group', lang: 'sv', parent: 'kommunnatverket-for-hallbar-utveckling' },
  { slug: 'arbetsgrupp-transporter', name: 'Arbetsgrupp transporter', kind: 'working_group', lang: 'sv', parent: 'kommunnatverket-for-hallbar-utveckling' },
  { slug: 'arbetsgrupp-upphandling', name: 'Arbetsgrupp upphandling', kind: 'working_group', lang: 'sv', parent: 'kommunnatverket-for-hallbar-utveckling' },
  { slug: 'vanersborgs-kommun', name: 'Vänersborgs kommun', kind: 'municipality', lang: 'sv', area: { country: 'SE', code: '1487' } },
  { slug: 'lansstyrelsen-vastra-gotaland', name: 'Länsstyrelsen i Västra Götalands län', kind: 'agency', lang: 'sv' },
  { slug: 'trafikverket', name: 'Trafikverket', kind: 'agency', lang: 'sv' },
  { slug: 'energimyndigheten', name: 'Energimyndigheten', kind: 'agency', lang: 'sv' },
  { slug: 'miljostyrningsradet', name: 'Miljöstyrningsrådet', kind: 'agency', lang: 'sv' },
  { slug: 'vastra-gotalandsregionen', name: 'Västra Götalandsregionen', kind: 'region', lang: 'sv', area: { country: 'SE', code: '14' } },
  { slug: 'hallbar-utveckling-vast', name: 'Hållbar utveckling Väst', kind: 'ngo', lang: 'sv', shortName: 'HUV',
    description: 'Arrangerar bland annat webbinarier för kommuner, till exempel om verktyget PACT för att strategiskt driva energi- och klimatfrågor.' },
  { slug: 'chemsec', name: 'ChemSec, International Chemical Secretariat', kind: 'ngo', lang: 'en', shortName: 'ChemSec',
    description: 'An international organisation working for a toxic-free environment.' },
  // Norway: Bærekraftsnettverket and Bærekraftsløftet (seeds 001, 002)
  { slug: 'baerekraftsnettverket', name: 'Bærekraftsnettverket', kind: 'network', lang: 'nb',
    description: 'Et lærings- og samarbeidsnettverk for norske kommuner og fylkeskommuner som skal få fart på bærekraftig samfunnsomstilling og bidra til å nå FNs bærekraftsmål innen 2030. Nettverket bruker standardiserte måleverktøy som U4SSC.' },
  { slug: 'styringsgruppen-baerekraftsnettverket', name: 'Styringsgruppen for Bærekraftsnettverket', kind: 'steering_group', lang: 'nb', parent: 'baerekraftsnettverket' },
  { slug: 'sekretariatet-baerekraftsnettverket', name: 'Sekretariatet for Bærekraftsnettverket', kind: 'secretariat', lang: 'nb', parent: 'baerekraftsnettverket' },
  { slug: 'baerekraftsloftet', name: 'Bærekraftsløftet', kind: 'network', lang: 'nb',
    description: 'Et nasjonalt partnerskap mellom offentlig og privat sektor der kommunene er levende laboratorier. Arbeidet går i tre steg: kartlegging, mobilisering og endringsaktiviteter, med tyngdepunkt på regionalt nivå.' },
  { slug: 'baerekraftsloftet-kull-1-viken', name: 'Bærekraftsløftet kull 1 – Viken', kind: 'working_group', lang: 'nb', parent: 'baerekraftsloftet',
    description: 'Første kull av kommuner i Viken som prioriterer utfordringer og velger indikatorer med utgangspunkt i KS/SSB-taksonomien.' },
  { slug: 'ks', name: 'KS – Kommunesektorens organisasjon', kind: 'ngo', lang: 'nb', shortName: 'KS' },
  { slug: 'nho', name: 'NHO', kind: 'ngo', lang: 'nb' },
  { slug: 'lo', name: 'LO', kind: 'ngo', lang: 'nb' },
  { slug: 'u4ssc', name: 'United for Smart and Sustainable Cities (U4SSC)', kind: 'network', lang: 'en', shortName: 'U4SSC' },
  { slug: 'molde-kommune', name: 'Molde kommune', kind: 'municipality', lang: 'nb', area: { country: 'NO', code: '1506' } },
  { slug: 'baerum-kommune', name: 'Bærum kommune', kind: 'municipality', lang: 'nb', area: { country: 'NO', code: '3201' } },
  { slug: 'asker-kommune', name: 'Asker kommune', kind: 'municipality', lang: 'nb', area: { country: 'NO', code: '3203' } },
  { slug: 'tromso-kommune', name: 'Tromsø kommune', kind: 'municipality', lang: 'nb', area: { country: 'NO', code: '5501' } },
  { slug: 'trondheim-kommune', name: 'Trondheim kommune', kind: 'municipality', lang: 'nb', area: { country: 'NO', code: '5001' } },
  { slug: 'kristiansand-kommune', name: 'Kristiansand kommune', kind: 'municipality', lang: 'nb', area: { country: 'NO', code: '4204' } },
  { slug: 'hurdal-kommune', name: 'Hurdal kommune', kind: 'municipality', lang: 'nb', area: { country: 'NO', code: '3242' } },
  { slug: 'indre-ostfold-kommune', name: 'Indre Østfold kommune', kind: 'municipality', lang: 'nb', area: { country: 'NO', code: '3118' } },
  { slug: 'trondelag-fylkeskommune', name: 'Trøndelag fylkeskommune', kind: 'county', lang: 'nb', area: { country: 'NO', code: '50' } },
  // Viken was split up at the start of 2024.
  { slug: 'viken-fylkeskommune', name: 'Viken fylkeskommune', kind: 'county', lang: 'nb', area: { country: 'NO', code: '30' }, foundedOn: '2020', endedOn: '2023-12-31' },
  // Sweden: Växjö and its international networks (seed 003)
  { slug: 'vaxjo-kommun', name: 'Växjö kommun', kind: 'municipality', lang: 'sv', area: { country: 'SE', code: '0780' } },
  { slug: 'organic-cities-network-europe', name: 'Organic Cities Network Europe', kind: 'network', lang: 'en',
    description: 'A network of cities promoting organic farming, organic food production and the consumption of organic food. Its office is in Brussels.' },
  { slug: 'energy-cities', name: 'Energy Cities', kind: 'network', lang: 'en',
    description: 'A thematic network of cities working on energy: renewable energy, energy efficiency and the planning of sustainable energy systems.' },
  { slug: 'iclei', name: 'ICLEI – Local Governments for Sustainability', kind: 'network', lang: 'en', shortName: 'ICLEI', foundedOn: '1990',
    description: 'A global network of cities and local governments working for a sustainable future, representing local governments in UN negotiations on the environment.' },
  { slug: 'union-of-the-baltic-cities', name: 'Union of the Baltic Cities', kind: 'network', lang: 'en', shortName: 'UBC',
    description: 'An association of cities around the Baltic Sea that develops practical cooperation projects between its members.' },
  { slug: 'reves', name: 'REVES', kind: 'network', lang: 'en',
    description: 'A network bringing local and regional authorities together with actors of the social economy, for partnerships and common policy on sustainable local development and social inclusion.' },
  // Denmark: Herning (seed 004)
  { slug: 'herning-kommune', name: 'Herning Kommune', kind: 'municipality', lang: 'da', area: { country: 'DK', code: '657' } },
  { slug: 'herning-byradet', name: 'Byrådet i Herning', kind: 'committee', lang: 'da', parent: 'herning-kommune' },
  { slug: 'okonomi-og-erhvervsudvalget', name: 'Økonomi- og Erhvervsudvalget', kind: 'committee', lang: 'da', parent: 'herning-kommune', shortName: 'ØKE' },
  { slug: 'politisk-folgegruppe-baeredygtighed', name: 'Politisk følgegruppe for bæredygtighed', kind: 'political_group', lang: 'da', parent: 'herning-kommune',
    description: 'Følger og udvikler kommunens arbejde med bæredygtighed, herunder etableringen af et lokalt bæredygtighedscenter. Gruppen holder dialogmøder med virksomheder, uddannelsesinstitutioner, organisationer og eksperter.' },
];

const PEOPLE: Person[] = [
  { slug: 'nardono-nimpuno', name: 'Nardono Nimpuno', title: 'Verksamhetsledare, Hållbar utveckling Väst', lang: 'sv' },
  { slug: 'marianne-stokkereit-aasen', name: 'Marianne Stokkereit Aasen', title: 'Kommunedirektør, Molde kommune', lang: 'nb' },
  { slug: 'kirsten-indgjerd-vaerdal', name: 'Kirsten Indgjerd Værdal', lang: 'nb' },
  { slug: 'terje-trovik', name: 'Terje Trovik', lang: 'nb' },
  { slug: 'bente-bjerknes', name: 'Bente Bjerknes', lang: 'nb' },
  { slug: 'lars-bjerke', name: 'Lars Bjerke', lang: 'nb' },
  { slug: 'stig-tore-johnsen', name: 'Stig Tore Johnsen', lang: 'nb' },
  { slug: 'morten-wolden', name: 'Morten Wolden', lang: 'nb' },
  { slug: 'bernt-jorgen-stray', name: 'Bernt Jørgen Stray', lang: 'nb' },
  { slug: 'anne-romsaas', name: 'Anne Romsaas', lang: 'nb' },
  { slug: 'andreas-stangenes', name: 'Andreas Stangenes', title: 'Nettverkskoordinator, KS', lang: 'nb' },
  { slug: 'linda-dalene-bjerke', name: 'Linda Dalene Bjerke', title: 'Prosjektleder', lang: 'nb' },
  { slug: 'lisa-rohrhirsch', name: 'Lisa Rohrhirsch', lang: 'nb' },
  { slug: 'lisbeth-skjeldrum', name: 'Lisbeth Skjeldrum', lang: 'nb' },
  { slug: 'rasmus-glomsrud', name: 'Rasmus Glomsrud', lang: 'nb' },
  { slug: 'magnus-p-wahlin', name: 'Magnus P Wåhlin (MP)', lang: 'sv' },
  { slug: 'bo-frank', name: 'Bo Frank (M)', title: 'Kommunfullmäktiges ordförande, Växjö kommun', lang: 'sv' },
  { slug: 'cheryl-jones-fur', name: 'Cheryl Jones Fur (MP)', lang: 'sv' },
  { slug: 'anne-kristine-hundahl-mikkelsen', name: 'Anne Kristine Hundahl Mikkelsen', title: 'Sagsbehandler, Herning Kommune', lang: 'da' },
  { slug: 'jorgen-krogh', name: 'Jørgen Krogh', title: 'Sagsbehandler, Herning Kommune', lang: 'da' },
];

const MEMBERS: Member[] = [
  // Swedish network
  { org: 'kommunnatverket-for-hallbar-utveckling', memberOrg: 'vanersborgs-kommun', role: 'member' },
  ...['lansstyrelsen-vastra-gotaland', 'trafikverket', 'energimyndigheten', 'miljostyrningsradet', 'vastra-gotalandsregionen'].map(
    (o): Member => ({ org: 'kommunnatverket-for-hallbar-utveckling', memberOrg: o, role: 'partner', label: 'Samverkanspartner' }),
  ),
  { org: 'miljostrategisk-arbetsgrupp', memberOrg: 'vanersborgs-kommun', role: 'member' },
  { org: 'hallbar-utveckling-vast', person: 'nardono-nimpuno', role: 'coordinator', label: 'Verksamhetsledare' },
  { org: 'chemsec', person: 'nardono-nimpuno', role: 'advisor', label: 'Senior Policy Advisor', end: '2020' },
  // Bærekraftsnettverket: steering group, members, coordinator
  { org: 'styringsgruppen-baerekraftsnettverket', person: 'marianne-stokkereit-aasen', role: 'chair', behalf: 'molde-kommune' },
  { org: 'styringsgruppen-baerekraftsnettverket', person: 'kirsten-indgjerd-vaerdal', role: 'member', behalf: 'trondelag-fylkeskommune' },
  { org: 'styringsgruppen-baerekraftsnettverket', person: 'terje-trovik', role: 'member', behalf: 'baerum-kommune' },
  { org: 'styringsgruppen-baerekraftsnettverket', person: 'bente-bjerknes', role: 'member', behalf: 'viken-fylkeskommune', end: '2023-12-31' },
  { org: 'styringsgruppen-baerekraftsnettverket', person: 'lars-bjerke', role: 'member', behalf: 'asker-kommune' },
  { org: 'styringsgruppen-baerekraftsnettverket', person: 'stig-tore-johnsen', role: 'member', behalf: 'tromso-kommune' },
  { org: 'styringsgruppen-baerekraftsnettverket', person: 'morten-wolden', role: 'member', behalf: 'trondheim-kommune' },
  { org: 'styringsgruppen-baerekraftsnettverket', person: 'bernt-jorgen-stray', role: 'member', behalf: 'kristiansand-kommune' },
  { org: 'styringsgruppen-baerekraftsnettverket', person: 'anne-romsaas', role: 'member', behalf: 'ks' },
  { org: 'baerekraftsnettverket', person: 'andreas-stangenes', role: 'coordinator', label: 'Nettverkskoordinator', behalf: 'ks' },
  { org: 'sekretariatet-baerekraftsnettverket', person: 'andreas-stangenes', role: 'coordinator', behalf: 'ks' },
  ...['molde-kommune', 'baerum-kommune', 'asker-kommune', 'tromso-kommune', 'trondheim-kommune', 'kristiansand-kommune', 'trondelag-fylkeskommune'].map(
    (o): Member => ({ org: 'baerekraftsnettverket', memberOrg: o, role: 'member' }),
  ),
  { org: 'baerekraftsnettverket', memberOrg: 'viken-fylkeskommune', role: 'member', end: '2023-12-31' },
  { org: 'baerekraftsnettverket', memberOrg: 'u4ssc', role: 'partner', label: 'Første kommunebaserte implementeringsprogram for U4SSC' },
  // Bærekraftsløftet
  ...['baerekraftsnettverket', 'ks', 'nho', 'lo'].map((o): Member => ({ org: 'baerekraftsloftet', memberOrg: o, role: 'partner', label: 'Initiativtaker' })),
  { org: 'baerekraftsloftet-kull-1-viken', memberOrg: 'hurdal-kommune', role: 'member' },
  { org: 'baerekraftsloftet-kull-1-viken', memberOrg: 'indre-ostfold-kommune', role: 'member' },
  { org: 'baerekraftsloftet-kull-1-viken', person: 'linda-dalene-bjerke', role: 'project_leader' },
  { org: 'baerekraftsloftet-kull-1-viken', person: 'lisa-rohrhirsch', role: 'representative', behalf: 'hurdal-kommune' },
  { org: 'baerekraftsloftet-kull-1-viken', person: 'lisbeth-skjeldrum', role: 'representative', behalf: 'indre-ostfold-kommune' },
  { org: 'baerekraftsloftet-kull-1-viken', person: 'rasmus-glomsrud', role: 'representative', behalf: 'indre-ostfold-kommune' },
  // Växjö's international networks
  { org: 'organic-cities-network-europe', memberOrg: 'vaxjo-kommun', role: 'member', label: 'Founding member', start: '2018' },
  { org: 'organic-cities-network-europe', person: 'magnus-p-wahlin', role: 'representative', behalf: 'vaxjo-kommun' },
  { org: 'energy-cities', memberOrg: 'vaxjo-kommun', role: 'member' },
  { org: 'energy-cities', person: 'bo-frank', role: 'board_member', label: 'Vice president', behalf: 'vaxjo-kommun' },
  { org: 'iclei', memberOrg: 'vaxjo-kommun', role: 'member' },
  { org: 'iclei', person: 'cheryl-jones-fur', role: 'board_member', behalf: 'vaxjo-kommun', start: '2019-02' },
  { org: 'union-of-the-baltic-cities', memberOrg: 'vaxjo-kommun', role: 'member' },
  { org: 'union-of-the-baltic-cities', memberOrg: 'vaxjo-kommun', role: 'board_member', label: 'Representerad i styrelsen', start: '2017', end: '2019' },
  { org: 'reves', memberOrg: 'vaxjo-kommun', role: 'member' },
  // Herning
  { org: 'herning-kommune', person: 'anne-kristine-hundahl-mikkelsen', role: 'advisor', label: 'Sagsbehandler' },
  { org: 'herning-kommune', person: 'jorgen-krogh', role: 'advisor', label: 'Sagsbehandler' },
];

const COMMITMENTS: Commitment[] = [
  { slug: 'covenant-of-mayors', title: 'Covenant of Mayors (Borgmästaravtalet)', lang: 'en', datedOn: '2008',
    body: 'Signatories commit to go further than the EU climate targets in cutting fossil carbon dioxide emissions, through more efficient energy use and cleaner energy production.' },
  { slug: 'mayors-adapt', title: 'Mayors Adapt', lang: 'en', datedOn: '2014',
    body: 'The European Commission’s initiative of 2014 for municipal engagement in adapting Europe to climate change.' },
  { slug: 'mayors-letter-climate-2050', title: 'Mayors Letter to leaders on ambitious Climate 2050 goals', lang: 'en',
    body: 'An appeal by mayors to political leaders for more ambitious climate targets for 2050.' },
  { slug: 'stavangererklaeringen', title: 'Stavangererklæringen', lang: 'nb', datedOn: '2019',
    body: 'Kommuner og fylkeskommuner vil samarbeide med FN for å gi alle kunnskap om status på bærekraftsmålene i sitt lokalsamfunn, utvikle planer som viser hvordan målene skal nås, mobilisere og støtte innbyggere, næringsliv, organisasjoner og akademia, og måle og evaluere effekten av innsatsen.' },
];

const SIGNATURES: Signature[] = [
  { commitment: 'covenant-of-mayors', org: 'vaxjo-kommun', signedOn: '2008' },
  { commitment: 'mayors-adapt', org: 'vaxjo-kommun', signedOn: '2014-08' },
  { commitment: 'mayors-letter-climate-2050', org: 'vaxjo-kommun' },
  { commitment: 'stavangererklaeringen', org: 'baerekraftsnettverket', signedOn: '2019', note: 'Nettverket er forankret i erklæringen' },
];

export type DemoReport = { created: number; skipped: number };

export async function seedDirectoryDemo(db: Database): Promise<DemoReport> {
  const actor = systemActor('demo data');
  const report: DemoReport = { created: 0, skipped: 0 };
  const orgId = new Map<string, string>();
  const personId = new Map<string, string>();

  const existingOrg = async (slug: string) => (await db.orm.select({ id: organisations.id }).from(organisations).where(eq(organisations.slug, slug)).limit(1))[0]?.id;

  for (const o of ORGS) {
    let id = await existingOrg(o.slug);
    if (id) {
      report.skipped++;
    } else {
      const row = await svc.createOrganisation(db, actor, {
        slug: o.slug, name: o.name, shortName: o.shortName, kind: o.kind, lang: o.lang, parentId: o.parent ? orgId.get(o.parent) : null,
        country: o.area?.country, areaCode: o.area?.code, description: o.description ?? '', website: o.website, foundedOn: o.foundedOn,
      });
      if (o.endedOn) await svc.endOrganisation(db, actor, row.id, o.endedOn);
      id = row.id;
      report.created++;
    }
    orgId.set(o.slug, id);
  }

  for (const p of PEOPLE) {
    let [row] = await db.orm.select({ id: people.id }).from(people).where(eq(people.slug, p.slug)).limit(1);
    if (row) report.skipped++;
    else {
      row = await svc.createPerson(db, actor, { slug: p.slug, name: p.name, title: p.title, lang: p.lang });
      report.created++;
    }
    personId.set(p.slug, row.id);
  }

  for (const m of MEMBERS) {
    const organisationId = orgId.get(m.org)!;
    const pid = m.person ? personId.get(m.person)! : null;
    const mid = m.memberOrg ? orgId.get(m.memberOrg)! : null;
    const [dup] = await db.orm
      .select({ id: memberships.id })
      .from(memberships)
      .where(
        and(
          eq(memberships.organisationId, organisationId),
          eq(memberships.role, m.role),
          pid ? eq(memberships.personId, pid) : isNull(memberships.personId),
          mid ? eq(memberships.memberOrganisationId, mid) : isNull(memberships.memberOrganisationId),
        ),
      )
      .limit(1);
    if (dup) {
      report.skipped++;
      continue;
    }
    await createMembership(db, actor, {
      organisationId, personId: pid, memberOrganisationId: mid, role: m.role, label: m.label,
      onBehalfOfId: m.behalf ? orgId.get(m.behalf) : null, startDate: m.start, endDate: m.end,
    });
    report.created++;
  }

  const commitmentId = new Map<string, string>();
  for (const c of COMMITMENTS) {
    let [row] = await db.orm.select({ id: commitments.id }).from(commitments).where(eq(commitments.slug, c.slug)).limit(1);
    if (row) report.skipped++;
    else {
      row = await svc.createCommitment(db, actor, { slug: c.slug, title: c.title, lang: c.lang, datedOn: c.datedOn, body: c.body, url: c.url });
      report.created++;
    }
    commitmentId.set(c.slug, row.id);
  }

  for (const s of SIGNATURES) {
    const cid = commitmentId.get(s.commitment)!;
    const oid = orgId.get(s.org)!;
    const [dup] = await db.orm
      .select({ id: commitmentSignatures.id })
      .from(commitmentSignatures)
      .where(and(eq(commitmentSignatures.commitmentId, cid), eq(commitmentSignatures.organisationId, oid)))
      .limit(1);
    if (dup) {
      report.skipped++;
      continue;
    }
    await svc.signCommitment(db, actor, cid, { organisationId: oid, signedOn: s.signedOn, note: s.note });
    report.created++;
  }
  return report;
}
