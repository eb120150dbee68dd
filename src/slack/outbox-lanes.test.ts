import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { threadLine as line } from './outbox-item-fixtures.js';
import { createOutboxLanes } from './outbox-lanes.js';

/** A promise with its resolve handle, to hold a read or a post open while the lanes go on. */
function held<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('createOutboxLanes', () => {
  it('never sends a head again from a read that began before its lane sent it', async () => {
    // A store of one channel's queue: item 1, then nothing once it is sent.
    const pending = new Set([1]);
    const reads: ReturnType<typeof held<void>>[] = [];
    const posts: ReturnType<typeof held<void>>[] = [];
    const sent: number[] = [];
    const lanes = createOutboxLanes({
      heads: {
        // The first two reads of every channel's heads are held open until the test answers them, with
        // the store as it was when they began; later ones answer at once.
        pending: async () => {
          const snapshot = [...pending].map((id) => line(id));
          if (reads.length >= 2) return snapshot;
          const read = held<void>();
          reads.push(read);
          return read.promise.then(() => snapshot);
        },
        of: async () => [...pending].map((id) => line(id)),
      },
      now: () => new Date(0),
      log: pino({ level: 'silent' }),
      concurrency: 4,
      send: async (item) => {
        sent.push(item.id);
        // The first post is held open until the test lets Slack answer it.
        if (posts.length === 0) {
          const post = held<void>();
          posts.push(post);
          await post.promise;
        }
        pending.delete(item.id);
      },
    });
    const pass = lanes.pass(() => false);
    await settle();
    reads[0]!.resolve();
    await settle();
    expect(sent).toEqual([1]);
    // New work is committed elsewhere while item 1 is in flight: the pass reads every queue again.
    lanes.wake(['C2']);
    await settle();
    expect(reads).toHaveLength(2);
    // That read saw item 1 still pending; before it answers, item 1's post lands and its lane ends.
    posts[0]!.resolve();
    await settle();
    reads[1]!.resolve();
    await pass;
    expect(sent).toEqual([1]);
  });

  it('reads again when a lane gives its turn back during a read, and sends each head once', async () => {
    // One channel with more heads than a lane's turn (20): the lane sends 20, gives its lane back and
    // ends while a read of every queue, begun during its fifth post, is still out.
    const pending = new Set(Array.from({ length: 21 }, (_, i) => i + 1));
    const snapshot = () => [...pending].map((id) => line(id));
    let reads = 0;
    const heldRead = held<void>();
    const heldPost = held<void>();
    const sent: number[] = [];
    const lanes = createOutboxLanes({
      heads: {
        pending: async () => {
          reads += 1;
          const seen = snapshot();
          if (reads === 2) await heldRead.promise;
          return seen;
        },
        of: async () => snapshot(),
      },
      now: () => new Date(0),
      log: pino({ level: 'silent' }),
      concurrency: 4,
      send: async (item) => {
        sent.push(item.id);
        if (item.id === 5) await heldPost.promise;
        pending.delete(item.id);
      },
    });
    const pass = lanes.pass(() => false);
    await settle();
    expect(sent).toEqual([1, 2, 3, 4, 5]);
    lanes.wake(['C2']);
    await settle();
    expect(reads).toBe(2);
    heldPost.resolve();
    await settle();
    expect(sent).toHaveLength(20);
    // The read answers with item 5 (in flight when it began) as C1's head: stale, so the pass reads again
    // and finds 21.
    heldRead.resolve();
    await pass;
    expect(sent).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    // The first read, the held one, the read again, and the one that finds the queue empty.
    expect(reads).toBe(4);
  });
});
