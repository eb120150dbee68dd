import type { Logger } from 'pino';
import type { OutboxItem } from '../storage/outbox-repository.js';
import { dueHeads, newPassState, startLanes } from './outbox-lane-pass.js';

const TROUBLED_RETRY_MS = 1000;
/** Posts a lane sends for its channel before the lanes are shared out again. */
const LANE_TURN = 20;

/** The queue's heads as stored (pendingHeads and channelHeads in outbox-heads.ts). */
export interface OutboxHeads {
  /** Every channel's heads, oldest first. */
  pending(): Promise<OutboxItem[]>;
  /** One channel's heads. */
  of(channel: string): Promise<OutboxItem[]>;
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
    const state = newPassState();
    const { lanes, troubled } = state;
    running = lanes;
    let nextWake: number | undefined;
    try {
      for (;;) {
        if (!isStopped()) {
          woken = false;
          const readFrom = state.lanesEnded;
          const started = startLanes({
            heads: await deps.heads.pending(),
            readFrom,
            state,
            nowMs: deps.now().getTime(),
            concurrency,
            log: deps.log,
            runLane: (channel, due) => runLane(channel, due, isStopped),
          });
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
