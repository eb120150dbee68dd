import { describe, expect, it } from 'vitest';
import { CARD_RECORD_WAIT_MS } from '../../handoff/posted-handoff.js';
import { actedMsAgo, CARD_WAIT_MS, deferUntilCardRecorded, listenerWaitMs } from './card-wait.js';

const now = new Date('2026-12-02T12:00:00.000Z');
const tsAgo = (ms: number) => ((now.getTime() - ms) / 1000).toFixed(6);
const deferred = (actedTs: string | undefined) => {
  try {
    deferUntilCardRecorded(now, actedTs, 'a click');
    return false;
  } catch (error) {
    expect(error).toMatchObject({ code: 'slack_delivery_not_yet', retryInMs: 1000 });
    return true;
  }
};

describe('actedMsAgo', () => {
  it("reads a Slack ts (seconds with microseconds) as milliseconds ago by Baton's clock", () => {
    expect(actedMsAgo(now, tsAgo(1500))).toBeCloseTo(1500, 0);
    expect(actedMsAgo(now, tsAgo(-30_000))).toBeCloseTo(-30_000, 0);
  });

  it('has no answer for a missing, empty, unreadable or far-future stamp', () => {
    for (const ts of [undefined, '', 'soon', '0', '-5', '9e99', tsAgo(-61_000)])
      expect(actedMsAgo(now, ts)).toBeUndefined();
  });
});

describe('deferUntilCardRecorded', () => {
  it('holds an action less than a minute old, and lets one go after that', () => {
    expect(deferred(tsAgo(0))).toBe(true);
    expect(deferred(tsAgo(CARD_WAIT_MS - 1))).toBe(true);
    expect(deferred(tsAgo(-30_000))).toBe(true);
    expect(deferred(tsAgo(CARD_WAIT_MS))).toBe(false);
  });

  it('never holds an action without a usable time, which would otherwise wait for ever', () => {
    expect(deferred(undefined)).toBe(false);
    expect(deferred('9e99')).toBe(false);
    expect(deferred(tsAgo(-61_000))).toBe(false);
  });
});

describe('listenerWaitMs', () => {
  it("spends the listener's short wait once, counted from the action, and never longer than it", () => {
    expect(listenerWaitMs(now, tsAgo(0))).toBeCloseTo(CARD_RECORD_WAIT_MS, -1);
    expect(listenerWaitMs(now, tsAgo(500))).toBeCloseTo(CARD_RECORD_WAIT_MS - 500, -1);
    // A click the inbox tries again later reads the handoff once.
    expect(listenerWaitMs(now, tsAgo(5_000))).toBe(0);
    // Stamped ahead of Baton's clock (within the skew allowed), or with no usable stamp: the short wait.
    expect(listenerWaitMs(now, tsAgo(-30_000))).toBe(CARD_RECORD_WAIT_MS);
    expect(listenerWaitMs(now, undefined)).toBe(CARD_RECORD_WAIT_MS);
  });
});
