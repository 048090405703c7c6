/**
 * The projects module's public face: projects, their partners, phases and
 * deadlines, and their funding; pages, JSON API, calendar feed, exports, the
 * "Projects" section on organisation pages, and the deadline reminder.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { storageFor, type FileStorage } from '../../platform/storage/index.js';
import { projectFeeds } from './feeds.js';
import { networkPages } from './network-pages.js';
import { projectPages } from './pages.js';
import { actionProjectsSection, challengeProjectsSection, organisationProjectsSection } from './sections.js';
import { DEFAULT_REMINDER_DAYS, sendDeadlineReminders } from './reminders.js';
import { defineJob } from '../../platform/jobs.js';
import { projectRoutes } from './routes.js';
import { registerMultipart } from '../../web/multipart.js';

export { sendDeadlineReminders, DEFAULT_REMINDER_DAYS } from './reminders.js';
export { seedProjectsDemo } from './demo.js';


export async function projectsModule(app: FastifyInstance, deps: AppDeps & { storage?: FileStorage }) {
  // Local disk under DATA_DIR/files, or S3-compatible storage when STORAGE_URL says so.
  const storage = deps.storage ?? (await storageFor(deps.config));
  // Scoped to this plugin: only project routes accept multipart uploads.
  registerMultipart(app, deps.config.uploadMaxBytes);
  await app.register(projectRoutes, { ...deps, storage });
  await app.register(projectFeeds, deps);
  await app.register(projectPages, { ...deps, storage });
  await app.register(networkPages, deps);
  deps.extensions?.organisationSections.push(organisationProjectsSection(deps.db));
  deps.extensions?.actionSections.push(actionProjectsSection(deps.db));
  deps.extensions?.challengeSections.push(challengeProjectsSection(deps.db));

}

/**
 * Deadline reminders run as a recurring job in the platform's queue (every hour, one instance
 * across all app servers); sendDeadlineReminders is idempotent per deadline and date.
 */
export const PROJECT_REMINDERS_JOB = defineJob({
  kind: 'projects.deadline-reminders',
  every: 3600_000,
  maxAttempts: 1,
  run: async ({ db, config }) => {
    if (!config) return { skipped: 'no configuration' };
    return sendDeadlineReminders(db, { publicUrl: config.publicUrl, daysBefore: DEFAULT_REMINDER_DAYS });
  },
});

export { projectsSearchSource } from './service.js';
