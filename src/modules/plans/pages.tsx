/**
 * The HTML pages of priorities, plans and actions, registered in one plugin so that they share one
 * Fastify scope: the multipart parser of the actions' import (registerImportRoutes in transfer.ts)
 * stays scoped to these pages. The routes are in plan-pages.tsx, action-pages.tsx and
 * priority-pages.tsx; what they show in plan-views.tsx, action-views.tsx and priority-views.tsx;
 * the forms in forms.tsx; what they share in form-input.ts and views.tsx.
 */
import type { FastifyInstance } from 'fastify';
import { registerActionImport, registerActionPages } from './action-pages.js';
import type { PageDeps } from './form-input.js';
import { organisationPlansSection } from './plan-views.js';
import { registerPlanPages } from './plan-pages.js';
import { registerPriorityPages } from './priority-pages.js';

export async function planPages(app: FastifyInstance, deps: PageDeps) {
  registerPlanPages(app, deps);
  registerActionPages(app, deps);
  registerPriorityPages(app, deps);
  registerActionImport(app, deps);
  deps.extensions?.organisationSections.push(organisationPlansSection(deps.db));
}
