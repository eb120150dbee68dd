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

  it('limits each method by its tier for the whole workspace, with Retry-After until a token is back', () => {
    const c = clock();
    const limiter = createRateLimiter({ now: c.now, enabled: true });
    // Tier 3 (50 a minute): a burst of 25, then one more every 1.2 s.
    const replies = Array.from({ length: 26 }, () => limiter.check('conversations.replies', 'C1'));
    expect(replies.filter((r) => r === undefined)).toHaveLength(25);
    expect(replies.at(-1)).toBe(2);
    // Another channel does not help: the tier is per method, not per channel. Another method has its own.
    expect(limiter.check('conversations.replies', 'C2')).toBe(2);
    expect(limiter.check('users.info', undefined)).toBeUndefined();
    c.advance(1200);
    expect(limiter.check('conversations.replies', 'C1')).toBeUndefined();
    expect(limiter.check('conversations.replies', 'C1')).toBe(2);
    // Tier 1 (apps.connections.open): one, then about a minute.
    expect(limiter.check('apps.connections.open', undefined)).toBeUndefined();
    expect(limiter.check('apps.connections.open', undefined)).toBe(60);
    // Methods with no tier listed are not limited.
    for (let i = 0; i < 200; i++) expect(limiter.check('auth.test', undefined)).toBeUndefined();
  });

  it('caps chat.postMessage across channels at the workspace ceiling', () => {
    const c = clock();
    const limiter = createRateLimiter({ now: c.now, enabled: true });
    const results = Array.from({ length: 151 }, (_, i) => limiter.check('chat.postMessage', `C${i}`));
    expect(results.filter((r) => r === undefined)).toHaveLength(150);
    expect(results.at(-1)).toBe(1);
  });

  it('can be switched off', () => {
    const limiter = createRateLimiter({ now: clock().now, enabled: false });
    for (let i = 0; i < 200; i++) expect(limiter.check('chat.postMessage', 'C1')).toBeUndefined();
    for (let i = 0; i < 200; i++) expect(limiter.check('users.info', undefined)).toBeUndefined();
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
