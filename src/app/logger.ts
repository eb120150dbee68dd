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
];

export function createLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'LOG_PRETTY' | 'NODE_ENV'>,
  destination?: pino.DestinationStream,
): Logger {
  const pretty =
    !destination && (config.LOG_PRETTY ?? (config.NODE_ENV === 'development' && process.stdout.isTTY));
  const options: pino.LoggerOptions = {
    level: config.LOG_LEVEL,
    base: { app: 'baton' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    transport: pretty
      ? { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname,app' } }
      : undefined,
  };
  return destination ? pino(options, destination) : pino(options);
}
