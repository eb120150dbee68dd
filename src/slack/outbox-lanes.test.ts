import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { OutboxItem } from '../storage/outbox-repository.js';
import { createOutboxLanes, dueHeads } from './outbox-lanes.js';

const meta = { attempts: 0, maybeSent: false };
const line = (id: number, notBefore = 0): OutboxItem => ({
  ...meta,
  id,
  notBefore,
  kind: 'thread_message',
  channel: 'C1',
  conversationId: 'c',
  handoffId: 'h',
  messageId: `m${id}`,
});
const card = (id: number, notBefore = 0): OutboxItem => ({
  ...meta,
  id,
  notBefore,
  kind: 'handoff_card',
  channel: 'C1',
  conversationId: 'c2',
  handoffId: 'h2',
});

describe('dueHeads', () => {
  it('sends what is due and wakes for what is deferred', () => {
    expect(dueHeads([card(5), line(1)], 100)).toEqual({ due: [card(5), line(1)] });
    expect(dueHeads([line(1, 500)], 100)).toEqual({ due: [], wakeAt: 500 });
    // A thread line deferred on its own does not hold back a card that may overtake it.
    expect(dueHeads([card(5), line(1, 500)], 100)).toEqual({ due: [card(5)], wakeAt: 500 });
  });

  it('holds the whole channel while its card waits out a Retry-After', () => {
    expect(dueHeads([card(5, 300), line(1)], 100)).toEqual({ due: [], wakeAt: 300 });
    expect(dueHeads([card(5, 300), line(1)], 300)).toEqual({ due: [card(5, 300), line(1)] });
  });
});

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
    const reads: ReturnType<typeof held<OutboxItem[]>>[] = [];
    const posts: ReturnType<typeof held<void>>[] = [];
    const sent: number[] = [];
    const lanes = createOutboxLanes({
      heads: {
        // The first two reads of every channel's heads are held open until the test answers them, with
        // the store as it was when they began; later ones answer at once.
        pending: async () => {
          const snapshot = [...pending].map((id) => line(id));
          if (reads.length >= 2) return snapshot;
          const read = held<OutboxItem[]>();
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
    reads[0]!.resolve([]);
    await settle();
    expect(sent).toEqual([1]);
    // New work is committed elsewhere while item 1 is in flight: the pass reads every queue again.
    lanes.wake(['C2']);
    await settle();
    expect(reads).toHaveLength(2);
    // That read saw item 1 still pending; before it answers, item 1's post lands and its lane ends.
    posts[0]!.resolve();
    await settle();
    reads[1]!.resolve([]);
    await pass;
    expect(sent).toEqual([1]);
  });
});
