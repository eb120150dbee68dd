import { type AnnounceDeps, queueAnnouncement } from './announce.js';
import { appendAudit } from './audit-repository.js';
import { readSetting, writeSetting } from './settings-repository.js';
import { DEFAULT_CUSTOMER_MESSAGES, type DeskSettings } from './desk-settings.js';
import { DEFAULT_TRIGGER_SETTINGS, type TriggerSettings } from '../handoff/triggers.js';
import type { ServiceDeps } from '../ports.js';

type Key = keyof DeskSettings;

const DEFAULTS: DeskSettings = {
  triggers: DEFAULT_TRIGGER_SETTINGS,
  routing: 'round-robin',
  hours: undefined,
  routes: [],
  messages: DEFAULT_CUSTOMER_MESSAGES,
};

/** Stored settings over the defaults; a partly stored trigger block keeps the defaults for the rest. */
export async function loadDeskSettings(deps: Pick<ServiceDeps, 'db'>): Promise<DeskSettings> {
  const [triggers, routing, hours, routes, messages] = await Promise.all([
    readSetting<Partial<TriggerSettings>>(deps.db, 'triggers'),
    readSetting<DeskSettings['routing']>(deps.db, 'routing'),
    readSetting<DeskSettings['hours'] | null>(deps.db, 'hours'),
    readSetting<DeskSettings['routes']>(deps.db, 'routes'),
    readSetting<Partial<DeskSettings['messages']>>(deps.db, 'messages'),
  ]);
  return {
    triggers: { ...DEFAULTS.triggers, ...triggers },
    routing: routing ?? DEFAULTS.routing,
    hours: hours ?? undefined,
    routes: routes ?? DEFAULTS.routes,
    messages: { ...DEFAULTS.messages, ...messages },
  };
}

/** One change to one setting, and what the team is told about it. */
export interface SettingChange<K extends Key> {
  actor: string;
  key: K;
  change: (current: DeskSettings[K]) => DeskSettings[K];
  /** The notice for the handoff channel, worded by the adapter from the old and new value. */
  announce: (result: { before: DeskSettings[K]; after: DeskSettings[K] }) => string;
}

/**
 * Changes one setting. The new value, its audit row (old and new value) and the team's
 * announcement commit in one transaction: a change is never silent, and never announced unless
 * it happened. Returns both values for the caller's reply.
 */
export async function changeDeskSetting<K extends Key>(
  deps: Pick<ServiceDeps, 'db' | 'now' | 'kickOutbox'> & AnnounceDeps,
  input: SettingChange<K>,
): Promise<{ before: DeskSettings[K]; after: DeskSettings[K] }> {
  const { actor, key } = input;
  const now = deps.now().toISOString();
  const result = await deps.db.transaction().execute(async (trx) => {
    const before = (await loadDeskSettings({ db: trx }))[key];
    const after = input.change(structuredClone(before));
    await writeSetting(trx, key, after ?? null, now, actor);
    await appendAudit(trx, {
      actor,
      action: `set ${key}`,
      oldValue: before ?? null,
      newValue: after ?? null,
      at: now,
    });
    await queueAnnouncement(trx, deps, input.announce({ before, after }));
    return { before, after };
  });
  deps.kickOutbox();
  return result;
}
