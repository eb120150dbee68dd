import { describe, expect, it } from 'vitest';
import { readChange } from './change-feed.js';

describe('readChange', () => {
  it('reads the instance and the change a notice carries', () => {
    expect(readChange('baton-web1-42-a1b2c3 {"k":"message","c":"c_1","seq":7}')).toEqual({
      origin: 'baton-web1-42-a1b2c3',
      change: { k: 'message', c: 'c_1', seq: 7 },
    });
    expect(readChange('baton-x {"k":"status","c":"c_1"}')).toEqual({
      origin: 'baton-x',
      change: { k: 'status', c: 'c_1' },
    });
  });

  it('ignores what it cannot read rather than acting on it', () => {
    expect(readChange('{"k":"status","c":"c_1"}')).toBeUndefined();
    expect(readChange(' {"k":"status","c":"c_1"}')).toBeUndefined();
    expect(readChange('baton-x not json')).toBeUndefined();
    expect(readChange('baton-x {"k":"message","c":"c_1"}')).toBeUndefined();
    expect(readChange('baton-x {"k":"message","c":"c_1","seq":0}')).toBeUndefined();
    expect(readChange('baton-x {"k":"drop","c":"c_1"}')).toBeUndefined();
  });
});
