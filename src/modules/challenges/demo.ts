/**
 * Demo challenge, illustrative and labelled as such: Indre Østfold lifts its waste challenge "up
 * and out", and a company (a demo organisation) responds. The response is left pending, so the
 * demo shows that only the owner sees it. Bærekraftsløftet's two Viken members are shown as
 * signatories of the Stavanger declaration, so their pages carry the four-promises panel.
 * Idempotent.
 */
import { eq } from 'drizzle-orm';
import { systemActor } from '../../platform/audit.js';
import type { Database } from '../../platform/db/index.js';
import { directory } from '../directory/index.js';
import { plans } from '../plans/index.js';
import { challenges, responses } from './schema.js';
import { createChallenge } from './service.js';

const TITLE = 'Flere bedrifter med i materialgjenvinningen';

export async function seedChallengesDemo(db: Database): Promise<{ created: number }> {
  const actor = systemActor('demo data');
  const io = await directory.getOrganisation(db.orm, 'indre-ostfold-kommune');
  let created = 0;
  // The declaration's signatories get the promise panel; these two signatures are part of the illustration.
  for (const slug of ['hurdal-kommune', 'indre-ostfold-kommune']) {
    const o = await directory.getOrganisation(db.orm, slug);
    const prof = await directory.organisationProfile(db.orm, o.id);
    if (!prof.commitments.some((c) => c.commitment.slug === 'stavangererklaeringen'))
      await directory.signCommitment(db, actor, 'stavangererklaeringen', { organisationId: o.id, note: 'Illustrativ signatur i demodata.' });
  }
  const existing = await db.orm.select({ id: challenges.id }).from(challenges).where(eq(challenges.title, TITLE));
  if (existing.length) return { created };
  const prio = (await plans.listPriorities(db.orm, actor, { organisationIds: [io.id] }))[0];
  const c = await createChallenge(db, actor, {
    organisationId: io.id, priorityId: prio?.id ?? null, title: TITLE, lang: 'nb',
    problem: 'Andelen husholdningsavfall som går til materialgjenvinning øker for sakte. Kommunen vil løfte utfordringen opp og ut, slik at næringsliv og andre relevante aktører kan bli med og løse den: sortering, logistikk og nye markeder for gjenvunnet materiale. Illustrativt eksempel i demodata.',
    sdgTargets: ['11.6', '12.5'], indicatorCode: 'demo-waste-recycled', indicatorTarget: 65, helpKinds: ['technology', 'partnership', 'pilot_site'],
    deadline: '2027-03-31', contactName: 'Lisbeth Skjeldrum', contactEmail: 'baerekraft@indre-ostfold.example', state: 'open',
  });
  created++;
  let company = await directory.getOrganisation(db.orm, 'ostfold-sirkular-as-demo').catch(() => null);
  company ??= await directory.createOrganisation(db, actor, { name: 'Østfold Sirkulær AS (demo)', slug: 'ostfold-sirkular-as-demo', kind: 'company', lang: 'nb', description: 'En oppdiktet bedrift i demodataene.' });
  // Written directly: the demo has no signed-in company user to respond through the use case (and sends no mail).
  await db.orm.insert(responses).values({
    challengeId: c.id, responderOrgId: company.id, offer: 'Vi kan stille med et sorteringsanlegg for en pilot på ett gjenvinningsanlegg i 2027, og dele data om hvor mye som blir gjenvunnet.',
    contactName: 'Kontaktperson i Østfold Sirkulær (demo)', contactEmail: 'post@ostfold-sirkular.example', state: 'pending',
  });
  return { created };
}
