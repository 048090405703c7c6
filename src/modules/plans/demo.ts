/**
 * Demo priorities, plans and actions, illustrative and labelled as such: Hurdal's and Indre
 * Østfold's priorities in Bærekraftsløftet kull 1, their plans under a regional roadmap for the
 * Viken cohort, and Herning's plan for the sustainability centre, adopted under item 139.
 * Idempotent: a record whose title its owner already has is left alone.
 */
import { and, eq } from 'drizzle-orm';
import { systemActor } from '../../platform/audit.js';
import type { Database } from '../../platform/db/index.js';
import { directory } from '../directory/index.js';
import { listMeetings, publicMeetingView } from '../meetings/index.js';
import { plans, priorities } from './schema.js';
import { createAction, createFollowup, createPlan, createPriority } from './service.js';

const NOTE = 'Illustrativt eksempel i demodata.';
const NOTE_DA = 'Illustrativt eksempel i demodata.';

async function orgId(db: Database, slug: string) {
  return (await directory.getOrganisation(db.orm, slug)).id;
}

async function priority(db: Database, slug: string, p: Record<string, unknown> & { title: string }) {
  const id = await orgId(db, slug);
  const [have] = await db.orm.select({ id: priorities.id }).from(priorities).where(and(eq(priorities.organisationId, id), eq(priorities.title, p.title)));
  if (have) return have.id;
  return (await createPriority(db, systemActor('demo data'), { organisationId: id, lang: 'nb', state: 'published', ...p })).id;
}

async function plan(db: Database, slug: string, p: Record<string, unknown> & { title: string }, acts: Record<string, unknown>[]) {
  const id = await orgId(db, slug);
  const [have] = await db.orm.select({ id: plans.id }).from(plans).where(and(eq(plans.organisationId, id), eq(plans.title, p.title)));
  if (have) return { id: have.id, actions: [] as string[] };
  const row = await createPlan(db, systemActor('demo data'), { organisationId: id, ...p });
  const ids = [];
  for (const a of acts) ids.push((await createAction(db, systemActor('demo data'), row.id, { primaryOrgId: id, lang: row.lang, ...a })).id);
  return { id: row.id, actions: ids };
}

