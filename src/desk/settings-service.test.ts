import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type OpenedDatabase, openDatabase } from '../storage/database.js';
import { DEFAULT_CUSTOMER_MESSAGES } from './desk-settings.js';
import { loadDeskSettings } from './settings-service.js';
import { DEFAULT_TRIGGER_SETTINGS } from '../handoff/triggers.js';
import { DEFAULT_WIDGET_SETTINGS } from './widget-settings.js';

/** Stored settings are checked against their schema; a malformed one falls back to its default. */

let storage: OpenedDatabase;
beforeEach(async () => {
  storage = openDatabase(':memory:');
  await migrateToLatest(storage.db);
});
afterEach(async () => {
  await storage.close();
});

const store = (key: string, value: string) =>
  storage.db
    .insertInto('settings')
    .values({ key, value, updated_at: '2026-03-02T10:00:00Z', updated_by: null })
    .execute();

describe('loadDeskSettings', () => {
  it('reads valid stored values over the defaults, keeping defaults for missing trigger blocks', async () => {
    await store('routing', '"skill"');
    await store('triggers', JSON.stringify({ repeated: { enabled: false } }));
    await store('hours', JSON.stringify({ days: [1, 2], from: '09:00', to: '17:00', timeZone: 'UTC' }));
    await store('messages', JSON.stringify({ join: '{agent} is here.' }));
    const settings = await loadDeskSettings({ db: storage.db });
    expect(settings.routing).toBe('skill');
    expect(settings.triggers).toEqual({ ...DEFAULT_TRIGGER_SETTINGS, repeated: { enabled: false } });
    expect(settings.hours).toEqual({ days: [1, 2], from: '09:00', to: '17:00', timeZone: 'UTC' });
    expect(settings.messages).toEqual({ ...DEFAULT_CUSTOMER_MESSAGES, join: '{agent} is here.' });
  });

  it('falls back to the default for a malformed value and reports each one', async () => {
    await store('routing', '"fastest"');
    await store('triggers', '{not json');
    await store('hours', JSON.stringify({ days: [1], from: '09:00', to: '17:00', timeZone: 'Mars/Base' }));
    await store('routes', JSON.stringify([{ condition: { kind: 'email' }, channel: '#x' }]));
    const warnings: unknown[] = [];
    const settings = await loadDeskSettings({ db: storage.db, log: { warn: (obj) => warnings.push(obj) } });
    expect(settings).toMatchObject({
      routing: 'round-robin',
      triggers: DEFAULT_TRIGGER_SETTINGS,
      hours: undefined,
      routes: [],
    });
    expect(warnings).toEqual(
      ['triggers', 'routing', 'hours', 'routes'].map((key) =>
        expect.objectContaining({ key, problem: expect.any(String) }),
      ),
    );
  });

  it('keeps the widget defaults for missing fields, and drops a stored colour that is not #rrggbb', async () => {
    await store('widget', JSON.stringify({ color: '#0a7d55', title: 'Northwind help' }));
    expect((await loadDeskSettings({ db: storage.db })).widget).toEqual({
      ...DEFAULT_WIDGET_SETTINGS,
      color: '#0a7d55',
      title: 'Northwind help',
    });
    await storage.db
      .updateTable('settings')
      .set({ value: JSON.stringify({ color: 'red;background:url(x)' }) })
      .where('key', '=', 'widget')
      .execute();
    expect((await loadDeskSettings({ db: storage.db })).widget).toEqual(DEFAULT_WIDGET_SETTINGS);
  });

  it('reads hours switched off (stored as null) as no hours', async () => {
    await store('hours', 'null');
    expect((await loadDeskSettings({ db: storage.db })).hours).toBeUndefined();
  });
});
