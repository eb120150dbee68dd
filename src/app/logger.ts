import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear. Customer text is redacted too:
 * message bodies belong in the database, not in log aggregation.
 */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  'signingSecret',
  '*.signingSecret',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-slack-signature"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'OPENAI_API_KEY',
  'text',
  '*.text',
  'body',
  '*.body',
  // A customer's email address (transcripts, follow-ups) is personal data: never in a log line.
  'email',
  '*.email',
];

type LoggerConfig = Pick<Config, 'LOG_LEVEL' | 'LOG_PRETTY' | 'NODE_ENV'>;

export interface LoggerDeps {
  /** Absolute path of pino-pretty, or undefined when it is not installed. */
  resolvePretty?: () => string | undefined;
}

/**
 * pino-pretty is a dev dependency: `npm ci --omit=dev` leaves it out, and pino throws at start-up
 * when a transport target cannot be found. So it is resolved first, and only when pretty output is
 * wanted; production never looks for it unless LOG_PRETTY asks.
 */
export function resolveInstalledPretty(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('pino-pretty');
  } catch {
    return undefined;
  }
}

/** The pino-pretty transport to use, or none (JSON lines); `missing` when it was wanted but absent. */
export function prettyTransport(
  config: LoggerConfig,
  isTTY: boolean,
  resolvePretty: () => string | undefined,
): { transport?: pino.TransportSingleOptions; missing: boolean } {
  const wanted = config.LOG_PRETTY ?? (config.NODE_ENV === 'development' && isTTY);
  if (!wanted) return { missing: false };
  const target = resolvePretty();
  if (!target) return { missing: true };
  return {
    transport: { target, options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname,app' } },
    missing: false,
  };
}

export function createLogger(
  config: LoggerConfig,
  destination?: pino.DestinationStream,
  deps: LoggerDeps = {},
): Logger {
  // An explicit destination (tests, captures) always gets JSON lines.
  const pretty = destination
    ? { missing: false }
    : prettyTransport(config, Boolean(process.stdout.isTTY), deps.resolvePretty ?? resolveInstalledPretty);
  const options: pino.LoggerOptions = {
    level: config.LOG_LEVEL,
    base: { app: 'baton' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    transport: pretty.transport,
  };
  const log = destination ? pino(options, destination) : pino(options);
  if (pretty.missing) log.warn('pretty logs were asked for but pino-pretty is not installed: logging JSON');
  return log;
}