export async function seedPlansDemo(db: Database): Promise<{ created: number }> {
  let created = 0;
  const before = (await db.orm.select({ id: plans.id }).from(plans)).length + (await db.orm.select({ id: priorities.id }).from(priorities)).length;
  const ks = await orgId(db, 'ks');
  const nho = await orgId(db, 'nho');

  // --- Bærekraftsløftet kull 1 – Viken: the members' priorities (mapping) ---
  await priority(db, 'hurdal-kommune', {
    title: 'Klima og energi',
    rationale: `Hurdal vil prioritere klimagassutslipp og fornybar energi i Bærekraftsløftet i første omgang, og følge det med indikatorer valgt med utgangspunkt i KS/SSB-taksonomien. ${NOTE}`,
    sdgGoals: ['7', '13'], sdgTargets: ['7.2', '13.2'], indicatorCodes: ['demo-ghg-per-capita', 'demo-renewable-share'],
    actors: [{ organisationId: ks, role: 'contributor', contact: 'Nettverkskoordinator' }, { organisationId: nho, role: 'contributor', contact: null }],
  });
  await priority(db, 'indre-ostfold-kommune', {
    title: 'Sirkulær økonomi og avfall',
    rationale: `Indre Østfold vil løfte utfordringen med avfall og gjenvinning opp og ut, slik at næringsliv og andre aktører kan bli med og løse den. ${NOTE}`,
    sdgGoals: ['12'], sdgTargets: ['11.6', '12.5'], indicatorCodes: ['demo-waste-recycled'],
    actors: [{ organisationId: nho, role: 'contributor', contact: null }],
  });

  // --- A regional roadmap over the members' plans ---
  const roadmap = await plan(db, 'baerekraftsloftet-kull-1-viken', {
    title: 'Regionalt veikart for Bærekraftsløftet kull 1 – Viken', lang: 'nb', state: 'adopted', periodStart: '2021-01-01', periodEnd: '2026-12-31',
    description: `Kartlegging – mobilisering – endringsaktiviteter: veikartet samler kommunenes planer i kullet, slik at tiltakene kan ses sammen. ${NOTE}`,
  }, []);
  await plan(db, 'hurdal-kommune', {
    title: 'Hurdal kommune – tiltak i Bærekraftsløftet', lang: 'nb', state: 'adopted', periodStart: '2021-01-01', periodEnd: '2026-12-31', parentId: roadmap.id,
    description: NOTE,
  }, [
    { identifier: 'H-1', title: 'Energieffektivisering i kommunale bygg', description: NOTE, startDate: '2021-09-01', endDate: '2026-12-31', sdgTargets: ['7.2', '13.2'],
      indicators: [{ code: 'demo-ghg-per-capita', direction: 'decrease' }, { code: 'demo-renewable-share', direction: 'increase' }],
      milestones: [{ title: 'Kartlegging av byggene ferdig', due: '2022-03-31', completedOn: '2022-03-15' }, { title: 'Tiltak i de tre største byggene', due: '2027-06-30', completedOn: null }],
      currency: 'NOK', budget: [{ year: 2024, amount: 1200000 }, { year: 2025, amount: 1500000 }] },
    { identifier: 'H-2', title: 'Lokal produksjon av fornybar energi', description: NOTE, startDate: '2022-01-01', endDate: '2026-12-31', sdgTargets: ['7.2'],
      indicators: [{ code: 'demo-renewable-share', direction: 'increase' }], milestones: [{ title: 'Mulighetsstudie', due: '2024-06-30', completedOn: null }],
      currency: 'NOK', budget: [{ year: 2025, amount: 800000 }] },
  ]);
  await plan(db, 'indre-ostfold-kommune', {
    title: 'Indre Østfold kommune – tiltak i Bærekraftsløftet', lang: 'nb', state: 'adopted', periodStart: '2021-01-01', periodEnd: '2026-12-31', parentId: roadmap.id,
    description: NOTE,
  }, [
    { identifier: 'IØ-1', title: 'Mer materialgjenvinning av husholdningsavfall', description: NOTE, startDate: '2021-09-01', endDate: '2026-12-31', sdgTargets: ['11.6', '12.5'],
      indicators: [{ code: 'demo-waste-recycled', direction: 'increase' }], milestones: [{ title: 'Utfordringen løftet opp og ut til næringslivet', due: '2027-03-31', completedOn: null }],
      currency: 'NOK', budget: [{ year: 2025, amount: 600000 }, { year: 2026, amount: 600000 }] },
  ]);

  // --- Herning: the sustainability centre, adopted under item 139 ---
  const oke = await directory.getOrganisation(db.orm, 'okonomi-og-erhvervsudvalget').catch(() => null);
  let item: { id: string } | null = null;
  if (oke) {
    for (const { meeting } of (await listMeetings(db.orm, { organisationIds: [oke.id], when: 'all', pageSize: 50 })).items) {
      const v = await publicMeetingView(db.orm, meeting);
      const found = v.items.find((i) => i.number === '139');
      if (found) item = { id: found.id };
    }
  }
  const fields = [
    ['BC-1', 'Virksomheder og iværksættere'],
    ['BC-2', 'Uddannelse'],
    ['BC-3', 'Borgere'],
    ['BC-4', 'Herning Kommune som organisation'],
  ] as const;
  const herning = await plan(db, 'herning-kommune', {
    title: 'Bæredygtighedscenter i Herning', lang: 'da', state: 'adopted', periodStart: '2020-01-01', periodEnd: '2023-12-31', adoptedOn: '2020-04-27',
    adoptedItemId: item?.id ?? null, decisionNote: 'Indstillingen er tiltrådt.',
    description: `Med budgetaftalen for 2020–2023 blev der afsat 5 mio. kr. om året, i alt 20 mio. kr., til bæredygtighed i kommunen, blandt andet til et bæredygtighedscenter. Centret skal arbejde inden for fire felter, der hænger sammen. ${NOTE_DA}`,
  }, fields.map(([identifier, title], i) => ({
    identifier, title, lang: 'da', description: `Et af centrets fire felter. ${NOTE_DA}`, startDate: '2020-09-01', endDate: '2023-12-31',
    sdgTargets: i === 3 ? ['12.7', '13.2'] : i === 0 ? ['8.4', '9.4'] : i === 1 ? ['4.7'] : ['11.6', '12.8'],
    indicators: i === 0 || i === 3 ? [{ code: 'demo-ghg-per-capita', direction: 'decrease' }, { code: 'demo-renewable-share', direction: 'increase' }] : [],
    milestones: [{ title: 'Centret åbner', due: '2020-12-31', completedOn: '2020-11-30' }, ...(i === 1 ? [{ title: 'Forløb med uddannelsesstederne', due: '2021-06-30', completedOn: null }] : [])],
    currency: 'DKK', budget: [2020, 2021, 2022, 2023].map((year) => ({ year, amount: 1250000 })),
    ...(i === 2 ? { manualStatus: 'postponed', manualReason: 'Tidsplanen afhænger af, hvordan situationen med covid-19 udvikler sig (illustrativt).' } : {}),
  })));
  if (item && herning.actions[0]) {
    await createFollowup(db, systemActor('demo data'), {
      agendaItemId: item.id, what: 'Status på centrets felt for virksomheder og iværksættere til næste møde (illustrativt).', who: 'Politisk følgegruppe for bæredygtighed',
      dueDate: '2020-06-30', state: 'done', actionId: herning.actions[0],
    });
  }
  const after = (await db.orm.select({ id: plans.id }).from(plans)).length + (await db.orm.select({ id: priorities.id }).from(priorities)).length;
  created = after - before;
  return { created };
}
