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

export { seedChallengesDemo } from './demo.js';

export async function challengesModule(app: FastifyInstance, deps: AppDeps) {
  await app.register(challengeRoutes, deps);
  await app.register(challengePages, deps);
}

export { challengesSearchSource } from './service.js';
