import { describe, expect, it } from 'vitest';
import { createStreamCaps } from './stream-caps.js';

describe('createStreamCaps', () => {
  it('refuses past each cap and frees a slot on release, once', () => {
    const caps = createStreamCaps({ streamsPerAddress: 2, streamsPerConversation: 2, streamsTotal: 3 });
    const a = caps.acquire('1.1.1.1', 'c1');
    const b = caps.acquire('1.1.1.1', 'c2');
    expect(caps.acquire('1.1.1.1', 'c3')).toEqual({ refused: 'too many live connections from your network' });
    const c = caps.acquire('2.2.2.2', 'c1');
    expect(caps.acquire('3.3.3.3', 'c9')).toEqual({ refused: 'the server has too many live connections' });
    expect(caps.open()).toBe(3);
    if (!('release' in c) || !('release' in a) || !('release' in b)) throw new Error('expected slots');
    c.release();
    c.release();
    expect(caps.open()).toBe(2);
    expect(caps.acquire('4.4.4.4', 'c1')).toHaveProperty('release');
    expect(caps.acquire('5.5.5.5', 'c1')).toEqual({ refused: 'the server has too many live connections' });
    a.release();
    expect(caps.acquire('5.5.5.5', 'c1')).toHaveProperty('release');
    b.release();
    expect(caps.acquire('6.6.6.6', 'c1')).toEqual({
      refused: 'this conversation is open in too many windows',
    });
  });
});
