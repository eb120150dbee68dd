import type { Logger } from 'pino';
import type { Db } from '../../storage/database.js';
import { z } from 'zod';
import {
  deferDelivery,
  type InboxItem,
  markDeliveryDone,
  parkDelivery,
  pendingDeliveries,
  retryDeliveryLater,
} from '../../storage/inbox-repository.js';

/**
 * Works the Slack inbox after the acknowledgement: one delivery at a time per lane (a thread keeps
 * the order Slack sent its replies, edits and clicks in), several lanes at once (a slow Slack lookup
 * in one thread never holds up another). A failure is retried with backoff, up to a cap; then the
 * delivery is parked for an admin to see and its lane moves on.
 */

export const INBOX_MAX_ATTEMPTS = 5;
/** Deliveries worked at once across lanes: enough to hide a slow Slack call, few enough for SQLite. */
export const INBOX_CONCURRENCY = 8;
/** After the database refused a delivery's bookkeeping, the delivery waits this long. */
const BOOKKEEPING_RETRY_MS = 1000;
/** After a pass the database refused, the next one waits this long. */
const PASS_RETRY_MS = 1000;
/** How long a stop waits for deliveries in progress. */
export const STOP_GRACE_MS = 5000;
/** How many pending rows one pass looks at; the next pass sees the rest. */
const SCAN = 500;

export interface InboxWorkerDeps {
  db: Db;
  log: Logger;
  now: () => Date;
  /** Runs one delivery through the listeners; throws when it should be tried again. */
  process: (item: InboxItem) => Promise<void>;
  maxAttempts?: number;
  concurrency?: number;
  stopGraceMs?: number;
  /** Wait before attempt n+1 (n from 1). */
  backoffMs?: (attempt: number) => number;
}

