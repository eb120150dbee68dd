import http from 'node:http';
import { type ChatRouteLimits, DEFAULT_CHAT_LIMITS } from '../webchat/chat-limits.js';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { createAssistant, createBackgroundWork } from './create-assistant.js';
import { createAgentDirectory } from '../slack/agent-directory.js';
import { avatarOrigins } from '../slack/agent-avatar.js';
import { createBoltApp } from '../slack/create-bolt-app.js';
import { createOutboxRenderer } from '../slack/outbox-renderer.js';
import { createCardOutcomes } from '../handoff/card-outcomes.js';
import { createOutboxWorker } from '../slack/outbox-worker.js';
import { createInboxWorker } from '../slack/inbox/inbox-worker.js';
import { migrateToLatest, openDatabase } from '../storage/database.js';
import { pruneProcessedEvents } from '../storage/processed-events-repository.js';
import { pruneDoneDeliveries } from '../storage/inbox-repository.js';
import { createLiveHub } from '../webchat/live-hub.js';
import { answerLeftovers, type ConversationDeps } from '../conversation/conversation-service.js';
import { loadDeskSettings } from '../desk/settings-service.js';
import { createKeyedSerialQueue } from '../lib/keyed-serial-queue.js';
import { createSlackWorkspace } from '../slack/slack-workspace.js';
import type { Config } from './config.js';
import { createHttpApp, refusingLongUrls } from './http-app.js';
import { invalidatableCache } from '../lib/cached-for.js';
import { createIdGenerator } from './ids.js';
import { createScheduler } from './scheduler.js';
import { createEmailWorker } from '../email/email-worker.js';
import { createSmtpTransport } from '../email/smtp-transport.js';
import { createEscalationMemory, escalateUnclaimed } from '../handoff/escalation.js';
import { createFollowUpMailer } from '../email/follow-up-queue.js';
import { connectSlack, type SlackConnection } from './slack-connection.js';

/** Open connections at most (live streams are capped at 2,000 of them; the file-handle limit here is 20,000). */
const MAX_CONNECTIONS = 10_000;
/** How long desk settings read from the database are reused (another instance's change shows within this). */
const SETTINGS_CACHE_MS = 2000;

export interface Baton {
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  slack: SlackConnection;
  deps: ConversationDeps;
  /** Runs the periodic jobs (escalation) now; they also run on a timer. */
  runJobs(): Promise<void>;
  /** Resolves when no background work (assistant turns, copilot, takeovers) is running. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export interface CreateBatonOptions {
  log: Logger;
  now?: () => Date;
  /** Tests turn limits up or down to prove they trip. */
  limits?: Partial<ChatRouteLimits>;
}

