import { latestAudit } from './audit-repository.js';
import { storedTriggers } from './settings-schemas.js';
import { applyTriggerChange, describeTriggerDiff, type TriggerChange } from '../handoff/trigger-change.js';
import { handoffRate, type InputCursor, listTriggerInputs } from '../handoff/trigger-input-repository.js';
import {
  createReplayTally,
  type ReplayTally,
  type StoredTriggerInput,
  tallyConversation,
} from '../handoff/trigger-replay.js';
import { DEFAULT_TRIGGER_SETTINGS, type TriggerSettings } from '../handoff/triggers.js';
import type { ServiceDeps } from '../ports.js';

const DAY = 24 * 60 * 60 * 1000;
/** How far back `/baton triggers test` looks, and the longest span the App Home compares. */
export const REPLAY_DAYS = 30;
/** Decisions read at a time; the server answers requests between pages. */
const PAGE = 250;

export interface TriggerReplayReport extends ReplayTally {
  change: TriggerChange;
  days: number;
}

/**
 * Replays `change` over the decisions of the last `days` days through the same trigger rules that
 * made them, beside the current settings. Reads stored decisions only: the assistant (or the model)
 * is not asked again and nothing is sent. Read in pages, yielding between them, so a replay over many
 * thousands of conversations never holds up the chat or Slack's acknowledgements.
 */
export async function replayTriggerChange(
  deps: Pick<ServiceDeps, 'db' | 'now' | 'settings'>,
  change: TriggerChange,
  opts: { days?: number; pageSize?: number } = {},
): Promise<TriggerReplayReport> {
  const days = opts.days ?? REPLAY_DAYS;
  const pageSize = opts.pageSize ?? PAGE;
  const since = new Date(deps.now().getTime() - days * DAY).toISOString();
  const now = (await deps.settings()).triggers;
  const settings = { now, proposed: applyTriggerChange(now, change) };
  const tally = createReplayTally();
  let conversation: StoredTriggerInput[] = [];
  let after: InputCursor | undefined;
  for (;;) {
    const page = await listTriggerInputs(deps.db, { since, after, limit: pageSize });
    for (const input of page) {
      if (conversation.length > 0 && conversation[0]!.conversationId !== input.conversationId) {
        tallyConversation(tally, conversation, settings);
        conversation = [];
      }
      conversation.push(input);
    }
    const last = page.at(-1);
    if (!last || page.length < pageSize) break;
    after = { conversationId: last.conversationId, seq: last.seq };
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  tallyConversation(tally, conversation, settings);
  return { ...tally, change, days };
}

/** The last trigger change and how often conversations handed off before and since it. */
export interface TriggerChangeLookBack {
  actor: string;
  at: string;
  /** "lowered confidence to 0.5", … */
  changes: string[];
  /** Days since the change (fractional). */
  daysSince: number;
  /** The REPLAY_DAYS before the change. */
  before: { conversations: number; handedOff: number };
  since: { conversations: number; handedOff: number };
}

const triggersOf = (value: unknown): TriggerSettings | undefined => {
  const parsed = storedTriggers.safeParse(value);
  return parsed.success ? { ...DEFAULT_TRIGGER_SETTINGS, ...parsed.data } : undefined;
};

/**
 * The newest audited change to the triggers, with the handoff rate of the conversations the assistant
 * decided on since, beside the REPLAY_DAYS before it (rates, so the spans need not match). Undefined
 * when the triggers were never changed (or the audit row cannot be read).
 */
export async function lookBackAtTriggerChange(
  deps: Pick<ServiceDeps, 'db' | 'now'>,
): Promise<TriggerChangeLookBack | undefined> {
  const entry = await latestAudit(deps.db, 'set triggers');
  const before = triggersOf(entry?.oldValue);
  const after = triggersOf(entry?.newValue);
  if (!entry || !before || !after) return undefined;
  const at = Date.parse(entry.at);
  const now = deps.now().getTime();
  return {
    actor: entry.actor,
    at: entry.at,
    changes: describeTriggerDiff(before, after),
    daysSince: Math.max(now - at, 0) / DAY,
    before: await handoffRate(deps.db, new Date(at - REPLAY_DAYS * DAY).toISOString(), entry.at),
    since: await handoffRate(deps.db, entry.at, new Date(Math.max(now, at) + 1).toISOString()),
  };
}
