import { describe, expect, it } from 'vitest';
import { isStorageUnavailable } from './storage-errors.js';

const withCode = (code: string) => Object.assign(new Error('failed'), { code });

describe('isStorageUnavailable', () => {
  it('counts a busy or full SQLite and an unreachable, crowded or restarting PostgreSQL as passing', () => {
    for (const code of [
      'SQLITE_BUSY',
      'SQLITE_FULL',
      'ECONNREFUSED',
      '08006',
      '53300',
      '57P01',
      '40001',
      '40P01',
    ])
      expect({ code, transient: isStorageUnavailable(withCode(code)) }).toEqual({ code, transient: true });
    expect(isStorageUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isStorageUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('leaves real faults to be reported as such', () => {
    for (const code of ['SQLITE_CONSTRAINT_UNIQUE', '23505', '42P01', '22P02', 'ERR_ASSERTION'])
      expect({ code, transient: isStorageUnavailable(withCode(code)) }).toEqual({ code, transient: false });
    expect(isStorageUnavailable(new Error('boom'))).toBe(false);
    expect(isStorageUnavailable(undefined)).toBe(false);
  });
});
