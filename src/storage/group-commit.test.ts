import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, type OpenedDatabase, openDatabase } from './database.js';
import { createGroupCommit } from './group-commit.js';

let dir: string;
let storage: OpenedDatabase;
/** A second connection to the same file: it sees only what has been committed. */
let observer: SQLite.Database;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-group-commit-'));
  const file = path.join(dir, 'test.db');
  storage = openDatabase(file);
  await sql`create table parent (id integer primary key)`.execute(storage.db);
  await sql`create table line (n integer not null, parent integer references parent (id) deferrable initially deferred)`.execute(
    storage.db,
  );
  observer = new SQLite(file, { readonly: true });
});
afterEach(async () => {
  observer.close();
  await storage.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const committed = () => observer.prepare('select n from line order by n').pluck().all();
const insert = (trx: Db, n: number, parent: number | null = null) =>
  sql`insert into line (n, parent) values (${n}, ${parent})`.execute(trx);

describe('createGroupCommit', () => {
  it('runs units queued together in one transaction, in order, and answers each only once it is committed', async () => {
    const transact = createGroupCommit(storage.db);
    const seenByThird: unknown[] = [];
    const units = [1, 2, 3].map((n) =>
      transact(async (trx) => {
        await insert(trx, n);
        if (n === 3) {
          // Inside the shared transaction: the earlier units' rows are there, but nothing is committed yet.
          seenByThird.push(
            (await sql<{ c: number }>`select count(*) as c from line`.execute(trx)).rows[0]?.c,
          );
          seenByThird.push(committed().length);
        }
        return n * 10;
      }),
    );
    const answered = await Promise.all(units.map((u) => u.then((value) => ({ value, rows: committed() }))));
    expect(seenByThird).toEqual([3, 0]);
    // When any caller hears back, all three rows are on disk.
    expect(answered).toEqual([10, 20, 30].map((value) => ({ value, rows: [1, 2, 3] })));
  });

  it('rolls back a unit that throws alone and gives its caller the error', async () => {
    const transact = createGroupCommit(storage.db);
    const outcomes = await Promise.allSettled([
      transact((trx) => insert(trx, 1)),
      transact(async (trx) => {
        await insert(trx, 2);
        throw new Error('refused');
      }),
      transact((trx) => insert(trx, 3)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(outcomes[1]).toMatchObject({ reason: new Error('refused') });
    expect(committed()).toEqual([1, 3]);
  });

  it('fails every unit of a batch whose commit fails, and the next batch still works', async () => {
    const transact = createGroupCommit(storage.db);
    // A deferred foreign key is checked at COMMIT: the whole shared commit fails.
    const outcomes = await Promise.allSettled([
      transact((trx) => insert(trx, 1)),
      transact((trx) => insert(trx, 2, 99)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(committed()).toEqual([]);
    await transact((trx) => insert(trx, 4));
    expect(committed()).toEqual([4]);
  });

  it('commits at most maxBatch units at a time', async () => {
    const transact = createGroupCommit(storage.db, 2);
    const committedBefore: number[][] = [];
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        transact(async (trx) => {
          committedBefore.push(committed() as number[]);
          await insert(trx, n);
        }),
      ),
    );
    expect(committedBefore).toEqual([[], [], [1, 2], [1, 2], [1, 2, 3, 4]]);
  });

  it('starts a new transaction for work queued after a batch has gone', async () => {
    const transact = createGroupCommit(storage.db);
    await transact((trx) => insert(trx, 1));
    const rowsWhenSecondRan = await transact(async (trx) => {
      await insert(trx, 2);
      return committed();
    });
    expect(rowsWhenSecondRan).toEqual([1]);
    expect(committed()).toEqual([1, 2]);
  });
});
