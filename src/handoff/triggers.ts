import type { Intent, MessageAnalysis } from '../conversation/assistant.js';

/** Every reason this version of Baton records a handoff for. */
export const HANDOFF_REASONS = [
  'requested',
  'low_confidence',
  'negative_sentiment',
  'sensitive_topic',
  'no_resolution',
  'repeated_question',
  'agent_takeover',
] as const;

export type HandoffReason = (typeof HANDOFF_REASONS)[number];

export interface TriggerSettings {
  requested: { enabled: boolean };
  lowConfidence: { enabled: boolean; threshold: number };
  sentiment: { enabled: boolean; threshold: number };
  sensitive: { enabled: boolean; keywords: string[] };
  noResolution: { enabled: boolean; maxTurns: number };
  repeated: { enabled: boolean };
}

export const DEFAULT_TRIGGER_SETTINGS: TriggerSettings = {
  requested: { enabled: true },
  lowConfidence: { enabled: true, threshold: 0.3 },
  sentiment: { enabled: true, threshold: -0.5 },
  // Sensitive topics are found by meaning (a request for a refund, not a question about the refund
  // policy); admins may add keywords that always hand off (`/baton trigger keywords add`).
  sensitive: { enabled: true, keywords: [] },
  noResolution: { enabled: true, maxTurns: 6 },
  repeated: { enabled: true },
};

export interface TriggerInput {
  message: string;
  analysis: MessageAnalysis;
  /** Customer messages so far in this round, including this one. */
  customerTurns: number;
}

export type HandoffDecision = { handoff: false } | { handoff: true; reason: HandoffReason; detail: string };

const SENSITIVE_INTENTS: Intent[] = [
  'refund',
  'cancellation',
  'legal',
  'billing_dispute',
  'account_security',
  'complaint',
];

const SIGNAL_WORDS: Partial<Record<Intent, string>> = {
  human: 'asked for a person',
  refund: 'asked for a refund',
  cancellation: 'asked to cancel',
  legal: 'legal threat',
  billing_dispute: 'disputes a charge',
  account_security: 'account security',
  complaint: 'complaint',
  frustrated: 'sounds frustrated',
  repeat: 'asked the same thing again',
};

/** "asked for a person: "wanna contact somebody" (0.97)": what fired, on which words, how sure. */
function explain(analysis: MessageAnalysis, intent: Intent, fallback: string): string {
  const signal = analysis.signals?.find((s) => s.intent === intent);
  const what = SIGNAL_WORDS[intent] ?? fallback;
  if (!signal) return what;
  const how = signal.source === 'model' ? signal.score.toFixed(2) : 'rule';
  return `${what}: "${signal.evidence}" (${how})`;
}

/** Human-readable label for a reason, used on the card and in stats. */
export const REASON_LABELS: Record<HandoffReason, string> = {
  requested: 'Customer asked for a person',
  low_confidence: 'The assistant was not confident',
  negative_sentiment: 'Customer is frustrated',
  sensitive_topic: 'Sensitive topic',
  no_resolution: 'No resolution after several turns',
  repeated_question: 'Customer repeated the question',
  agent_takeover: 'An agent took over',
};

function keywordHit(message: string, keywords: string[]): string | undefined {
  const lower = message.toLowerCase();
  // Whole words with common inflections: "refunded" and "cancelled" count, "suede" does not count as "sue".
  return keywords.find((k) =>
    new RegExp(`\\b${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:s|es|d|ed|ing|led|ling)?\\b`, 'i').test(
      lower,
    ),
  );
}

/**
 * Decides whether this customer message hands the conversation to a person. Pure.
 * Order matters: an explicit request wins over everything and is never gated by other signals;
 * "thanks" never hands off on confidence alone.
 */
export function decideHandoff(input: TriggerInput, settings: TriggerSettings): HandoffDecision {
  const { analysis, message } = input;
  const intents = new Set(analysis.intents);

  if (settings.requested.enabled && intents.has('human') && !intents.has('not_human')) {
    return {
      handoff: true,
      reason: 'requested',
      detail: explain(analysis, 'human', 'asked to talk to a person'),
    };
  }
  if (settings.sensitive.enabled) {
    const intent = SENSITIVE_INTENTS.find((i) => intents.has(i));
    if (intent)
      return {
        handoff: true,
        reason: 'sensitive_topic',
        detail: explain(analysis, intent, intent.replace('_', ' ')),
      };
    const keyword = keywordHit(message, settings.sensitive.keywords);
    if (keyword) return { handoff: true, reason: 'sensitive_topic', detail: `mentions "${keyword}"` };
  }
  if (settings.sentiment.enabled) {
    if (intents.has('frustrated'))
      return {
        handoff: true,
        reason: 'negative_sentiment',
        detail: explain(analysis, 'frustrated', 'customer sounds frustrated'),
      };
    const worst = Math.min(analysis.sentiment, analysis.conversationSentiment);
    if (worst <= settings.sentiment.threshold) {
      return { handoff: true, reason: 'negative_sentiment', detail: `sentiment ${worst.toFixed(2)}` };
    }
  }
  if (settings.repeated.enabled && intents.has('repeat')) {
    return {
      handoff: true,
      reason: 'repeated_question',
      detail: explain(analysis, 'repeat', 'asked the same thing again'),
    };
  }
  if (
    settings.noResolution.enabled &&
    input.customerTurns >= settings.noResolution.maxTurns &&
    !intents.has('thanks')
  ) {
    return {
      handoff: true,
      reason: 'no_resolution',
      detail: `${input.customerTurns} messages without resolution`,
    };
  }
  if (settings.lowConfidence.enabled && !intents.has('thanks') && !intents.has('not_human')) {
    if (analysis.reply === null || analysis.confidence < settings.lowConfidence.threshold) {
      return {
        handoff: true,
        reason: 'low_confidence',
        detail: `confidence ${analysis.confidence.toFixed(2)}`,
      };
    }
  }
  return { handoff: false };
}
