import { describe, expect, it } from 'vitest';
import { deliveryState, sentMarkKey } from './message-delivery.js';
import { createMessageStore, isNewerVersion, messageKey } from './message-store.js';

const msg = (seq: number, extra: Record<string, unknown> = {}) => ({
  id: `m${seq}`,
  seq,
  author: 'bot',
  text: `text ${seq}`,
  createdAt: '2025-01-01T00:00:00.000Z',
  ...extra,
});

describe('message store', () => {
  it('keeps messages sorted by seq and ignores duplicates by id', () => {
    const store = createMessageStore();
    expect(store.upsert(msg(2))).toBe('added');
    expect(store.upsert(msg(1))).toBe('added');
    expect(store.upsert(msg(3))).toBe('added');
    expect(store.upsert(msg(2))).toBe('ignored');
    store.upsertAll([msg(1), msg(2), msg(3), msg(4)]);
    expect(store.list().map((m: { seq: number }) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(store.maxSeq).toBe(4);
  });

  it('ignores malformed messages', () => {
    const store = createMessageStore();
    expect(store.upsert({ text: 'no id' })).toBe('ignored');
    expect(store.upsert(null)).toBe('ignored');
    expect(store.size).toBe(0);
  });

  it('replaces a pending message by clientMessageId and keeps pending ones last', () => {
    const store = createMessageStore();
    store.upsert(msg(1));
    store.addPending('c-1', 'hello');
    store.addPending('c-2', 'again');
    expect(store.list().map((m: { text: string }) => m.text)).toEqual(['text 1', 'hello', 'again']);
    // The stored copy arrives over the stream before the POST answer.
    const stored = msg(2, { author: 'customer', text: 'hello', clientMessageId: 'c-1' });
    expect(store.upsert(stored)).toBe('added');
    expect(store.getPending('c-1')).toBeUndefined();
    // …then the POST answer repeats it.
    expect(store.upsert({ ...stored })).toBe('ignored');
    expect(store.list().map((m: { text: string }) => m.text)).toEqual(['text 1', 'hello', 'again']);
    expect(messageKey(store.list()[1])).toBe('c:c-1');
    expect(messageKey(store.getPending('c-2'))).toBe('c:c-2');
  });

  it('tracks sending → failed → sending for retries', () => {
    const store = createMessageStore();
    store.addPending('c-1', 'hi');
    expect(store.markFailed('c-1', 'offline')).toBe(true);
    expect(store.getPending('c-1')).toMatchObject({ state: 'failed', error: 'offline' });
    store.addPending('c-1', 'hi');
    expect(store.getPending('c-1')).toMatchObject({ state: 'sending' });
    expect(store.getPending('c-1').error).toBeUndefined();
    expect(store.size).toBe(1);
  });

  it('applies edits and deletions in place and never lets an older copy undo them', () => {
    const store = createMessageStore();
    store.upsert(msg(1, { author: 'agent', text: 'first' }));
    const edited = msg(1, { author: 'agent', text: 'second', editedAt: '2025-01-01T00:01:00.000Z' });
    expect(store.upsert(edited)).toBe('updated');
    expect(store.upsert(msg(1, { author: 'agent', text: 'first' }))).toBe('ignored');
    expect(store.list()[0].text).toBe('second');
    expect(store.upsert(msg(1, { author: 'agent', text: '', deleted: true }))).toBe('updated');
    expect(store.upsert(edited)).toBe('ignored');
    expect(store.list()).toHaveLength(1);
    expect(store.list()[0].deleted).toBe(true);
  });

  it('isNewerVersion compares editedAt, then content', () => {
    const a = msg(1);
    expect(isNewerVersion(a, { ...a })).toBe(false);
    expect(isNewerVersion(a, { ...a, text: 'changed' })).toBe(true);
    expect(
      isNewerVersion({ ...a, editedAt: '2025-01-02T00:00:00Z' }, { ...a, editedAt: '2025-01-01T00:00:00Z' }),
    ).toBe(false);
  });

  it('clear() forgets everything', () => {
    const store = createMessageStore();
    store.upsert(msg(5));
    store.addPending('c', 'x');
    store.clear();
    expect(store.size).toBe(0);
    expect(store.maxSeq).toBe(0);
  });
});

describe('delivery states of the customer’s messages', () => {
  const mine = (seq: number, cid?: string) =>
    msg(seq, { author: 'customer', text: `mine ${seq}`, ...(cid ? { clientMessageId: cid } : {}) });
  const states = (store: ReturnType<typeof createMessageStore>) =>
    store.list().map((m: unknown) => deliveryState(m));

  it('goes sending → sent once the server has stored it (the POST answer carries id and seq)', () => {
    const store = createMessageStore();
    store.addPending('c-1', 'mine 1');
    expect(states(store)).toEqual(['sending']);
    expect(sentMarkKey(store.list())).toBeNull();
    store.upsert(mine(1, 'c-1'));
    expect(states(store)).toEqual(['sent']);
    expect(sentMarkKey(store.list())).toBe('c:c-1');
  });

  it('goes sending → failed → sending → sent on Retry, under the same clientMessageId', () => {
    const store = createMessageStore();
    store.addPending('c-1', 'mine 1');
    store.markFailed('c-1');
    expect(states(store)).toEqual(['failed']);
    expect(sentMarkKey(store.list())).toBeNull();
    store.addPending('c-1', 'mine 1');
    expect(states(store)).toEqual(['sending']);
    store.upsert(mine(1, 'c-1'));
    expect(states(store)).toEqual(['sent']);
    expect(store.size).toBe(1);
  });

  it('stays sent when the POST fails after the stream already brought the stored copy', () => {
    const store = createMessageStore();
    store.addPending('c-1', 'mine 1');
    store.upsert(mine(1, 'c-1'));
    expect(store.markFailed('c-1', 'network')).toBe(false);
    expect(states(store)).toEqual(['sent']);
  });

  it('turns a failed message sent when a catch-up finds the server had stored it after all', () => {
    const store = createMessageStore();
    store.addPending('c-1', 'mine 1');
    store.markFailed('c-1');
    store.upsertAll([mine(1, 'c-1')]);
    expect(states(store)).toEqual(['sent']);
    expect(store.getPending('c-1')).toBeUndefined();
  });

  it('reads history after a reload as sent, with or without a clientMessageId', () => {
    const store = createMessageStore();
    store.upsertAll([mine(1), msg(2), mine(3, 'c-3')]);
    expect(states(store)).toEqual(['sent', undefined, 'sent']);
    expect(sentMarkKey(store.list())).toBe('c:c-3');
  });

  it('marks only the latest customer message, and none while that one is sending or failed', () => {
    const store = createMessageStore();
    store.upsertAll([mine(1, 'c-1'), msg(2), mine(3, 'c-3'), msg(4, { author: 'agent' })]);
    expect(sentMarkKey(store.list())).toBe('c:c-3');
    store.addPending('c-5', 'mine 5');
    expect(sentMarkKey(store.list())).toBeNull();
    store.markFailed('c-5');
    expect(sentMarkKey(store.list())).toBeNull();
    expect(states(store)).toEqual(['sent', undefined, 'sent', undefined, 'failed']);
  });

  it('has no state for anyone else’s messages', () => {
    expect(deliveryState(msg(1))).toBeUndefined();
    expect(deliveryState(msg(1, { author: 'agent' }))).toBeUndefined();
    expect(deliveryState(msg(1, { author: 'system' }))).toBeUndefined();
    expect(sentMarkKey([msg(1)])).toBeNull();
  });
});