/** The one composition root: builds every piece, wires them, starts listening. */
export async function startBaton(config: Config, options: CreateBatonOptions): Promise<Baton> {
  const { log } = options;
  const now = options.now ?? (() => new Date());
  const storage = openDatabase(config.DATABASE_PATH, { synchronous: config.SQLITE_SYNCHRONOUS });
  await migrateToLatest(storage.db);
  const slack = await connectSlack(config, log);
  // Agents' pictures come from Slack's image hosts (or the local workspace): kept and allowed by one list.
  const imageOrigins = avatarOrigins(slack.sandbox?.url);

  const { assistant, stop: stopAssistant } = await createAssistant(config, log);
  const hub = createLiveHub();
  const background = createBackgroundWork();
  const track = background.track;
  let kickOutbox: (channels?: readonly string[]) => void = () => {};
  // Read on every message and handoff; a change made here drops the cache at once, one made by another
  // instance is seen within SETTINGS_CACHE_MS.
  const settingsCache = invalidatableCache(SETTINGS_CACHE_MS, () =>
    loadDeskSettings({ db: storage.db, log }),
  );
  const deps: ConversationDeps = {
    db: storage.db,
    transact: storage.transact,
    now,
    ids: createIdGenerator(),
    log,
    assistant,
    live: hub,
    agents: createAgentDirectory(slack.client, log, { avatarOrigins: imageOrigins }),
    kickOutbox: (channels) => kickOutbox(channels),
    handoffChannel: slack.handoffChannel,
    settings: settingsCache.get,
    settingsChanged: settingsCache.invalidate,
    workspace: createSlackWorkspace(slack.client, {
      botUserId: slack.botUserId,
      admins: config.BATON_ADMINS,
    }),
    track,
    perConversation: createKeyedSerialQueue(),
  };

  // The outbox's own client: rate limits come back to the worker, which defers the post and keeps order.
  const outboxClient = new WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  });
  const permalink = async (channel: string, ts: string) =>
    (await outboxClient.chat.getPermalink({ channel, message_ts: ts })).permalink;
  const outbox = createOutboxWorker({
    db: storage.db,
    transact: storage.transact,
    client: outboxClient,
    log: log.child({ component: 'outbox' }),
    now,
    renderer: createOutboxRenderer({ db: storage.db, now, permalink }),
    outcomes: createCardOutcomes(deps),
  });
  kickOutbox = outbox.kick;

  // Follow-up email for customers who left an address and are not in the chat (only with SMTP configured).
  const transport = config.SMTP_URL ? createSmtpTransport(config.SMTP_URL) : undefined;
  const emailWorker = transport
    ? createEmailWorker({
        db: storage.db,
        transport,
        from: config.EMAIL_FROM,
        log: log.child({ component: 'email' }),
        now,
      })
    : undefined;
  if (emailWorker) {
    deps.followUp = createFollowUpMailer({
      now,
      brand: config.EMAIL_BRAND,
      conversationUrl: config.PUBLIC_URL,
      kick: emailWorker.kick,
    });
    deps.transcripts = { brand: config.EMAIL_BRAND, kick: emailWorker.kick };
  }
  const everyMs = config.JOBS_INTERVAL_SECONDS * 1000;
  const escalationMemory = createEscalationMemory();
  const scheduler = createScheduler({
    jobs: [
      {
        name: 'escalation',
        everyMs,
        run: () => escalateUnclaimed(deps, config.ESCALATION_MINUTES, escalationMemory),
      },
      // Slack retries an event for about six minutes; a day of event ids is plenty.
      {
        name: 'prune-processed-events',
        everyMs,
        run: async () => {
          const dayAgo = new Date(now().getTime() - 86_400_000).toISOString();
          await pruneProcessedEvents(storage.db, dayAgo);
          await pruneDoneDeliveries(storage.db, dayAgo);
        },
      },
    ],
    log: log.child({ component: 'jobs' }),
    track,
  });
  const runJobs = () => scheduler.runNow();
  scheduler.start();

  const http_ = createHttpApp(
    { ...deps, hub },
    {
      allowedOrigins: config.ALLOWED_ORIGINS,
      imageOrigins,
      trustProxy: config.TRUST_PROXY,
      metricsToken: config.METRICS_TOKEN,
      production: config.NODE_ENV === 'production',
      limits: { ...DEFAULT_CHAT_LIMITS, ...options.limits },
      readiness: async () => {
        const database = storage.ping();
        const slackOk = await slack.client.auth
          .test()
          .then((r) => r.ok === true)
          .catch(() => false);
        return { ok: database && slackOk, checks: { database, slack: slackOk } };
      },
    },
  );
  let kickInbox = () => {};
  const slackDoor = createBoltApp(
    {
      botToken: slack.botToken,
      signingSecret: slack.signingSecret,
      appToken: slack.appToken,
      slackApiUrl: slack.apiUrl,
      botId: slack.botId,
      botUserId: slack.botUserId,
      http: http_.app,
      log,
      recorded: () => kickInbox(),
    },
    { services: deps, handoffChannel: slack.handoffChannel },
  );
  const inbox = createInboxWorker({
    db: storage.db,
    log: log.child({ component: 'slack-inbox' }),
    now,
    process: (item) => slackDoor.receiver.process(item),
  });
  kickInbox = inbox.kick;
  http_.finish();
  if (slack.appToken) await slackDoor.app.start();

  const server = http.createServer(refusingLongUrls(http_.listener));
  // Connections are file handles: a request must arrive whole within these times, and past the cap new
  // connections are refused, so slow or idle sockets cannot use up the process's handles (a reverse proxy
  // in front should enforce its own, see docs/security.md).
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  server.maxConnections = MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
  slack.sandbox?.setAppRequestUrl(`${url}/slack/events`);
  outbox.kick();
  // Deliveries recorded before a crash or restart are worked now.
  inbox.kick();
  emailWorker?.kick();
  void track(answerLeftovers(deps)).catch((error: unknown) =>
    log.error({ err: error }, 'start-up recovery failed'),
  );

  let stopping: Promise<void> | undefined;
  return {
    url,
    slack,
    deps,
    runJobs,
    async settle() {
      // Inbox work starts background work (copilot, turns) and background work may post to Slack.
      await inbox.idle();
      await background.settle();
      await inbox.idle();
    },
    stop() {
      stopping ??= (async () => {
        // Stop accepting, let in-flight requests and background turns finish, then close storage last.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        hub.shutdown();
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
        await closed;
        // Deliveries not yet worked stay in the inbox and are worked at the next start.
        await inbox.stop();
        await background.settle();
        await stopAssistant();
        await scheduler.stop();
        await outbox.stop();
        await emailWorker?.stop();
        transport?.close();
        if (slack.appToken) await slackDoor.app.stop();
        await slack.sandbox?.close();
        await storage.close();
      })();
      return stopping;
    },
  };
}
