import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type OpenedDatabase, openDatabase } from '../../storage/database.js';
import { type InboxItem, parkedDeliveries, recordDelivery } from '../../storage/inbox-repository.js';
import { createInboxWorker, deliveryNotYet, type InboxWorker } from './inbox-worker.js';

let storage: OpenedDatabase;
let worker: InboxWorker | undefined;
const log = pino({ level: 'silent' });
const now = () => new Date();

beforeEach(async () => {
  storage = openDatabase(':memory:');
  await migrateToLatest(storage.db);
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await storage.close();
});

async function record(id: string, lane: string) {
  return recordDelivery(
    storage.db,
    { deliveryId: id, kind: 'event', lane, body: { id } },
    now().toISOString(),
  );
}

const states = () =>
  storage.db.selectFrom('slack_inbox').select(['delivery_id', 'state', 'attempts']).orderBy('id').execute();

describe('inbox worker', () => {
  it('drops a redelivery: the same id is recorded once', async () => {
    expect(await record('event:Ev1', 'thread:C1:1')).toBe(true);
    expect(await record('event:Ev1', 'thread:C1:1')).toBe(false);
    expect(await states()).toHaveLength(1);
  });

  it('works one lane in arrival order, and other lanes alongside a slow one', async () => {
    const done: string[] = [];
    let releaseSlow = () => {};
    const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
    worker = createInboxWorker({
      db: storage.db,
      log,
      now,
      process: async (item: InboxItem) => {
        if (item.deliveryId === 'a1') await slow;
        done.push(item.deliveryId);
      },
    });
    await record('a1', 'thread:A');
    await record('a2', 'thread:A');
    await record('b1', 'thread:B');
    worker.kick();
    await new Promise((r) => setTimeout(r, 100));
    // b1 is not held up by a1; a2 waits behind a1.
    expect(done).toEqual(['b1']);
    releaseSlow();
    await worker.idle();
    expect(done).toEqual(['b1', 'a1', 'a2']);
    expect((await states()).every((r) => r.state === 'done')).toBe(true);
  });

  it('retries a failing delivery, then parks it after the cap; its lane moves on', async () => {
    const tries = new Map<string, number>();
    worker = createInboxWorker({
      db: storage.db,
      log,
      now,
      maxAttempts: 3,
      backoffMs: () => 20,
      process: async (item) => {
        tries.set(item.deliveryId, (tries.get(item.deliveryId) ?? 0) + 1);
        if (item.deliveryId === 'bad') throw new Error('msg_blocks_too_long');
        if (item.deliveryId === 'flaky' && tries.get('flaky') === 1) throw new Error('database is locked');
      },
    });
    await record('bad', 'thread:A');
    await record('after-bad', 'thread:A');
    await record('flaky', 'thread:B');
    worker.kick();
    // Retries wait out their backoff; poll until nothing is pending any more.
    for (let i = 0; i < 100 && (await states()).some((r) => r.state === 'pending'); i += 1)
      await new Promise((r) => setTimeout(r, 20));
    expect(await states()).toEqual([
      { delivery_id: 'bad', state: 'parked', attempts: 3 },
      { delivery_id: 'after-bad', state: 'done', attempts: 0 },
      { delivery_id: 'flaky', state: 'done', attempts: 1 },
    ]);
    expect(tries.get('bad')).toBe(3);
    expect(tries.get('after-bad')).toBe(1);
    const parked = await parkedDeliveries(storage.db, 5);
    expect(parked.total).toBe(1);
    expect(parked.recent[0]?.error).toContain('msg_blocks_too_long');
  });

  it('waits for a delivery that cannot be worked yet without spending its attempts; its lane waits behind it', async () => {
    const tries = new Map<string, number>();
    const worked: string[] = [];
    worker = createInboxWorker({
      db: storage.db,
      log,
      now,
      maxAttempts: 2,
      backoffMs: () => 20,
      process: async (item) => {
        tries.set(item.deliveryId, (tries.get(item.deliveryId) ?? 0) + 1);
        // Its card is still being posted, three times running: more than the attempts allowed.
        if (item.deliveryId === 'reply' && tries.get('reply')! <= 3)
          throw deliveryNotYet('the card in this thread is still being posted', 30);
        worked.push(item.deliveryId);
      },
    });
    await record('reply', 'thread:A');
    await record('edit', 'thread:A');
    worker.kick();
    for (let i = 0; i < 100 && (await states()).some((r) => r.state === 'pending'); i += 1)
      await new Promise((r) => setTimeout(r, 20));
    expect(await states()).toEqual([
      { delivery_id: 'reply', state: 'done', attempts: 0 },
      { delivery_id: 'edit', state: 'done', attempts: 0 },
    ]);
    expect(tries.get('reply')).toBe(4);
    expect(tries.get('edit')).toBe(1);
    expect(worked).toEqual(['reply', 'edit']);
  });

  it('works what an earlier run recorded but did not finish', async () => {
    await record('left-over', 'thread:A');
    const done: string[] = [];
    worker = createInboxWorker({
      db: storage.db,
      log,
      now,
      process: async (item) => {
        done.push(item.deliveryId);
      },
    });
    worker.kick();
    await worker.idle();
    expect(done).toEqual(['left-over']);
  });
});

describe('inbox worker when the database refuses the bookkeeping', () => {
  it('never runs a delivery twice because its "done" mark failed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-inbox-'));
    const file = path.join(dir, 'baton.db');
    const fileStorage = openDatabase(file);
    await migrateToLatest(fileStorage.db);
    await recordDelivery(
      fileStorage.db,
      { deliveryId: 'command:T1', kind: 'command', lane: 'user:U1', body: {} },
      new Date().toISOString(),
    );
    const other = new SQLite(file);
    let runs = 0;
    const fileWorker = createInboxWorker({
      db: fileStorage.db,
      log,
      now,
      process: async () => {
        runs += 1;
        // The command has done its work; now another writer holds the database past the busy timeout.
        other.exec('BEGIN EXCLUSIVE');
        setTimeout(() => other.exec('COMMIT'), 600);
      },
    });
    try {
      fileWorker.kick();
      for (let i = 0; i < 200; i += 1) {
        const row = await fileStorage.db.selectFrom('slack_inbox').select('state').executeTakeFirst();
        if (row?.state === 'done') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const row = await fileStorage.db
        .selectFrom('slack_inbox')
        .select(['state', 'attempts'])
        .executeTakeFirst();
      expect(row).toEqual({ state: 'done', attempts: 0 });
      expect(runs).toBe(1);
    } finally {
      await fileWorker.stop();
      other.close();
      await fileStorage.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