export interface InboxWorker {
  kick(): void;
  /** Resolves when nothing is running and nothing pending is due (tests, settle). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const DELIVERY_NOT_YET = 'slack_delivery_not_yet';

/**
 * Thrown by a listener whose delivery cannot be worked yet because what it needs is on its way (a card
 * whose post Baton has not recorded): tried again after `retryInMs` without counting an attempt. The
 * listener decides how long it is worth waiting; the inbox only waits.
 */
export function deliveryNotYet(message: string, retryInMs: number): Error {
  return Object.assign(new Error(message), { code: DELIVERY_NOT_YET, retryInMs });
}

const notYet = z.object({
  code: z.literal(DELIVERY_NOT_YET),
  retryInMs: z.number().positive(),
  message: z.string(),
});

const defaultBackoff = (attempt: number) => Math.min(60_000, 500 * 2 ** (attempt - 1));

export function createInboxWorker(deps: InboxWorkerDeps): InboxWorker {
  const maxAttempts = deps.maxAttempts ?? INBOX_MAX_ATTEMPTS;
  const concurrency = deps.concurrency ?? INBOX_CONCURRENCY;
  const backoff = deps.backoffMs ?? defaultBackoff;
  const busyLanes = new Set<string>();
  const running = new Set<Promise<void>>();
  let pumping: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let wake: NodeJS.Timeout | undefined;
  let dueNow = false;
  // Ids finished while a pass was reading: its rows may predate their completion, so they are skipped.
  const finishedDuringRead = new Set<number>();
  const held = new Map<number, number>();
  // Deliveries whose listeners ran but whose "done" mark the database refused (locked, full).
  const doneUnrecorded = new Set<number>();

  async function run(item: InboxItem) {
    const log = deps.log.child({ inboxId: item.id, deliveryId: item.deliveryId, kind: item.kind });
    if (doneUnrecorded.has(item.id)) {
      // Worked already; only the bookkeeping failed. Never run the listeners twice for it.
      await markDeliveryDone(deps.db, item.id, deps.now().toISOString());
      doneUnrecorded.delete(item.id);
      return;
    }
    try {
      await deps.process(item);
    } catch (error) {
      const wait = notYet.safeParse(error);
      if (wait.success) {
        const notBefore = deps.now().getTime() + wait.data.retryInMs;
        held.set(item.id, notBefore);
        log.debug({ why: wait.data.message }, 'Slack delivery waits for what it needs');
        await deferDelivery(deps.db, item.id, notBefore, wait.data.message.slice(0, 500));
        held.delete(item.id);
        return;
      }
      const attempt = item.attempts + 1;
      const message = error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : 'failed';
      const notBefore = deps.now().getTime() + backoff(attempt);
      // If the database cannot take the bookkeeping either (locked, full), the row stays as it was:
      // hold it back in memory so the next pass does not run it again at once.
      held.set(item.id, notBefore);
      if (attempt >= maxAttempts) {
        log.error({ err: error, attempt }, 'Slack delivery parked: out of attempts');
        await parkDelivery(deps.db, item.id, message, deps.now().toISOString());
      } else {
        log.warn({ err: error, attempt }, 'Slack delivery failed; will retry');
        await retryDeliveryLater(deps.db, item.id, notBefore, message);
      }
      held.delete(item.id);
      return;
    }
    doneUnrecorded.add(item.id);
    await markDeliveryDone(deps.db, item.id, deps.now().toISOString());
    doneUnrecorded.delete(item.id);
    held.delete(item.id);
  }

  function start(item: InboxItem) {
    busyLanes.add(item.lane);
    const task: Promise<void> = run(item)
      .catch((error: unknown) => {
        deps.log.error({ err: error }, 'inbox bookkeeping failed');
        // The database refused the bookkeeping: give it a moment before this row comes round again.
        if (!held.has(item.id)) held.set(item.id, deps.now().getTime() + BOOKKEEPING_RETRY_MS);
      })
      .finally(() => {
        finishedDuringRead.add(item.id);
        busyLanes.delete(item.lane);
        running.delete(task);
        kick();
      });
    running.add(task);
  }

  async function pass() {
    finishedDuringRead.clear();
    const items = await pendingDeliveries(deps.db, SCAN);
    const now = deps.now().getTime();
    const lanesSeen = new Set<string>();
    let nextDue = Number.POSITIVE_INFINITY;
    dueNow = false;
    for (const item of items) {
      // Only the oldest pending delivery of a lane may run: the rest wait behind it, in order.
      if (lanesSeen.has(item.lane)) continue;
      lanesSeen.add(item.lane);
      if (finishedDuringRead.has(item.id)) continue;
      if (busyLanes.has(item.lane)) continue;
      const notBefore = Math.max(item.notBefore, held.get(item.id) ?? 0);
      if (notBefore > now) {
        nextDue = Math.min(nextDue, notBefore);
        continue;
      }
      if (running.size >= concurrency) {
        dueNow = true;
        break;
      }
      start(item);
    }
    if (wake) clearTimeout(wake);
    wake = undefined;
    if (Number.isFinite(nextDue) && !stopped) {
      wake = setTimeout(kick, Math.max(10, nextDue - now));
      wake.unref();
    }
  }

  function kick() {
    if (stopped) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = (async () => {
      do {
        again = false;
        // Back to the event loop between passes: timers and I/O run even while the inbox is busy.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const failed = await pass().then(
          () => false,
          (error: unknown) => {
            deps.log.error({ err: error }, 'inbox pass failed');
            return true;
          },
        );
        // The database refused (locked, full): try again in a moment rather than at once.
        if (failed && !stopped) {
          if (wake) clearTimeout(wake);
          wake = setTimeout(kick, PASS_RETRY_MS);
          wake.unref();
          break;
        }
      } while (again && !stopped);
    })().finally(() => {
      pumping = undefined;
    });
  }

  async function idle() {
    for (;;) {
      if (pumping) await pumping;
      if (running.size > 0) {
        await Promise.all([...running]);
        continue;
      }
      kick();
      await pumping;
      if (running.size === 0 && !dueNow) return;
    }
  }

  return {
    kick,
    idle,
    async stop() {
      stopped = true;
      if (wake) clearTimeout(wake);
      if (pumping) await pumping;
      // A listener stuck on a slow Slack call is not waited for forever: its delivery is still
      // pending in the inbox and is worked again at the next start.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([...running]),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, deps.stopGraceMs ?? STOP_GRACE_MS);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
