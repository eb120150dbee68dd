import { App, type Logger as BoltLogger, ExpressReceiver, LogLevel } from '@slack/bolt';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { registerAppHome } from './listeners/app-home.js';
import { registerBatonCommand } from './listeners/baton-command.js';
import { registerCopilot } from './listeners/copilot.js';
import { registerHandoffActions } from './listeners/handoff-actions.js';
import { registerThreadMessages } from './listeners/thread-messages.js';
import type { SlackListenerDeps } from './slack-deps.js';

export interface BoltAppOptions {
  botToken: string;
  signingSecret: string;
  appToken?: string;
  slackApiUrl: string;
  /** Known from auth.test at start-up, so Bolt does not call it again per request. */
  botId: string;
  botUserId: string;
  /** The HTTP app to mount /slack/events on (HTTP mode). */
  http: Express;
  log: Logger;
  now?: () => number;
}

/** Bolt speaks through pino, so secrets are redacted the same way everywhere. */
function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  return {
    debug: (...msg) => child.debug(msg.map(String).join(' ')),
    info: (...msg) => child.info(msg.map(String).join(' ')),
    warn: (...msg) => child.warn(msg.map(String).join(' ')),
    error: (...msg) => child.error(msg.map(String).join(' ')),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

/**
 * Stricter than Bolt's own check, which lets future timestamps through: a request more than
 * five minutes off in either direction, or without a numeric timestamp, is refused before parsing.
 */
export function rejectBadTimestamps(now: () => number = Date.now) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.header('x-slack-request-timestamp') ?? '';
    const ts = /^\d{1,12}$/.test(header) ? Number(header) : Number.NaN;
    if (!Number.isFinite(ts) || Math.abs(now() / 1000 - ts) > 300) {
      res.status(401).json({
        error: { code: 'stale_timestamp', message: 'Request timestamp missing or outside five minutes' },
      });
      return;
    }
    next();
  };
}

export function createBoltApp(opts: BoltAppOptions, deps: SlackListenerDeps): App {
  const logger = boltLogger(opts.log);
  const clientOptions = {
    slackApiUrl: opts.slackApiUrl,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
  };
  let app: App;
  if (opts.appToken) {
    app = new App({
      token: opts.botToken,
      appToken: opts.appToken,
      socketMode: true,
      botId: opts.botId,
      botUserId: opts.botUserId,
      clientOptions,
      logger,
    });
  } else {
    opts.http.use('/slack/events', rejectBadTimestamps(opts.now));
    const receiver = new ExpressReceiver({
      signingSecret: opts.signingSecret,
      endpoints: '/slack/events',
      // Listeners only touch SQLite and queue Slack calls, so answering after they commit is fast
      // and means a crash mid-way gets Slack's retry instead of a lost event.
      processBeforeResponse: true,
      app: opts.http,
      logger,
    });
    app = new App({
      token: opts.botToken,
      receiver,
      botId: opts.botId,
      botUserId: opts.botUserId,
      clientOptions,
      logger,
    });
  }
  registerHandoffActions(app, deps);
  registerThreadMessages(app, deps);
  registerBatonCommand(app, deps);
  registerCopilot(app, deps);
  registerAppHome(app, deps);
  app.error(async (error) => {
    opts.log.error({ err: error }, 'Slack listener failed');
  });
  return app;
}
