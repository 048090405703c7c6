/**
 * The directory's public face: who works with whom. Other modules use only
 * what is exported here, never the tables.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import * as service from './service.js';
import * as tree from './tree.js';
import * as memberships from './memberships.js';
import * as profiles from './profiles.js';
import * as reads from './reads.js';
import * as policy from './policy.js';
import * as windows from './windows.js';
import { directoryRoutes } from './routes.js';
import { directoryPages } from './pages.js';
import { consentPages } from './consent-pages.js';
import { directoryHomeSection } from './home.js';
import { clockMinute, declareFreshness, type Freshness } from '../../web/freshness.js';

// The public reads and what they show (src/web/freshness.ts): ETags, 304s and the anonymous page
// cache. Current and past roles turn on dates, hence the clock. An organisation's page gathers
// sections from other modules, and search covers every module: they depend on every domain.
const own: Freshness = { domains: ['directory'], version: clockMinute };
const everything: Freshness = { domains: '*', version: clockMinute };
const FRESHNESS: Record<string, Freshness> = {
  '/organisations': own,
  '/organisations/:slug': everything,
  '/organisations/:slug/history': own,
  '/people': own,
  '/people/:slug': own,
  '/commitments': own,
  '/commitments/:slug': own,
  '/search': everything,
  '/api/organisations': own,
  '/api/organisations/:id': own,
  '/api/organisations/:id/history': own,
  '/api/people': own,
  '/api/people/:id': own,
  '/api/memberships': own,
  '/api/memberships/:id': own,
  '/api/organisations/:id/delegations': own,
  '/api/commitments': own,
  '/api/commitments/:id': own,
  '/api/search/names': own,
  '/api/export/popolo': own,
};

export const directory = {
  getOrganisation: reads.getOrganisation,
  getPerson: reads.getPerson,
  getCommitment: reads.getCommitment,
  getMembership: reads.getMembership,
  listOrganisations: reads.listOrganisations,
  listPeople: reads.listPeople,
  listMemberships: reads.listMemberships,
  organisationProfile: profiles.organisationProfile,
  organisationOptions: profiles.organisationOptions,
  currentMemberAreas: profiles.currentMemberAreas,
  currentMemberIds: profiles.currentMemberIds,
  personOptions: profiles.personOptions,
  ancestorIds: tree.ancestorIds,
  descendantIds: tree.descendantIds,
  getOrganisationsByIds: reads.getOrganisationsByIds,
  getAreasByIds: reads.getAreasByIds,
  getPeopleByIds: reads.getPeopleByIds,
  hasOpenSignature: reads.hasOpenSignature,
  searchNames: reads.searchNames,
  getAreaByKey: reads.getAreaByKey,
  getAreaById: reads.getAreaById,
  listAreas: reads.listAreas,
  upsertAreas: service.upsertAreas,
  createOrganisation: service.createOrganisation,
  createPerson: service.createPerson,
  createMembership: memberships.createMembership,
  createCommitment: service.createCommitment,
  signCommitment: service.signCommitment,
  canManageOrganisation: policy.canManageOrganisation,
  isMemberOf: policy.isMemberOf,
  memberOfSql: policy.memberOfSql,
  canManageSql: policy.canManageSql,
  organisationInCountrySql: policy.organisationInCountrySql,
  isAdminOf: policy.isAdminOf,
  mayWriteAreaFigures: policy.mayWriteAreaFigures,
  organisationWindow: windows.organisationWindow,
  personMembershipWindow: windows.personMembershipWindow,
  personWindow: windows.personWindow,
  changedWithin: windows.changed,
};

export type { OrganisationRow, PersonRow, MembershipRow, AreaRow, CommitmentRow, OrgKind, Role, Country } from './schema.js';
export { ORG_KINDS, ROLES } from './schema.js';
export { orgKindLabel, roleLabel } from './i18n.js';
export { seedDirectoryDemo } from './demo.js';
export { directorySearchSource } from './search.js';

export async function directoryModule(app: FastifyInstance, deps: AppDeps) {
  declareFreshness(app, (url) => FRESHNESS[url]);
  // Rows from before the per-language sort keys (migration 0870) get theirs; a no-op afterwards.
  const keyed = await reads.backfillSortKeys(deps.db);
  if (keyed) app.log.info({ rows: keyed }, 'directory: sort keys backfilled');
  await app.register(directoryRoutes, deps);
  await app.register(directoryPages, deps);
  await app.register(consentPages, deps);
  deps.extensions?.homeSections.push(directoryHomeSection(deps.db));
}
