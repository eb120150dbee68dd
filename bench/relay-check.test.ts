import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { countArrivals, judgeRelay, storedOrder } from './relay-check.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('countArrivals', () => {
  it('counts lines that arrived after a line sent later, and lines that arrived twice', () => {
    expect(countArrivals([1, 3, 2, 4, 4])).toEqual({ distinct: 4, doubled: 1, outOfOrder: 1 });
  });

  it('judges order by the rank it is given: here the order the lines were stored in', () => {
    // The generator sent 7 before 5, but the server stored 5 first: arriving 5 then 7 is in order.
    const seq = new Map([
      [5, 10],
      [7, 11],
    ]);
    const rank = (n: number) => seq.get(n) ?? Number.POSITIVE_INFINITY;
    expect(countArrivals([5, 7], rank).outOfOrder).toBe(0);
    expect(countArrivals([7, 5], rank).outOfOrder).toBe(1);
    // By the order they were sent in, 5 after 7 is late.
    expect(countArrivals([7, 5]).outOfOrder).toBe(1);
  });
});

describe('storedOrder', () => {
  it("maps each customer line's question number to its seq, and nobody else's", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-relay-check-'));
    dirs.push(dir);
    const file = path.join(dir, 'baton.db');
    const db = new SQLite(file);
    db.exec('create table messages (seq integer, author text, text text)');
    const insert = db.prepare('insert into messages (seq, author, text) values (?, ?, ?)');
    insert.run(1, 'customer', 'Hello, question number 12 about my order');
    insert.run(2, 'bot', 'About question number 12: see the article');
    insert.run(3, 'customer', 'Hello, question number 9 about my order');
    db.close();
    expect([...storedOrder(file)]).toEqual([
      [12, 1],
      [9, 3],
    ]);
  });
});

describe('judgeRelay', () => {
  // Lines 1–4 stored in two conversations; 3 was stored before 2 (sent the other way round).
  const stored = new Map([
    [1, 1],
    [3, 2],
    [2, 3],
    [4, 1],
  ]);

  it('finds nothing wrong when every stored line arrived once, in stored order', () => {
    expect(judgeRelay([[1, 3, 2], [4]], stored)).toEqual({
      relayed: 4,
      doubled: 0,
      outOfOrder: 0,
      outOfSendingOrder: 1,
      notStored: 0,
      missing: 0,
    });
  });

  it('counts a stored line that never arrived, one that arrived twice, late ones and strangers', () => {
    // 2 arrives before 3 (stored after it), 1 is posted again in the other thread, 4 never arrives,
    // 9 was never stored: counted once as not stored, and not as late.
    expect(judgeRelay([[1, 9, 2, 3], [1]], stored)).toEqual({
      relayed: 4,
      doubled: 1,
      outOfOrder: 1,
      outOfSendingOrder: 1,
      notStored: 1,
      missing: 1,
    });
  });
});
