import { describe, expect, it } from 'vitest';
import { sharedAddressLimit } from './chat-limits.js';

describe('sharedAddressLimit', () => {
  it('allows `limit` per address within the window, counted apart for each address', async () => {
    const handoffs = sharedAddressLimit(60_000, 2, 'too many');
    const taken = [];
    for (const address of ['a', 'a', 'a', 'b']) taken.push(await handoffs.take(address));
    expect(taken).toEqual([true, true, false, true]);
  });
});
