import { describe, expect, it } from 'vitest';
import { createWorkLoop } from './work-loop.js';

describe('work loop', () => {
  it('tries again by itself after a pass fails, without waiting for new work', async () => {
    let passes = 0;
    const errors: unknown[] = [];
    const loop = createWorkLoop({
      pass: async () => {
        passes += 1;
        if (passes === 1) throw new Error('SQLITE_BUSY');
        return undefined;
      },
      now: Date.now,
      onError: (error) => errors.push(error),
      retryAfterErrorMs: 20,
    });
    loop.kick();
    for (let i = 0; i < 50 && passes < 2; i += 1) await new Promise((r) => setTimeout(r, 10));
    await loop.stop();
    expect(passes).toBe(2);
    expect(errors).toHaveLength(1);
  });
});
