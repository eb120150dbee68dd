import { describe, expect, it } from 'vitest';
import { createMethodFaults } from './method-faults.js';

describe('method faults', () => {
  it('forces a number of 429s on any method (pacing has nothing to do with it)', () => {
    const faults = createMethodFaults();
    faults.set('views.open', { kind: 'ratelimited', retryAfterSeconds: 7 }, 2);
    const limited = { kind: 'ratelimited', retryAfterSeconds: 7 };
    expect([1, 2, 3].map(() => faults.take('views.open'))).toEqual([limited, limited, undefined]);
  });

  it("applies '*' to every method until cleared; a method's own fault comes first", () => {
    const faults = createMethodFaults();
    faults.set('*', { kind: 'slow', ms: 10 });
    faults.set('users.info', { kind: 'error', error: 'user_not_found' }, 1);
    expect(faults.take('users.info')).toEqual({ kind: 'error', error: 'user_not_found' });
    expect(faults.take('users.info')).toEqual({ kind: 'slow', ms: 10 });
    expect(faults.take('chat.update')).toEqual({ kind: 'slow', ms: 10 });
    faults.clear();
    expect(faults.take('chat.update')).toBeUndefined();
  });
});
