/**
 * One log for the whole process, in two dresses: JSON lines in production (what log
 * collectors read), readable lines in development (pino-pretty, run in this thread as a
 * plain stream: a transport would start a worker thread and slow the first start).
 * The start-up steps and Fastify's own log go through the same stream, so they read as one.
 */
import pretty from 'pino-pretty';
import type { Config } from '../config.js';

let prettyStream: NodeJS.WritableStream | undefined;
function stream(config: Config): NodeJS.WritableStream {
  if (config.logFormat === 'json') return process.stdout;
  prettyStream ??= pretty({ colorize: process.stdout.isTTY, translateTime: 'HH:MM:ss', ignore: 'pid,hostname,reqId', singleLine: true, sync: true });
  return prettyStream;
}

/** Fastify's `logger` option for this configuration. */
export function loggerOptions(config: Config) {
  return { level: config.logLevel, stream: stream(config) };
}

const LEVELS = { info: 30, warn: 40, error: 50 } as const;
const RANK: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/** The start-up log, before the app (and its logger) exists: the same lines, same format, same level filter. */
export function startupLog(config: Config) {
  const out = stream(config);
  const write = (level: keyof typeof LEVELS, msg: string) => {
    if (LEVELS[level] < (RANK[config.logLevel] ?? 30)) return;
    out.write(`${JSON.stringify({ level: LEVELS[level], time: Date.now(), pid: process.pid, msg })}\n`);
  };
  return { info: (m: string) => write('info', m), warn: (m: string) => write('warn', m), error: (m: string) => write('error', m) };
}
