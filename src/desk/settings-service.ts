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

/**
 * Changes one setting, written to the audit log with the old and new value in the same transaction.
 * Returns both so the caller can announce the change.
 */
export async function changeDeskSetting<K extends Key>(
  deps: Pick<ServiceDeps, 'db' | 'now'>,
  actor: string,
  key: K,
  change: (current: DeskSettings[K]) => DeskSettings[K],
): Promise<{ before: DeskSettings[K]; after: DeskSettings[K] }> {
  const now = deps.now().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const before = (await loadDeskSettings({ db: trx }))[key];
    const after = change(structuredClone(before));
    await writeSetting(trx, key, after ?? null, now, actor);
    await appendAudit(trx, {
      actor,
      action: `set ${key}`,
      oldValue: before ?? null,
      newValue: after ?? null,
      at: now,
    });
    return { before, after };
  });
}
