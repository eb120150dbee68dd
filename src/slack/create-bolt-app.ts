import { App, type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { InboxReceiver } from './inbox/inbox-receiver.js';
import { registerAppHome } from './listeners/app-home.js';
import { registerBatonCommand } from './listeners/baton-command.js';
import { registerCopilot } from './listeners/copilot.js';
import { registerHandoffActions } from './listeners/handoff-actions.js';
import { registerRevealAction } from './listeners/reveal-action.js';
import { registerThreadMessages } from './listeners/thread-messages.js';
import { registerTriggersApply } from './listeners/triggers-apply.js';
import type { SlackListenerDeps } from './slack-deps.js';

export interface BoltAppOptions {
  botToken: string;
  /** HTTP mode only. */
  signingSecret: string;
  /** Socket Mode when set. */
  appToken?: string | undefined;
  slackApiUrl: string;
  /** Known from auth.test at start-up, so Bolt does not call it again per request. */
  botId: string;
  botUserId: string;
  /** The HTTP app to mount /slack/events on (HTTP mode). */
  http: Express;
  log: Logger;
  now?: () => number;
  /** A delivery was written to the inbox: wake the worker. */
  recorded: () => void;
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

export interface SlackFrontDoor {
  app: App;
  receiver: InboxReceiver;
}

/**
 * Bolt with the inbox receiver on either front door: HTTP (signed requests on /slack/events) or
 * Socket Mode (an app-level token; no signing secret is needed or read there).
 */
export function createBoltApp(opts: BoltAppOptions, deps: SlackListenerDeps): SlackFrontDoor {
  const logger = boltLogger(opts.log);
  if (!opts.appToken) opts.http.use('/slack/events', rejectBadTimestamps(opts.now));
  const receiver = new InboxReceiver({
    db: deps.services.db,
    log: opts.log.child({ component: 'slack-inbox' }),
    now: () => new Date(opts.now?.() ?? Date.now()),
    recorded: opts.recorded,
    self: { botUserId: opts.botUserId, botId: opts.botId },
    ...(opts.appToken
      ? { socket: { appToken: opts.appToken, slackApiUrl: opts.slackApiUrl } }
      : { http: { app: opts.http, signingSecret: opts.signingSecret } }),
  });
  const app = new App({
    token: opts.botToken,
    receiver,
    botId: opts.botId,
    botUserId: opts.botUserId,
    clientOptions: {
      slackApiUrl: opts.slackApiUrl,
      retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
      logger,
    },
    logger,
  });
  registerHandoffActions(app, deps);
  registerRevealAction(app, deps);
  registerThreadMessages(app, deps);
  registerBatonCommand(app, deps);
  registerTriggersApply(app, deps);
  registerCopilot(app, deps);
  registerAppHome(app, deps);
  // Rethrown so the inbox sees the failure and tries the delivery again (then parks it).
  app.error(async (error) => {
    throw error;
  });
  return { app, receiver };
}
