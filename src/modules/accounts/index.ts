/** Accounts: users, sessions, organisation roles, invitations and API tokens. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { accountPages } from './pages.js';
import { accountRoutes } from './routes.js';
import * as service from './service.js';

export { authenticator } from './service.js';
// Defines the scheduled clean-up job; every app server imports it, so any of them can run it.
export { removeExpiredAccountsData } from './retention.js';

export const accounts = {
  createUser: service.createUser,
  checkNewAccount: service.checkNewAccount,
  signIn: service.signIn,
  loadActor: service.loadActor,
  grantOrgRole: service.grantOrgRole,
  listOrgRoles: service.listOrgRoles,
  hashPassword: service.hashPassword,
};

export async function accountsModule(app: FastifyInstance, deps: AppDeps) {
  await app.register(accountRoutes, deps);
  await app.register(accountPages, deps);
}
