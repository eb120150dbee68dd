import { describe, expect, it } from 'vitest';
import { createIdSource } from './ids.js';
import { createRateLimiter } from './rate-limiter.js';

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('createRateLimiter', () => {
  it('allows a burst of 5 per channel, then asks to retry after a second', () => {
    const c = clock();
    const limiter = createRateLimiter({ now: c.now, enabled: true });
    const results = Array.from({ length: 6 }, () => limiter.check('chat.postMessage', 'C1'));
    expect(results).toEqual([undefined, undefined, undefined, undefined, undefined, 1]);
    expect(limiter.check('chat.postMessage', 'C2')).toBeUndefined();
    c.advance(1000);
    expect(limiter.check('chat.postMessage', 'C1')).toBeUndefined();
    expect(limiter.check('chat.postMessage', 'C1')).toBe(1);
  });

  it('does not pace other methods, and can be switched off', () => {
    const limiter = createRateLimiter({ now: clock().now, enabled: false });
    for (let i = 0; i < 20; i++) expect(limiter.check('chat.postMessage', 'C1')).toBeUndefined();
    limiter.setEnabled(true);
    for (let i = 0; i < 20; i++) expect(limiter.check('users.info', undefined)).toBeUndefined();
  });
});

describe('createIdSource', () => {
  it('hands out strictly increasing Slack-style ts even when the clock stands still', () => {
    const ids = createIdSource(() => 1_700_000_000_123);
    const a = ids.nextTs();
    const b = ids.nextTs();
    expect(a).toBe('1700000000.123000');
    expect(b).toBe('1700000000.123001');
    expect(ids.eventId()).toMatch(/^Ev[0-9A-Z]+$/);
  });
});
