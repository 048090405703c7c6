/**
 * The plans module's public face: priorities (mapping), plans and actions, follow-up items from
 * meetings, and the roadmap roll-up. Other modules use only what is exported here.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import type { IndicatorTargetSource } from './queries.js';
import * as queries from './queries.js';
import { planRoutes } from './routes.js';
import { planPages } from './pages.js';
import { followupPages, meetingFollowupsSection } from './followups.js';
import { planFileRoutes } from './files-pages.js';
import { storageFor, type FileStorage } from '../../platform/storage/index.js';
import * as service from './service.js';

export const plans = {
  getPriority: service.getPriority,
  listPriorities: queries.listPriorities,
  listPlans: queries.listPlans,
  addPartnerTx: service.addPartnerTx,
  promiseEvidence: queries.promiseEvidence,
  priorityCount: queries.priorityCount,
  isSdgTarget: service.isSdgTarget,
  createAction: service.createAction,
  /** An action with its plan if the actor may see it; NotFoundError otherwise (drafts stay hidden). */
  getAction: service.getAction,
  visibleActions: queries.visibleActions,
};
export type { IndicatorTargetSource } from './queries.js';
export type { ActionRow, PlanRow, PriorityRow } from './schema.js';
export { seedPlansDemo } from './demo.js';

/** `indicatorTargets`: the progress module's targets, where it exists (see queries.ts). */
export async function plansModule(app: FastifyInstance, deps: AppDeps & { indicatorTargets?: IndicatorTargetSource; storage?: FileStorage }) {
  // Uploaded plan documents: local disk under DATA_DIR/files, or S3-compatible storage when STORAGE_URL says so.
  const storage = deps.storage ?? (await storageFor(deps.config));
  await app.register(planRoutes, deps);
  await app.register(planPages, deps);
  await app.register(followupPages, deps);
  await app.register(planFileRoutes, { ...deps, storage });
  deps.extensions?.meetingSections.push(meetingFollowupsSection(deps.db));
}

export { plansSearchSource } from './service.js';
