import { z } from 'zod';
import path from 'node:path';

/**
 * The one place that reads the environment. Everything else receives a Config.
 * Parsing fails loudly at start so a misconfigured deployment never half-runs.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  PUBLIC_URL: z.string().url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  TEST_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  // Set by scripts/run-tests.ts: a migrated database made once per run, copied by each test file.
  TEST_TEMPLATE: z.string().min(1).optional(),
  // Set by scripts/run-tests.ts when a test file asks for the demo data: the same, with the demo loaded,
  // and the folder of files the demo loader wrote beside it.
  TEST_DEMO_TEMPLATE: z.string().min(1).optional(),
  TEST_DEMO_FILES: z.string().min(1).optional(),
  // Set by scripts/run-tests.ts: a folder with the app's entry points (src/cli.ts, src/server.ts, …)
  // bundled once per run, which tests that start them as processes run instead of going through tsx.
  TEST_ENTRIES: z.string().min(1).optional(),
  DEMO_DATA: z.enum(['auto', 'true', 'false']).default('auto'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  COOKIE_SECURE: bool.optional(),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 14),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).default('Samverka <no-reply@localhost>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SIGNIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).default(20 * 1024 * 1024),
  SHARED_DIR: z.string().min(1).default('../shared'),
  TRUST_PROXY: bool.optional(),
  JOB_WORKER: bool.default(true),
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  JOB_STALE_SECONDS: z.coerce.number().int().min(5).default(60),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(20),
  UPLOAD_RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
  STORAGE_URL: z.string().regex(/^(file|s3):\/\//, 'must be a file:// or s3:// URL').optional(),
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  testDatabaseUrl: string | undefined;
  /** Tests only: a dumped PGlite data directory (file path) or, with TEST_DATABASE_URL, a template database's name. */
  testTemplate: string | undefined;
  /** Tests only: like testTemplate, with the demo dataset loaded; testDemoFiles holds the files it wrote. */
  testDemoTemplate: string | undefined;
  testDemoFiles: string | undefined;
  /** Tests only: the folder of entry points bundled for the run (scripts/run-tests.ts). */
  testEntries: string | undefined;
  /** Whether the demo dataset is loaded into an empty database at start. */
  demoData: boolean;
  sessionSecret: string | undefined;
  cookieSecure: boolean;
  sessionTtlHours: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: string;
  signinRateLimit: number;
  uploadMaxBytes: number;
  sharedDir: string;
  /** Whether X-Forwarded-For is believed: only behind a reverse proxy, or clients could dodge rate limits. */
  trustProxy: boolean;
  /** Whether this process runs background jobs (every app server does by default; a web-only server sets false). */
  jobWorker: boolean;
  jobConcurrency: number;
  /** Seconds without a heartbeat after which another server's running job counts as lost. */
  jobStaleSeconds: number;
  /** How long SIGTERM waits for running jobs and requests before handing jobs back and closing. */
  shutdownTimeoutSeconds: number;
  /** Days an import upload's file is kept after the import ended; then its content is removed, its report kept. */
  uploadRetentionDays: number;
  /** Where uploaded files go: undefined means `<DATA_DIR>/files`; file:///path or s3://bucket/prefix?endpoint=… */
  storageUrl: string | undefined;
  /** Human-readable lines in development, JSON lines in production (for log collectors). */
  logFormat: 'pretty' | 'json';
};

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? 'localhost' : e.HOST}:${e.PORT}`).replace(/\/$/, '');
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    throw new ConfigError('Invalid configuration:\n  SESSION_SECRET: required in production');
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    testDatabaseUrl: e.TEST_DATABASE_URL,
    testTemplate: e.TEST_TEMPLATE,
    testDemoTemplate: e.TEST_DEMO_TEMPLATE,
    testDemoFiles: e.TEST_DEMO_FILES,
    testEntries: e.TEST_ENTRIES,
    // With an embedded database a newcomer should see a living network at once;
    // a real server holds real data, so demo content there is opt-in.
    demoData: e.DEMO_DATA === 'auto' ? !e.DATABASE_URL : e.DEMO_DATA === 'true',
    sessionSecret: e.SESSION_SECRET,
    cookieSecure: e.COOKIE_SECURE ?? publicUrl.startsWith('https://'),
    sessionTtlHours: e.SESSION_TTL_HOURS,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    signinRateLimit: e.SIGNIN_RATE_LIMIT,
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    sharedDir: path.resolve(e.SHARED_DIR),
    trustProxy: e.TRUST_PROXY ?? false,
    jobWorker: e.JOB_WORKER,
    jobConcurrency: e.JOB_CONCURRENCY,
    jobStaleSeconds: e.JOB_STALE_SECONDS,
    shutdownTimeoutSeconds: e.SHUTDOWN_TIMEOUT_SECONDS,
    uploadRetentionDays: e.UPLOAD_RETENTION_DAYS,
    storageUrl: e.STORAGE_URL,
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'development' ? 'pretty' : 'json'),
  };
}
