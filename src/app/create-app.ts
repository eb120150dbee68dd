import http from 'node:http';
import { type ChatRouteLimits, DEFAULT_CHAT_LIMITS } from '../webchat/chat-limits.js';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createAssistant, createBackgroundWork } from './create-assistant.js';
import { createAgentDirectory } from '../slack/agent-directory.js';
import { avatarOrigins } from '../slack/agent-avatar.js';
import { createBoltApp } from '../slack/create-bolt-app.js';
import { migrateToLatest } from '../storage/database.js';
import { openStorage } from '../storage/open-storage.js';
import { createLiveHub, type LiveHub } from '../webchat/live-hub.js';
import type { ConversationDeps } from '../conversation/conversation-service.js';
import { loadDeskSettings } from '../desk/settings-service.js';
import { createKeyedSerialQueue } from '../lib/keyed-serial-queue.js';
import { createSlackWorkspace } from '../slack/slack-workspace.js';
import type { Config } from './config.js';
import { createHttpApp, refusingLongUrls } from './http-app.js';
import { invalidatableCache } from '../lib/cached-for.js';
import { createIdGenerator } from './ids.js';
import { createSmtpTransport } from '../email/smtp-transport.js';
import { createEscalationMemory } from '../handoff/escalation.js';
import { createFollowUpMailer } from '../email/follow-up-queue.js';
import { connectSlack, type SlackConnection } from './slack-connection.js';
import { joinFleet, newInstanceId, type QueueName } from './fleet-membership.js';
import { createFleetPresence } from './fleet-presence.js';
import { type QueueWorkers, startQueueWorkers } from './queue-workers.js';

/** Open connections at most (live streams are capped at 2,000 of them; the file-handle limit here is 20,000). */
const MAX_CONNECTIONS = 10_000;
/**
 * Connections the kernel holds for Baton to accept (Node's default is 511). When every customer's page
 * reconnects at once after a restart, Baton's event loop is busy replaying streams while thousands of
 * connects arrive; Linux drops those past the queue, and some of them ended in resets (a 10,000-client
 * storm failed with ECONNRESET at 511 and passed at this size). Linux caps it at net.core.somaxconn
 * (4,096 by default since 5.4).
 */
const LISTEN_BACKLOG = 4096;
/** How long desk settings read from the database are reused (another instance's change shows within this). */
const SETTINGS_CACHE_MS = 2000;

