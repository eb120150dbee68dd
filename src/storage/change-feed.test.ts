import { describe, expect, it } from 'vitest';
import { readChange } from './change-feed.js';

describe('readChange', () => {
  it('reads the change a notice carries', () => {
    expect(readChange('{"k":"message","c":"c_1","seq":7}')).toEqual({ k: 'message', c: 'c_1', seq: 7 });
    expect(readChange('{"k":"status","c":"c_1"}')).toEqual({ k: 'status', c: 'c_1' });
  });

  it('ignores what it cannot read rather than acting on it', () => {
    expect(readChange('not json')).toBeUndefined();
    expect(readChange('{"k":"message","c":"c_1"}')).toBeUndefined();
    expect(readChange('{"k":"message","c":"c_1","seq":0}')).toBeUndefined();
    expect(readChange('{"k":"drop","c":"c_1"}')).toBeUndefined();
    expect(readChange('{"k":"status","c":""}')).toBeUndefined();
  });
});
