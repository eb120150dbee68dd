import type { Logger } from 'pino';
import type { OutboxItem } from '../storage/outbox-repository.js';

/**
 * Which of one channel's heads may go now, and when to look again. A handoff card may overtake the
 * channel's older posts; while the card itself waits (a 429's Retry-After), nothing else in its channel
 * goes either: a thread line sent then would spend the channel's allowance and the card would be refused
 * again, and a customer waiting for anyone would wait behind conversations that already have someone.
 */
export function dueHeads(heads: OutboxItem[], nowMs: number): { due: OutboxItem[]; wakeAt?: number } {
  const waitingCard = heads.find((item) => item.kind === 'handoff_card' && item.notBefore > nowMs);
  if (waitingCard) return { due: [], wakeAt: waitingCard.notBefore };
  const later = heads.filter((item) => item.notBefore > nowMs).map((item) => item.notBefore);
  return {
    due: heads.filter((item) => item.notBefore <= nowMs),
    ...(later.length > 0 ? { wakeAt: Math.min(...later) } : {}),
  };
}

/** One pass's lanes, and which channels' lanes ended when (counted in lane ends). */
export interface PassState {
  lanes: Map<string, Promise<void>>;
  /** A lane that threw (the database refused, say) is not restarted in this pass; the loop comes back soon. */
  troubled: Set<string>;
  /** Channels whose lane gave its turn back: they queue behind the channels still waiting for one. */
  yielded: Set<string>;
  lanesEnded: number;
  endedAt: Map<string, number>;
}

export function newPassState(): PassState {
  return { lanes: new Map(), troubled: new Set(), yielded: new Set(), lanesEnded: 0, endedAt: new Map() };
}

export interface StartLanes {
  /** Every channel's heads, as read by a read that began when `readFrom` lanes had ended. */
  heads: OutboxItem[];
  readFrom: number;
  state: PassState;
  nowMs: number;
  concurrency: number;
  log: Logger;
  /** Sends a channel's due heads; true when it gave its turn back with more to send. */
  runLane: (channel: string, due: OutboxItem[]) => Promise<boolean>;
}

/**
 * Starts a lane for each channel with due heads, up to `concurrency`; says when the next deferred head
 * is due. A channel whose lane ended after the read began (`readFrom`) is left out: the read may have
 * seen as pending a head that lane has sent since (PostgreSQL answers while the lane goes on), and a
 * lane started from it would post it again. `leftOut` says the caller should read again.
 */
export function startLanes(args: StartLanes): { nextWake?: number; leftOut: boolean } {
  const { state, readFrom, nowMs, concurrency } = args;
  const { lanes, troubled, yielded, endedAt } = state;
  let nextWake: number | undefined;
  // Heads come oldest first, so the channel that has waited longest gets the next free lane.
  const byChannel = new Map<string, OutboxItem[]>();
  let leftOut = false;
  for (const item of args.heads) {
    if (lanes.has(item.channel) || troubled.has(item.channel)) continue;
    if ((endedAt.get(item.channel) ?? -1) > readFrom) {
      leftOut = true;
      continue;
    }
    const items = byChannel.get(item.channel);
    if (items) items.push(item);
    else byChannel.set(item.channel, [item]);
  }
  const due = new Map<string, OutboxItem[]>();
  for (const [channel, items] of byChannel) {
    const { due: now, wakeAt } = dueHeads(items, nowMs);
    if (wakeAt !== undefined) nextWake = Math.min(nextWake ?? Number.POSITIVE_INFINITY, wakeAt);
    if (now.length > 0) due.set(channel, now);
  }
  const waitingLongest = [...due].sort(([a], [b]) => Number(yielded.has(a)) - Number(yielded.has(b)));
  for (const [channel, items] of waitingLongest) {
    if (lanes.size >= concurrency) break;
    yielded.delete(channel);
    const lane = args
      .runLane(channel, items)
      .then((gaveBack) => {
        if (gaveBack) yielded.add(channel);
      })
      .catch((error: unknown) => {
        troubled.add(channel);
        args.log.error({ err: error, channel }, 'outbox lane failed; will retry');
      })
      .finally(() => {
        lanes.delete(channel);
        state.lanesEnded += 1;
        endedAt.set(channel, state.lanesEnded);
      });
    lanes.set(channel, lane);
  }
  return { ...(nextWake === undefined ? {} : { nextWake }), leftOut };
}
