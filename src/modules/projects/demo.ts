/**
 * Demo projects in the project's own words: Växjö's three projects from its
 * page on networks and projects (seed 003) and Herning's sustainability budget
 * from the budget agreement 2020–2023 (seed 004), linked to agenda item 139 of
 * Økonomi- og Erhvervsudvalget where the meetings demo holds it, and to the four actions of
 * Herning's plan "Bæredygtighedscenter i Herning" where the plans demo holds it (the demo loader
 * therefore seeds plans first).
 *
 * The seeds name funders but give no amounts for Växjö's projects, so their
 * funding sources carry no amounts rather than invented ones. SDG targets are
 * our reading of each project's aim. Idempotent: a project whose slug exists is
 * left alone, and organisations are looked up by slug before being created.
 */
import { eq } from 'drizzle-orm';
import { systemActor } from '../../platform/audit.js';
import type { Database } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import { directory } from '../directory/index.js';
import { listMeetings, publicMeetingView } from '../meetings/index.js';
import { plans } from '../plans/index.js';
import { projects } from './schema.js';
import { createProject } from './service.js';

type OrgSpec = { slug: string; name: string; kind: 'municipality' | 'agency' | 'steering_group' | 'ngo'; shortName?: string; areaCode?: string; description?: string };

const ORGS: OrgSpec[] = [
  { slug: 'alvesta-kommun', name: 'Alvesta kommun', kind: 'municipality', areaCode: '0764' },
  { slug: 'tingsryds-kommun', name: 'Tingsryds kommun', kind: 'municipality', areaCode: '0763' },
  { slug: 'lessebo-kommun', name: 'Lessebo kommun', kind: 'municipality', areaCode: '0761' },
  { slug: 'uppvidinge-kommun', name: 'Uppvidinge kommun', kind: 'municipality', areaCode: '0760' },
  { slug: 'almhults-kommun', name: 'Älmhults kommun', kind: 'municipality', areaCode: '0765' },
  { slug: 'ljungby-kommun', name: 'Ljungby kommun', kind: 'municipality', areaCode: '0781' },
  { slug: 'markaryds-kommun', name: 'Markaryds kommun', kind: 'municipality', areaCode: '0767' },
  { slug: 'arbetsformedlingen', name: 'Arbetsförmedlingen', kind: 'agency' },
  { slug: 'forsakringskassan', name: 'Försäkringskassan', kind: 'agency' },
  { slug: 'samordningsforbundet-varend', name: 'Samordningsförbundet Värend', kind: 'agency' },
  { slug: 'arbetsmarknadssamverkan', name: 'Arbetsmarknadssamverkan', kind: 'steering_group' },
  { slug: 'europeiska-socialfonden', name: 'Europeiska socialfonden', kind: 'agency', shortName: 'ESF', description: 'EU:s fond för sysselsättning och social inkludering.' },
  { slug: 'lansstyrelsen-kronoberg', name: 'Länsstyrelsen i Kronobergs län', kind: 'agency' },
];

