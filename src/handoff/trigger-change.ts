import type { TriggerSettings } from './triggers.js';

/** The trigger a `/baton trigger …` command names (the words admins type). */
export type TriggerName = 'requested' | 'confidence' | 'sentiment' | 'sensitive' | 'turns' | 'repeat';

/** One change to the handoff triggers, as `/baton trigger …` states it; applied or replayed alike. */
export type TriggerChange =
  | { kind: 'trigger_toggle'; trigger: TriggerName; on: boolean }
  | { kind: 'trigger_confidence'; value: number }
  | { kind: 'trigger_sentiment'; value: number }
  | { kind: 'trigger_turns'; value: number }
  | { kind: 'trigger_keywords'; op: 'add' | 'remove'; words: string[] };

const SETTING_OF = {
  requested: 'requested',
  confidence: 'lowConfidence',
  sentiment: 'sentiment',
  sensitive: 'sensitive',
  turns: 'noResolution',
  repeat: 'repeated',
} as const;

/** The settings after `change`. Pure: the same function applies a change and replays it. */
export function applyTriggerChange(t: TriggerSettings, change: TriggerChange): TriggerSettings {
  switch (change.kind) {
    case 'trigger_toggle': {
      const key = SETTING_OF[change.trigger];
      return { ...t, [key]: { ...t[key], enabled: change.on } };
    }
    case 'trigger_confidence':
      return { ...t, lowConfidence: { ...t.lowConfidence, threshold: change.value } };
    case 'trigger_sentiment':
      return { ...t, sentiment: { ...t.sentiment, threshold: change.value } };
    case 'trigger_turns':
      return { ...t, noResolution: { ...t.noResolution, maxTurns: change.value } };
    case 'trigger_keywords': {
      const set = new Set(t.sensitive.keywords);
      for (const w of change.words) {
        if (change.op === 'add') set.add(w);
        else set.delete(w);
      }
      return { ...t, sensitive: { ...t.sensitive, keywords: [...set] } };
    }
  }
}

/** "confidence threshold 0.5", for replies, reports and the Apply button. Plain text (no mrkdwn). */
export function describeTriggerChange(change: TriggerChange): string {
  switch (change.kind) {
    case 'trigger_toggle':
      return `${change.trigger} ${change.on ? 'on' : 'off'}`;
    case 'trigger_confidence':
      return `confidence threshold ${change.value}`;
    case 'trigger_sentiment':
      return `sentiment threshold ${change.value}`;
    case 'trigger_turns':
      return `hand off after ${change.value} turns`;
    case 'trigger_keywords':
      return `${change.op === 'add' ? 'add' : 'remove'} sensitive keyword${change.words.length > 1 ? 's' : ''} ${change.words.join(', ')}`;
  }
}

/**
 * What changed between two trigger settings, in words ("lowered confidence to 0.5"), for the App Home's
 * look back at the last change. Pure. Empty when nothing the triggers decide on changed.
 */
export function describeTriggerDiff(before: TriggerSettings, after: TriggerSettings): string[] {
  const changes: string[] = [];
  for (const [name, key] of Object.entries(SETTING_OF)) {
    if (before[key].enabled !== after[key].enabled)
      changes.push(`turned ${name} ${after[key].enabled ? 'on' : 'off'}`);
  }
  const moved = (what: string, from: number, to: number) => {
    if (from !== to) changes.push(`${to < from ? 'lowered' : 'raised'} ${what} to ${to}`);
  };
  moved('confidence', before.lowConfidence.threshold, after.lowConfidence.threshold);
  moved('sentiment', before.sentiment.threshold, after.sentiment.threshold);
  moved('turns', before.noResolution.maxTurns, after.noResolution.maxTurns);
  const added = after.sensitive.keywords.filter((k) => !before.sensitive.keywords.includes(k));
  const removed = before.sensitive.keywords.filter((k) => !after.sensitive.keywords.includes(k));
  if (added.length > 0) changes.push(`added keyword${added.length > 1 ? 's' : ''} ${added.join(', ')}`);
  if (removed.length > 0)
    changes.push(`removed keyword${removed.length > 1 ? 's' : ''} ${removed.join(', ')}`);
  return changes;
}

/** The `/baton trigger …` words that make `change` (without "/baton"): what the Apply button runs. */
export function triggerCommandText(change: TriggerChange): string {
  switch (change.kind) {
    case 'trigger_toggle':
      return `trigger ${change.trigger} ${change.on ? 'on' : 'off'}`;
    case 'trigger_confidence':
      return `trigger confidence ${change.value}`;
    case 'trigger_sentiment':
      return `trigger sentiment ${change.value}`;
    case 'trigger_turns':
      return `trigger turns ${change.value}`;
    case 'trigger_keywords':
      return `trigger keywords ${change.op} ${change.words.join(' ')}`;
  }
}
