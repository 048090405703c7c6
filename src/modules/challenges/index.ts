/**
 * Challenges (mobilisation): an organisation lifts a problem "up and out" so that companies,
 * universities, organisations and citizens can help solve it. The module also shows the four
 * promises of the Stavanger declaration on each signatory's page, since mobilisation is the one
 * promise only it can count.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { challengePages } from './pages.js';
import { challengeRoutes } from './routes.js';
import * as queries from './queries.js';
import * as service from './service.js';
import type { Actor } from '../../platform/audit.js';
import type { Executor } from '../../platform/db/index.js';

export const challenges = {
  /** A challenge if the actor may see it; NotFoundError otherwise (a draft exists only for its owner's members). */
  getChallenge: service.getChallenge,
  /** Challenges the actor may see, with their owners. */
  listChallenges: queries.listChallenges,
  /** The accepted responses of a challenge the actor may see (accepted ones are public). */
  acceptedResponses: async (db: Executor, actor: Actor, challengeId: string) => {
    const c = await service.getChallenge(db, actor, challengeId);
    return (await service.listResponses(db, [c.id])).filter((r) => r.state === 'accepted');
  },
};
export type { ChallengeRow, ResponseRow } from './schema.js';

export { seedChallengesDemo } from './demo.js';

export async function challengesModule(app: FastifyInstance, deps: AppDeps) {
  await app.register(challengeRoutes, deps);
  await app.register(challengePages, deps);
}

export { challengesSearchSource } from './service.js';
