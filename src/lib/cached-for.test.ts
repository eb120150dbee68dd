import { describe, expect, it } from 'vitest';
import { cachedFor, invalidatableCache } from './cached-for.js';

describe('cachedFor', () => {
  it('shares one call in flight, reuses the answer for the window, and does not cache a failure', async () => {
    let t = 0;
    let calls = 0;
    let fail = false;
    const read = cachedFor(
      5000,
      async () => {
        calls += 1;
        if (fail) throw new Error('down');
        return calls;
      },
      () => t,
    );
    expect(await Promise.all([read(), read(), read()])).toEqual([1, 1, 1]);
    t = 4999;
    expect(await read()).toBe(1);
    t = 5000;
    fail = true;
    await expect(read()).rejects.toThrow('down');
    fail = false;
    expect(await read()).toBe(3);
    expect(calls).toBe(3);
  });
});

describe('invalidatableCache', () => {
  it('reads afresh after invalidate, and does not keep a read that started before it', async () => {
    let value = 'old';
    let release: () => void = () => {};
    let slow = false;
    const cache = invalidatableCache(60_000, async () => {
      const seen = value;
      if (slow) await new Promise<void>((resolve) => (release = resolve));
      return seen;
    });
    expect(await cache.get()).toBe('old');
    value = 'new';
    expect(await cache.get()).toBe('old');
    cache.invalidate();
    expect(await cache.get()).toBe('new');
    // A read in flight when the setting changes answers its caller but is not cached.
    cache.invalidate();
    slow = true;
    value = 'before change';
    const early = cache.get();
    value = 'after change';
    cache.invalidate();
    slow = false;
    expect(await cache.get()).toBe('after change');
    release();
    expect(await early).toBe('before change');
    expect(await cache.get()).toBe('after change');
  });
});
