import { type AnnounceDeps, queueAnnouncement } from './announce.js';
import { appendAudit } from './audit-repository.js';
import { type OnInvalidSetting, readSetting, writeSetting } from './settings-repository.js';
import {
  storedHours,
  storedMessages,
  storedRoutes,
  storedRouting,
  storedTriggers,
  storedRedaction,
  storedWidget,
} from './settings-schemas.js';
import { DEFAULT_MASKED } from '../privacy/sensitive-data.js';
import { DEFAULT_CUSTOMER_MESSAGES, type DeskSettings } from './desk-settings.js';
import { DEFAULT_TRIGGER_SETTINGS } from '../handoff/triggers.js';
import { DEFAULT_WIDGET_SETTINGS } from './widget-settings.js';
import type { ServiceDeps } from '../ports.js';

type Key = keyof DeskSettings;

const DEFAULTS: DeskSettings = {
  triggers: DEFAULT_TRIGGER_SETTINGS,
  routing: 'round-robin',
  hours: undefined,
  routes: [],
  messages: DEFAULT_CUSTOMER_MESSAGES,
  widget: DEFAULT_WIDGET_SETTINGS,
  redaction: { masked: [...DEFAULT_MASKED] },
};

/**
 * Stored settings over the defaults; a partly stored trigger block keeps the defaults for the rest.
 * A stored value that is malformed (see settings-schemas) is ignored in favour of its default rather
 * than failing every handoff; with `log`, each one is reported as a warning.
 */
export async function loadDeskSettings(
  deps: Pick<ServiceDeps, 'db'> & { log?: { warn: (fields: object, message: string) => void } },
): Promise<DeskSettings> {
  const log = deps.log;
  const onInvalid: OnInvalidSetting | undefined = log
    ? (key, problem) => log.warn({ key, problem }, 'stored desk setting is invalid; using the default')
    : undefined;
  const [triggers, routing, hours, routes, messages, widget, redaction] = await Promise.all([
    readSetting(deps.db, 'triggers', storedTriggers, onInvalid),
    readSetting(deps.db, 'routing', storedRouting, onInvalid),
    readSetting(deps.db, 'hours', storedHours, onInvalid),
    readSetting(deps.db, 'routes', storedRoutes, onInvalid),
    readSetting(deps.db, 'messages', storedMessages, onInvalid),
    readSetting(deps.db, 'widget', storedWidget, onInvalid),
    readSetting(deps.db, 'redaction', storedRedaction, onInvalid),
  ]);
  return {
    triggers: { ...DEFAULTS.triggers, ...triggers },
    routing: routing ?? DEFAULTS.routing,
    hours: hours ?? undefined,
    routes: routes ?? DEFAULTS.routes,
    messages: { ...DEFAULTS.messages, ...messages },
    widget: { ...DEFAULTS.widget, ...widget },
    redaction: redaction ?? DEFAULTS.redaction,
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
  deps: Pick<ServiceDeps, 'db' | 'now' | 'kickOutbox' | 'settingsChanged'> & AnnounceDeps,
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
  deps.settingsChanged?.();
  deps.kickOutbox();
  return result;
}
