/**
 * The directory's public face: who works with whom. Other modules use only
 * what is exported here, never the tables.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import * as service from './service.js';
import * as policy from './policy.js';
import { directoryRoutes } from './routes.js';
import { directoryPages } from './pages.js';
import { directoryHomeSection } from './home.js';

export const directory = {
  getOrganisation: service.getOrganisation,
  getPerson: service.getPerson,
  getCommitment: service.getCommitment,
  getMembership: service.getMembership,
  listOrganisations: service.listOrganisations,
  listPeople: service.listPeople,
  listMemberships: service.listMemberships,
  organisationProfile: service.organisationProfile,
  organisationOptions: service.organisationOptions,
  personOptions: service.personOptions,
  ancestorIds: service.ancestorIds,
  searchNames: service.searchNames,
  getAreaByKey: service.getAreaByKey,
  getAreaById: service.getAreaById,
  listAreas: service.listAreas,
  upsertAreas: service.upsertAreas,
  createOrganisation: service.createOrganisation,
  createPerson: service.createPerson,
  createMembership: service.createMembership,
  createCommitment: service.createCommitment,
  signCommitment: service.signCommitment,
  canManageOrganisation: policy.canManageOrganisation,
  isMemberOf: policy.isMemberOf,
  isAdminOf: policy.isAdminOf,
};

export type { OrganisationRow, PersonRow, MembershipRow, AreaRow, CommitmentRow, OrgKind, Role, Country } from './schema.js';
export { ORG_KINDS, ROLES } from './schema.js';
export { orgKindLabel, roleLabel } from './i18n.js';
export { seedDirectoryDemo } from './demo.js';
export { directorySearchSource } from './search.js';

export async function directoryModule(app: FastifyInstance, deps: AppDeps) {
  await app.register(directoryRoutes, deps);
  await app.register(directoryPages, deps);
  deps.extensions?.homeSections.push(directoryHomeSection(deps.db));
}