async function ensureOrg(db: Database, spec: OrgSpec): Promise<string> {
  try {
    return (await directory.getOrganisation(db.orm, spec.slug)).id;
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  const o = await directory.createOrganisation(db, systemActor('demo data'), {
    slug: spec.slug, name: spec.name, kind: spec.kind, lang: 'sv', shortName: spec.shortName, description: spec.description ?? '',
    ...(spec.areaCode ? { country: 'SE', areaCode: spec.areaCode } : {}),
  });
  return o.id;
}

/** The link to Herning's agenda item 139, if the meetings demo (or anyone) recorded it. */
async function item139(db: Database): Promise<{ title: string; url: string } | null> {
  let committee: string;
  try {
    committee = (await directory.getOrganisation(db.orm, 'okonomi-og-erhvervsudvalget')).id;
  } catch {
    return null;
  }
  const { items } = await listMeetings(db.orm, { organisationIds: [committee], when: 'all', pageSize: 200 });
  for (const { meeting } of items) {
    if (meeting.startsAt.toISOString().slice(0, 10) !== '2020-04-27') continue;
    const v = await publicMeetingView(db.orm, meeting);
    const it = v.items.find((x) => x.number === '139');
    if (it) return { title: `Punkt 139, Økonomi- og Erhvervsudvalget 27. april 2020: ${it.title}`, url: `/meetings/${meeting.id}/items/${it.id}` };
  }
  return null;
}

export async function seedProjectsDemo(db: Database): Promise<{ created: string[] }> {
  const actor = systemActor('demo data');
  const id = new Map<string, string>();
  for (const s of ORGS) id.set(s.slug, await ensureOrg(db, s));
  for (const slug of ['vaxjo-kommun', 'herning-kommune', 'politisk-folgegruppe-baeredygtighed']) {
    try {
      id.set(slug, (await directory.getOrganisation(db.orm, slug)).id);
    } catch {
      /* the directory demo was not loaded: the projects that need it are skipped */
    }
  }
  const o = (slug: string) => id.get(slug)!;
  const created: string[] = [];
  const exists = async (slug: string) => (await db.orm.select({ id: projects.id }).from(projects).where(eq(projects.slug, slug)).limit(1)).length > 0;
  const kronoberg = ['alvesta-kommun', 'tingsryds-kommun', 'lessebo-kommun', 'uppvidinge-kommun', 'almhults-kommun', 'ljungby-kommun'];

  if (id.has('vaxjo-kommun') && !(await exists('spik'))) {
    await createProject(db, actor, {
      slug: 'spik',
      name: 'Sammansatt problematik i Kronobergs län',
      acronym: 'SPiK',
      lang: 'sv',
      description:
        'Sammansatt problematik i Kronobergs län (SPiK) är ett samverkansprojekt som finansieras med stöd från Europeiska socialfonden (ESF). Projektägare är Växjö kommun, med Arbetsmarknadssamverkan som styrgrupp.',
      objectives: 'Projektet ska leda till att fler kvinnor och män som står särskilt långt ifrån arbetsmarknaden ska komma i arbete, utbildning eller närmare arbetsmarknaden.',
      targetGroup: 'Kvinnor och män som står särskilt långt ifrån arbetsmarknaden.',
      ownerOrgId: o('vaxjo-kommun'),
      coordinatorOrgId: o('vaxjo-kommun'),
      state: 'ended',
      startDate: '2020-08-03',
      endDate: '2022-12-31',
      partners: [
        { organisationId: o('arbetsmarknadssamverkan'), role: 'steering_group' },
        ...kronoberg.map((s) => ({ organisationId: o(s), role: 'partner' })),
        ...['arbetsformedlingen', 'forsakringskassan', 'samordningsforbundet-varend'].map((s) => ({ organisationId: o(s), role: 'partner' })),
      ],
      milestones: [
        { kind: 'phase', title: 'Operativt deltagararbete', startDate: '2021-02-01', dueDate: '2022-10-31' },
        { kind: 'deadline', title: 'Projektet avslutas', dueDate: '2022-12-31' },
      ],
      sdgTargets: ['8.5', '10.2'],
      funding: [{ funderOrgId: o('europeiska-socialfonden'), programme: 'Europeiska socialfonden (ESF)' }],
    });
    created.push('spik');
  }

  if (id.has('vaxjo-kommun') && !(await exists('etableringssamverkan-kronoberg-2'))) {
    await createProject(db, actor, {
      slug: 'etableringssamverkan-kronoberg-2',
      name: 'Etableringssamverkan Kronoberg 2',
      lang: 'sv',
      description:
        'Etableringssamverkan Kronoberg 2 är ett samverkansprojekt mellan Arbetsförmedlingen och kommunerna i Kronobergs län. Markaryd har deltagit fram till och med januari 2021. Växjö kommun är projektsamordnare. Projektet finansieras av Europeiska socialfonden (ESF).',
      objectives: 'Särskilt fokus läggs på kvinnor i målgruppen.',
      targetGroup: 'Nyanlända personer som är inskrivna på Arbetsförmedlingen.',
      ownerOrgId: o('vaxjo-kommun'),
      coordinatorOrgId: o('vaxjo-kommun'),
      state: 'ended',
      endDate: '2021-12-31',
      partners: [
        { organisationId: o('arbetsformedlingen'), role: 'partner' },
        ...kronoberg.map((s) => ({ organisationId: o(s), role: 'partner' })),
        { organisationId: o('markaryds-kommun'), role: 'partner', endDate: '2021-01-31' },
      ],
      milestones: [
        { kind: 'deadline', title: 'Sista dag för nya deltagare', dueDate: '2021-05-31' },
        { kind: 'deadline', title: 'Arbetet med deltagare avslutas (oktober 2021)', dueDate: '2021-10-31' },
        { kind: 'deadline', title: 'Återredovisning till ESF', dueDate: '2021-12-31' },
      ],
      sdgTargets: ['8.5', '10.2'],
      funding: [{ funderOrgId: o('europeiska-socialfonden'), programme: 'Europeiska socialfonden (ESF)' }],
    });
    created.push('etableringssamverkan-kronoberg-2');
  }

  if (id.has('vaxjo-kommun') && !(await exists('samordnad-samhallsorientering-kronoberg'))) {
    await createProject(db, actor, {
      slug: 'samordnad-samhallsorientering-kronoberg',
      name: 'En samordnad samhällsorientering i Kronobergs län',
      lang: 'sv',
      description:
        'Projektet går i korthet ut på att öka samverkan kring samhällsorientering (SO), för att på så sätt se till att alla som har rätt till SO kan få det inom rimlig tid. I projektet ingår också att stärka utövarna av SO (samhällskommunikatörerna) genom olika former av kompetensutveckling och nätverksträffar, samt att tillskapa en regional metodbank. Ytterligare en del handlar om att hitta en relevant gränsdragning mellan samhällsorientering och samhällsinformation i samverkan med en eller flera aktörer från civilsamhället.',
      objectives: 'Alla som har rätt till samhällsorientering ska kunna få det inom rimlig tid.',
      targetGroup: 'Nyanlända med rätt till samhällsorientering, och samhällskommunikatörerna.',
      ownerOrgId: o('vaxjo-kommun'),
      state: 'ended',
      endDate: '2021-11-30',
      partners: ['alvesta-kommun', 'lessebo-kommun', 'ljungby-kommun', 'markaryds-kommun', 'uppvidinge-kommun', 'almhults-kommun'].map((s) => ({ organisationId: o(s), role: 'partner' })),
      milestones: [{ kind: 'deadline', title: 'Projektets slutdatum', dueDate: '2021-11-30' }],
      sdgTargets: ['10.2', '16.7'],
      funding: [{ funderOrgId: o('lansstyrelsen-kronoberg'), programme: '§37-medel' }],
    });
    created.push('samordnad-samhallsorientering-kronoberg');
  }

  if (id.has('herning-kommune') && !(await exists('baeredygtighed-herning-2020-2023'))) {
    const link = await item139(db);
    // The budget pays for the centre's four fields, which are the actions of Herning's plan (plans demo).
    const planActions = (await plans.visibleActions(db.orm, actor, { organisationId: o('herning-kommune') })).filter((a) => a.plan.title === 'Bæredygtighedscenter i Herning').map((a) => a.action.id);
    await createProject(db, actor, {
      slug: 'baeredygtighed-herning-2020-2023',
      name: 'Bæredygtighed i Herning Kommune 2020–2023',
      lang: 'da',
      description:
        'Med budgetforliget for 2020–2023 blev der afsat 5 mio. kr. årligt, i alt 20 mio. kr., til arbejdet med bæredygtighed i Herning Kommune, herunder udvikling og etablering af et bæredygtighedscenter. Der blev endvidere nedsat en politisk følgegruppe til at følge og udvikle arbejdet.',
      objectives: 'Et lokalt bæredygtighedscenter, der arbejder inden for fire felter: virksomheder og iværksættere, uddannelse, borgere samt Herning Kommune som organisation.',
      targetGroup: 'Det lokale erhvervsliv i samspil med uddannelse, borgere og Herning Kommune.',
      ownerOrgId: o('herning-kommune'),
      state: 'ended',
      startDate: '2020-01-01',
      endDate: '2023-12-31',
      partners: id.has('politisk-folgegruppe-baeredygtighed') ? [{ organisationId: o('politisk-folgegruppe-baeredygtighed'), role: 'steering_group' }] : [],
      sdgTargets: ['11.3', '12.8', '17.17'],
      links: link ? [link] : [],
      planActions,
      funding: [
        {
          funderOrgId: o('herning-kommune'),
          isOwn: true,
          programme: 'Budgetforlig 2020–2023',
          amounts: [2020, 2021, 2022, 2023].map((year) => ({ year, currency: 'DKK', amount: '5000000' })),
        },
      ],
    });
    created.push('baeredygtighed-herning-2020-2023');
  }
  return { created };
}
