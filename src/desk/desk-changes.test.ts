import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type OpenedDatabase, openDatabase } from '../storage/database.js';
import { changeAgent } from './agent-service.js';
import { changeDeskSetting } from './settings-service.js';

/** Desk changes commit with their audit row and their announcement, or not at all. */

let storage: OpenedDatabase;
let kicks = 0;
const deps = () => ({
  db: storage.db,
  now: () => new Date('2026-03-02T10:00:00Z'),
  handoffChannel: 'CHANDOFF',
  kickOutbox: () => void kicks++,
});

beforeEach(async () => {
  storage = openDatabase(':memory:');
  await migrateToLatest(storage.db);
  kicks = 0;
});
afterEach(async () => {
  await storage.close();
});

const audit = () => storage.db.selectFrom('audit_log').select(['actor', 'action', 'new_value']).execute();
const notices = () =>
  storage.db.selectFrom('slack_outbox').select(['channel', 'kind', 'payload']).orderBy('id').execute();

describe('changeDeskSetting', () => {
  it('writes the setting, its audit row and the announcement, then wakes the outbox', async () => {
    const result = await changeDeskSetting(deps(), {
      actor: 'UADMIN',
      key: 'routing',
      change: () => 'skill',
      announce: ({ before, after }) => `routing ${before} -> ${after}`,
    });
    expect(result).toEqual({ before: 'round-robin', after: 'skill' });
    expect(await audit()).toEqual([{ actor: 'UADMIN', action: 'set routing', new_value: '"skill"' }]);
    expect(await notices()).toEqual([
      { channel: 'CHANDOFF', kind: 'channel_notice', payload: '{"text":"routing round-robin -> skill"}' },
    ]);
    expect(kicks).toBe(1);
  });

  it('keeps nothing when the change fails before commit', async () => {
    const failing = changeDeskSetting(deps(), {
      actor: 'UADMIN',
      key: 'routing',
      change: () => 'skill',
      announce: () => {
        throw new Error('wording failed');
      },
    });
    await expect(failing).rejects.toThrow('wording failed');
    expect(await audit()).toEqual([]);
    expect(await notices()).toEqual([]);
    expect(await storage.db.selectFrom('settings').selectAll().execute()).toEqual([]);
    expect(kicks).toBe(0);
  });
});

describe('changeAgent', () => {
  it('sets the field, audits who did it and queues the announcement together', async () => {
    await changeAgent(deps(), {
      actor: 'UADMIN',
      agent: 'UDANA',
      change: { field: 'capacity', value: 2 },
      announce: 'capacity of Dana is 2',
    });
    const agent = await storage.db.selectFrom('agents').select(['capacity']).executeTakeFirstOrThrow();
    expect(agent.capacity).toBe(2);
    expect(await audit()).toEqual([{ actor: 'UADMIN', action: 'set capacity of UDANA', new_value: '2' }]);
    expect((await notices()).map((n) => n.payload)).toEqual(['{"text":"capacity of Dana is 2"}']);
    expect(kicks).toBe(1);
  });
});