export interface Baton {
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  slack: SlackConnection;
  deps: ConversationDeps;
  /** The live streams of this instance (what `deps.live` publishes to, through the change feed in a fleet). */
  hub: LiveHub;
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

function kickQueue(workers: QueueWorkers, queue: QueueName): void {
  if (queue === 'outbox') workers.kickOutbox();
  else if (queue === 'inbox') workers.kickInbox();
  else workers.kickEmail();
}

/** The one composition root: builds every piece, wires them, starts listening. */
export async function startBaton(config: Config, options: CreateBatonOptions): Promise<Baton> {
  const { log } = options;
  const now = options.now ?? (() => new Date());
  const instanceId = newInstanceId();
  const storage = openStorage(config, instanceId);
  await migrateToLatest(storage.db);
  const slack = await connectSlack(config, log);
  // Agents' pictures come from Slack's image hosts (or the local workspace): kept and allowed by one list.
  const imageOrigins = avatarOrigins(slack.sandbox?.url);

  const { assistant, stop: stopAssistant } = await createAssistant(config, log);
  const presence = config.DATABASE_URL
    ? createFleetPresence({ db: storage.db, instanceId, now, log: log.child({ component: 'fleet' }) })
    : undefined;
  const hub = createLiveHub(presence?.presence);
  await presence?.start(hub.isWatched);
  const background = createBackgroundWork();
  const track = background.track;
  // Read on every message and handoff; a change made here drops the cache at once, one made by another
  // instance of a fleet as soon as its notice arrives (within SETTINGS_CACHE_MS if the notice is lost).
  const settingsCache = invalidatableCache(SETTINGS_CACHE_MS, () =>
    loadDeskSettings({ db: storage.db, log }),
  );
  // The queues and jobs run on one instance: this one on SQLite, the worker-lock holder in a fleet.
  // Any other instance asks it to look at a queue instead.
  let workers: QueueWorkers | undefined;
  const fleet = config.DATABASE_URL
    ? joinFleet({
        url: config.DATABASE_URL,
        instanceId,
        db: storage.db,
        hub,
        log: log.child({ component: 'fleet' }),
        dropSettings: settingsCache.invalidate,
        onKick: (queue) => workers && kickQueue(workers, queue),
      })
    : undefined;
  const work = {
    kickOutbox: (channels?: readonly string[]) =>
      workers ? workers.kickOutbox(channels) : fleet?.kick('outbox'),
    kickInbox: () => (workers ? workers.kickInbox() : fleet?.kick('inbox')),
    kickEmail: () => (workers ? workers.kickEmail() : fleet?.kick('email')),
  };
  const deps: ConversationDeps = {
    db: storage.db,
    transact: storage.transact,
    now,
    ids: createIdGenerator(),
    log,
    assistant,
    // In a fleet every change reaches the streams through the change feed, in commit order (see
    // fleet-membership.ts), so nothing is published straight after a commit.
    live: fleet
      ? {
          message: () => {},
          status: () => {},
          isWatched: hub.isWatched,
          watchedAnywhere: hub.watchedAnywhere,
        }
      : hub,
    agents: createAgentDirectory(slack.client, log, { avatarOrigins: imageOrigins }),
    kickOutbox: work.kickOutbox,
    handoffChannel: slack.handoffChannel,
    settings: settingsCache.get,
    settingsChanged: () => {
      settingsCache.invalidate();
      fleet?.settingsChanged();
    },
    workspace: createSlackWorkspace(slack.client, {
      botUserId: slack.botUserId,
      admins: config.BATON_ADMINS,
    }),
    track,
    perConversation: createKeyedSerialQueue(),
  };

  // Follow-up email for customers who left an address and are not in the chat (only with SMTP configured).
  const transport = config.SMTP_URL ? createSmtpTransport(config.SMTP_URL) : undefined;
  if (transport) {
    deps.followUp = createFollowUpMailer({
      now,
      brand: config.EMAIL_BRAND,
      conversationUrl: config.PUBLIC_URL,
      kick: () => work.kickEmail(),
    });
    deps.transcripts = { brand: config.EMAIL_BRAND, kick: () => work.kickEmail() };
  }
  const escalationMemory = createEscalationMemory();

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
        const database = await storage.ping();
        const slackOk = await slack.client.auth
          .test()
          .then((r) => r.ok === true)
          .catch(() => false);
        return { ok: database && slackOk, checks: { database, slack: slackOk } };
      },
    },
  );
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
      recorded: () => work.kickInbox(),
    },
    { services: deps, handoffChannel: slack.handoffChannel },
  );
  const startWorkers = () =>
    (workers ??= startQueueWorkers({
      deps,
      storage,
      slack,
      log,
      now,
      transport,
      emailFrom: config.EMAIL_FROM,
      jobsEveryMs: config.JOBS_INTERVAL_SECONDS * 1000,
      escalationMinutes: config.ESCALATION_MINUTES,
      escalationMemory,
      processDelivery: (item) => slackDoor.receiver.process(item),
      fleet: fleet !== undefined,
    }));
  const stopWorkers = async () => {
    const running = workers;
    workers = undefined;
    await running?.stop();
  };
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
    server.listen({ port: config.PORT, host: config.HOST, backlog: LISTEN_BACKLOG }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
  slack.sandbox?.setAppRequestUrl(`${url}/slack/events`);
  if (fleet) await fleet.start({ elected: startWorkers, deposed: stopWorkers });
  else startWorkers();

  let stopping: Promise<void> | undefined;
  return {
    url,
    slack,
    deps,
    hub,
    runJobs: async () => {
      await workers?.runJobs();
    },
    async settle() {
      // Inbox work starts background work (copilot, turns) and background work may post to Slack.
      await workers?.inboxIdle();
      await background.settle();
      await workers?.inboxIdle();
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
        await workers?.stopInbox();
        await background.settle();
        await stopAssistant();
        await stopWorkers();
        await fleet?.stop();
        await presence?.stop();
        transport?.close();
        if (slack.appToken) await slackDoor.app.stop();
        await slack.sandbox?.close();
        await storage.close();
      })();
      return stopping;
    },
  };
}
