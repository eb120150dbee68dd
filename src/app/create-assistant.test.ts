import { describe, expect, it } from 'vitest';
import { kbIndexPath } from './create-assistant.js';

describe('kbIndexPath', () => {
  it('saves the knowledge base next to the database file unless told where or told not to', () => {
    expect(kbIndexPath({ DATABASE_PATH: './data/baton.db', KB_INDEX_PATH: undefined })).toBe(
      'data/kb-index.json',
    );
    expect(kbIndexPath({ DATABASE_PATH: ':memory:', KB_INDEX_PATH: undefined })).toBeUndefined();
    expect(kbIndexPath({ DATABASE_PATH: './data/baton.db', KB_INDEX_PATH: '/var/cache/kb.json' })).toBe(
      '/var/cache/kb.json',
    );
    expect(kbIndexPath({ DATABASE_PATH: './data/baton.db', KB_INDEX_PATH: 'off' })).toBeUndefined();
    expect(kbIndexPath({ DATABASE_PATH: './data/baton.db', KB_INDEX_PATH: 'OFF' })).toBeUndefined();
  });
});
