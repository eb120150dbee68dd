import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function openAt(synchronous?: 'full' | 'normal') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-db-'));
  dirs.push(dir);
  return openDatabase(path.join(dir, 'baton.db'), synchronous ? { synchronous } : {});
}

/** Pragmas are per connection: read through the opened database's own (kysely has one). */
async function pragma(db: ReturnType<typeof openAt>, name: 'synchronous' | 'journal_mode') {
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.raw(`pragma_${name}`)}`.execute(
    db.db,
  );
  return Object.values(rows[0] ?? {})[0];
}

describe('openDatabase', () => {
  it('syncs every commit (FULL) unless told NORMAL, in WAL mode', async () => {
    const full = openAt();
    expect(await pragma(full, 'synchronous')).toBe(2);
    expect(await pragma(full, 'journal_mode')).toBe('wal');
    await full.close();
    const normal = openAt('normal');
    expect(await pragma(normal, 'synchronous')).toBe(1);
    await normal.close();
  });

  it('compiles limits as numbers (literal-limits.ts), not parameters', async () => {
    const opened = openDatabase(':memory:');
    const compiled = opened.db.selectFrom('conversations').select('id').limit(3).compile();
    expect(compiled.sql).toMatch(/ limit 3$/);
    expect(compiled.parameters).toEqual([]);
    await opened.close();
  });
});
