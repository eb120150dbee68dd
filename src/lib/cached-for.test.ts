import { describe, expect, it } from 'vitest';
import { cachedFor } from './cached-for.js';

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
