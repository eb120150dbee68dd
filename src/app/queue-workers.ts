import type { Logger } from 'pino';
import { answerLeftovers, type ConversationDeps } from '../conversation/conversation-service.js';
import { createEmailWorker } from '../email/email-worker.js';
import type { EmailTransport } from '../email/smtp-transport.js';
import { createCardOutcomes } from '../handoff/card-outcomes.js';
import { type EscalationMemory, escalateUnclaimed } from '../handoff/escalation.js';
import { createInboxWorker } from '../slack/inbox/inbox-worker.js';
import { createOutboxRenderer } from '../slack/outbox-renderer.js';
import { createOutboxWorker } from '../slack/outbox-worker.js';
import { startSlackCallThread } from '../slack/slack-call-thread.js';
import type { OpenedDatabase } from '../storage/database.js';
import { type InboxItem, pruneDoneDeliveries } from '../storage/inbox-repository.js';
import { pruneProcessedEvents } from '../storage/processed-events-repository.js';
import { createScheduler } from './scheduler.js';
import { markEmailed, reportUndelivered } from '../handoff/delivery-marks.js';
import { pruneDeliveryMarks } from '../handoff/delivery-marks-repository.js';
import { pruneTriggerInputs } from '../handoff/trigger-input-repository.js';

/** In a fleet, a customer line unanswered for this long is taken to belong to an instance that died. */
const LEFTOVER_AGE_MS = 120_000;
/**
 * In a fleet, how often the worker looks at every queue unasked: a kick from another instance is a
 * notice that is lost if the worker's link is down at that moment.
 */
const FLEET_SWEEP_MS = 2_000;

export interface QueueWorkers {
  kickOutbox(channels?: readonly string[]): void;
  kickInbox(): void;
  kickEmail(): void;
  runJobs(): Promise<void>;
  /** Resolves once the inbox has nothing running. */
  inboxIdle(): Promise<void>;
  /** Stops taking Slack deliveries (at shutdown, before background work is let finish). */
  stopInbox(): Promise<void>;
  /** Waits for running passes; queued work stays in the database for whoever works it next. */
  stop(): Promise<void>;
}

export interface QueueWorkerContext {
  deps: ConversationDeps;
  storage: OpenedDatabase;
  slack: { botToken: string; apiUrl: string };
  log: Logger;
  now: () => Date;
  transport: EmailTransport | undefined;
  emailFrom: string;
  jobsEveryMs: number;
  escalationMinutes: number;
  escalationMemory: EscalationMemory;
  processDelivery: (item: InboxItem) => Promise<void>;
  /** Several instances share the database: leftovers are only lines older than LEFTOVER_AGE_MS. */
  fleet: boolean;
}

/**
 * The durable queues' workers (Slack outbox, Slack inbox, email) and the scheduled jobs. One instance
 * runs them: the only one on SQLite, the holder of the worker lock in a PostgreSQL fleet. They are
 * started when this instance takes the work and stopped when it loses it; every piece of their state
 * that matters is in the database, so a new set picks up where the last one stopped.
 */
export function startQueueWorkers(ctx: QueueWorkerContext): QueueWorkers {
  const { deps, storage, log, now } = ctx;
  // The outbox's own client, in a thread of its own (slack-call-thread.ts). Rate limits come back to the
  // worker, which defers the post and keeps order.
  const outboxClient = startSlackCallThread({
    botToken: ctx.slack.botToken,
    apiUrl: ctx.slack.apiUrl,
    timeoutMs: 10_000,
    log: log.child({ component: 'slack-calls' }),
  });
  const permalink = async (channel: string, ts: string) =>
    (await outboxClient.chat.getPermalink({ channel, message_ts: ts })).permalink;
  const outbox = createOutboxWorker({
    db: storage.db,
    transact: storage.transact,
    client: outboxClient,
    log: log.child({ component: 'outbox' }),
    now,
    renderer: createOutboxRenderer({
      db: storage.db,
      now,
      permalink,
      maskedKinds: async () => (await deps.settings()).redaction.masked,
    }),
    outcomes: createCardOutcomes(deps),
  });
  const email = ctx.transport
    ? createEmailWorker({
        db: storage.db,
        transport: ctx.transport,
        from: ctx.emailFrom,
        log: log.child({ component: 'email' }),
        now,
        onSent: async (item) => {
          if (item.messageId) await markEmailed(deps, item.messageId);
        },
      })
    : undefined;
  const inbox = createInboxWorker({
    db: storage.db,
    log: log.child({ component: 'slack-inbox' }),
    now,
    process: ctx.processDelivery,
  });
  const leftovers = () =>
    answerLeftovers(deps, ctx.fleet ? new Date(now().getTime() - LEFTOVER_AGE_MS) : undefined);
  const scheduler = createScheduler({
    jobs: [
      {
        name: 'escalation',
        everyMs: ctx.jobsEveryMs,
        run: () => escalateUnclaimed(deps, ctx.escalationMinutes, ctx.escalationMemory),
      },
      // Slack retries an event for about six minutes; a day of event ids is plenty.
      {
        name: 'prune-processed-events',
        everyMs: ctx.jobsEveryMs,
        run: async () => {
          const dayAgo = new Date(now().getTime() - 86_400_000).toISOString();
          await pruneProcessedEvents(storage.db, dayAgo);
          await pruneDoneDeliveries(storage.db, dayAgo);
          // Replays look back at most a year; delivery marks matter while a customer may still return.
          await pruneTriggerInputs(storage.db, new Date(now().getTime() - 366 * 86_400_000).toISOString());
          await pruneDeliveryMarks(storage.db, new Date(now().getTime() - 30 * 86_400_000).toISOString());
        },
      },
      // Agent replies that reached the customer neither live nor by email: the agent is told.
      {
        name: 'delivery-marks',
        everyMs: ctx.jobsEveryMs,
        run: () => reportUndelivered(deps, ctx.transport !== undefined),
      },
      // A fleet instance that died mid-answer leaves its customer's line unanswered: answered here.
      ...(ctx.fleet ? [{ name: 'answer-leftovers', everyMs: ctx.jobsEveryMs, run: leftovers }] : []),
    ],
    log: log.child({ component: 'jobs' }),
    track: deps.track,
  });
  scheduler.start();
  outbox.kick();
  // Deliveries recorded before a crash, a restart or a change of worker are worked now.
  inbox.kick();
  email?.kick();
  const sweep = ctx.fleet
    ? setInterval(() => {
        outbox.kick();
        inbox.kick();
        email?.kick();
      }, FLEET_SWEEP_MS)
    : undefined;
  sweep?.unref();
  void deps
    .track(leftovers())
    .catch((error: unknown) => log.error({ err: error }, 'answering leftover messages failed'));
  return {
    kickOutbox: outbox.kick,
    kickInbox: inbox.kick,
    kickEmail: () => email?.kick(),
    runJobs: () => scheduler.runNow(),
    inboxIdle: () => inbox.idle(),
    stopInbox: () => inbox.stop(),
    async stop() {
      clearInterval(sweep);
      await inbox.stop();
      await scheduler.stop();
      try {
        await outbox.stop();
      } finally {
        // The thread goes with the outbox even when stopping it failed: a fleet may start a new set.
        await outboxClient.close();
      }
      await email?.stop();
    },
  };
}
