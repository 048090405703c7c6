/**
 * The directory's HTML pages, one file per subject: organisations, memberships, people and commitments.
 * The /search page belongs to the search module (src/modules/search), over the shared index.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { commitmentPages } from './commitment-pages.js';
import { membershipPages } from './membership-pages.js';
import { organisationPages } from './organisation-pages.js';
import { peoplePages } from './people-pages.js';

export async function directoryPages(app: FastifyInstance, deps: AppDeps) {
  organisationPages(app, deps);
  membershipPages(app, deps);
  peoplePages(app, deps);
  commitmentPages(app, deps);
}
