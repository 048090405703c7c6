/**
 * The projects module's public face: projects, their partners, phases and
 * deadlines, and their funding; pages, JSON API, calendar feed, exports, the
 * "Projects" section on organisation pages, and the deadline reminder.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../platform/http.js';
import { localStorageFor, type FileStorage } from '../../platform/storage/index.js';
import { projectFeeds } from './feeds.js';
import { organisationProjectsSection, projectPages } from './pages.js';
import { DEFAULT_REMINDER_DAYS, sendDeadlineReminders } from './reminders.js';
import { projectRoutes } from './routes.js';
import { registerMultipart } from './upload.js';

export { sendDeadlineReminders, DEFAULT_REMINDER_DAYS } from './reminders.js';
export { seedProjectsDemo } from './demo.js';

const HOUR = 60 * 60 * 1000;

export async function projectsModule(app: FastifyInstance, deps: AppDeps & { storage?: FileStorage }) {
  const storage = deps.storage ?? localStorageFor(deps.config.dataDir);
  // Scoped to this plugin: only project routes accept multipart uploads.
  registerMultipart(app, deps.config.uploadMaxBytes);
  await app.register(projectRoutes, { ...deps, storage });
  await app.register(projectFeeds, deps);
  await app.register(projectPages, { ...deps, storage });
  deps.extensions?.organisationSections.push(organisationProjectsSection(deps.db));

  // Deadline reminders: checked hourly inside the server until the platform's job queue
  // exists; then a scheduled job calls the same function. Tests call it directly.
  if (deps.config.env !== 'test') {
    const run = () =>
      sendDeadlineReminders(deps.db, deps.mailer, { publicUrl: deps.config.publicUrl, daysBefore: DEFAULT_REMINDER_DAYS }).catch((err) => app.log.error({ err }, 'project deadline reminders failed'));
    const timer = setInterval(run, HOUR);
    timer.unref();
    const first = setTimeout(run, 60_000);
    first.unref();
    app.addHook('onClose', async () => {
      clearInterval(timer);
      clearTimeout(first);
    });
  }
}
