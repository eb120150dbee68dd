import type { Logger } from 'pino';
import type { OutboxItem } from '../storage/outbox-repository.js';

const TROUBLED_RETRY_MS = 1000;
/** Posts a lane sends for its channel before the lanes are shared out again. */
const LANE_TURN = 20;

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

/** The queue's heads as stored (pendingHeads and channelHeads in outbox-repository.ts). */
export interface OutboxHeads {
  /** Every channel's heads, oldest first. */
  pending(): Promise<OutboxItem[]>;
  /** One channel's heads. */
  of(channel: string): Promise<OutboxItem[]>;
}

/** One pass's lanes, and which channels' lanes ended when (counted in lane ends). */
interface PassState {
  lanes: Map<string, Promise<void>>;
  /** A lane that threw (the database refused, say) is not restarted in this pass; the loop comes back soon. */
  troubled: Set<string>;
  /** Channels whose lane gave its turn back: they queue behind the channels still waiting for one. */
  yielded: Set<string>;
  lanesEnded: number;
  endedAt: Map<string, number>;
}

export interface OutboxLaneDeps {
  heads: OutboxHeads;
  now: () => Date;
  log: Logger;
  /** Sends one item (or parks or defers it); throws only when the database fails. */
  send: (item: OutboxItem) => Promise<void>;
  concurrency: number;
}

/**
 * The outbox's scheduling: one lane per channel (a DM is a channel here), up to `concurrency` at once.
 * `pass` is the work loop's pass; `wake` tells a running pass that new work was committed.
 */
export function createOutboxLanes(deps: OutboxLaneDeps) {
  const { send, concurrency } = deps;
  // Set by wake(): new work was committed. Checked before waiting, so a kick that lands while the heads
  // are being read is not lost.
  let woken = false;
  let wakePass = () => {};
  /**
   * The running pass's lanes, by channel. New work for a channel with a lane needs no new read of every
   * channel's queue: its lane reads its own queue after each post, and the pass reads every queue again
   * whenever a lane ends (and the work loop runs one more pass after a kick), so nothing is stranded.
   */
  let running: ReadonlyMap<string, unknown> = new Map();
  /**
   * Works every channel's queue at once, up to `concurrency` channels in flight: each channel (or DM) is a
   * lane that sends its due heads in order, and as soon as a lane is done its next head is looked up, so a
   * slow channel never holds up another and capacity grows with channels rather than with Slack's round
   * trip. Returns when nothing is due: the time the next deferred head is, or undefined.
   */
  async function pass(isStopped: () => boolean): Promise<number | undefined> {
    const state: PassState = {
      lanes: new Map(),
      troubled: new Set(),
      yielded: new Set(),
      lanesEnded: 0,
      endedAt: new Map(),
    };
    const { lanes, troubled } = state;
    running = lanes;
    let nextWake: number | undefined;
    try {
      for (;;) {
        if (!isStopped()) {
          woken = false;
          const readFrom = state.lanesEnded;
          const started = startLanes(await deps.heads.pending(), state, readFrom, isStopped);
          nextWake = started.nextWake;
          // A lane ended while the heads were read: its channel was left out, so read them again.
          if (started.leftOut) continue;
        }
        if (lanes.size === 0) break;
        // With a lane free, a kick (new work, maybe for an idle channel) reads the heads again at once;
        // with every lane busy it waits for one to finish, which reads them anyway.
        const laneFree = lanes.size < concurrency && !isStopped();
        if (woken && laneFree) continue;
        const kicked = laneFree ? [new Promise<void>((resolve) => (wakePass = resolve))] : [];
        await Promise.race([...lanes.values(), ...kicked]);
        wakePass = () => {};
      }
    } finally {
      // Never leave a lane running behind a pass that failed: the next pass would send its head again.
      await Promise.allSettled(lanes.values());
    }
    if (isStopped()) return undefined;
    return troubled.size > 0 ? deps.now().getTime() + TROUBLED_RETRY_MS : nextWake;
  }

  /**
   * Starts a lane for each channel with due heads, up to `concurrency`; says when the next deferred head
   * is due. A channel whose lane ended after the read began (`readFrom`) is left out: the read may have
   * seen as pending a head that lane has sent since (PostgreSQL answers while the lane goes on), and a
   * lane started from it would post it again.
   */
  function startLanes(
    heads: OutboxItem[],
    state: PassState,
    readFrom: number,
    isStopped: () => boolean,
  ): { nextWake?: number; leftOut: boolean } {
    const { lanes, troubled, yielded, endedAt } = state;
    const nowMs = deps.now().getTime();
    let nextWake: number | undefined;
    // Heads come oldest first, so the channel that has waited longest gets the next free lane.
    const byChannel = new Map<string, OutboxItem[]>();
    let leftOut = false;
    for (const item of heads) {
      if (lanes.has(item.channel) || troubled.has(item.channel)) continue;
      if ((endedAt.get(item.channel) ?? -1) > readFrom) {
        leftOut = true;
        continue;
      }
      byChannel.set(item.channel, [...(byChannel.get(item.channel) ?? []), item]);
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
      const lane = runLane(channel, items, isStopped)
        .then((gaveBack) => {
          if (gaveBack) yielded.add(channel);
        })
        .catch((error: unknown) => {
          troubled.add(channel);
          deps.log.error({ err: error, channel }, 'outbox lane failed; will retry');
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

  /**
   * Sends a channel's due heads in order. The lane keeps to its channel for up to LANE_TURN posts (one
   * small query per post instead of reading every channel's head again), then gives its lane back
   * (returns true), so busy channels cannot keep another waiting for a lane.
   */
  async function runLane(channel: string, first: OutboxItem[], isStopped: () => boolean): Promise<boolean> {
    let sent = 0;
    for (let next = first; next.length > 0;) {
      if (sent >= LANE_TURN) return true;
      // One at a time, the heads read again after each: a card Slack just deferred holds the rest back.
      await send(next[0]!);
      sent += 1;
      if (isStopped()) return false;
      next = dueHeads(await deps.heads.of(channel), deps.now().getTime()).due;
    }
    return false;
  }

  return {
    pass,
    /** New work was committed (for `channels`, when known). */
    wake(channels?: readonly string[]) {
      if (channels && channels.length > 0 && channels.every((c) => running.has(c))) return;
      woken = true;
      wakePass();
    },
  };
}
