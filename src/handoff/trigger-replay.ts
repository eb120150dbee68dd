import type { Intent, MessageAnalysis } from '../conversation/assistant.js';
import { decideHandoff, HANDOFF_REASONS, type HandoffReason, type TriggerSettings } from './triggers.js';

/** What the triggers saw for one customer message, as kept (trigger-input-repository.ts). */
export interface StoredTriggerInput {
  conversationId: string;
  seq: number;
  text: string;
  customerTurns: number;
  /** Whether the assistant had an answer: the confidence trigger also fires when it had none. */
  answered: boolean;
  confidence: number;
  sentiment: number;
  conversationSentiment: number;
  intents: Intent[];
  decidedAt: string;
}

/** The analysis `decideHandoff` reads, rebuilt from what was kept (it never reads the reply's words). */
function analysisOf(input: StoredTriggerInput): MessageAnalysis {
  return {
    reply: input.answered ? '(answered)' : null,
    confidence: input.confidence,
    articles: [],
    sentiment: input.sentiment,
    conversationSentiment: input.conversationSentiment,
    intents: input.intents,
  };
}

/** The first of a conversation's decisions (in order) that hands off under `settings`. Pure. */
export function firstHandoff(
  inputs: readonly StoredTriggerInput[],
  settings: TriggerSettings,
): { reason: HandoffReason; seq: number; text: string } | undefined {
  for (const input of inputs) {
    const decision = decideHandoff(
      { message: input.text, analysis: analysisOf(input), customerTurns: input.customerTurns },
      settings,
    );
    if (decision.handoff) return { reason: decision.reason, seq: input.seq, text: input.text };
  }
  return undefined;
}

export interface ReplayExample {
  conversationId: string;
  /** Why it hands off: now (for one that would stop) or with the change (for one that would start). */
  reason: HandoffReason;
  /** The customer's line it hands off on (raw: whoever shows it masks it). */
  text: string;
  lastDecidedAt: string;
}

/** Handoffs by reason under one setting, and how many conversations hand off at all. */
export interface ReplaySide {
  handoffs: number;
  byReason: Record<HandoffReason, number>;
}

export interface ReplayTally {
  conversations: number;
  decisions: number;
  now: ReplaySide;
  proposed: ReplaySide;
  /** Conversations that hand off only with the change, and the newest few of them. */
  started: { count: number; examples: ReplayExample[] };
  /** Conversations that hand off now but would not with the change. */
  stopped: { count: number; examples: ReplayExample[] };
  /** Both hand off, for another reason (or at another message). */
  moved: number;
}

const side = (): ReplaySide => ({
  handoffs: 0,
  byReason: Object.fromEntries(HANDOFF_REASONS.map((r) => [r, 0])) as Record<HandoffReason, number>,
});

export function createReplayTally(): ReplayTally {
  return {
    conversations: 0,
    decisions: 0,
    now: side(),
    proposed: side(),
    started: { count: 0, examples: [] },
    stopped: { count: 0, examples: [] },
    moved: 0,
  };
}

/** Keeps the `max` newest examples. */
function keepNewest(examples: ReplayExample[], example: ReplayExample, max: number) {
  examples.push(example);
  examples.sort((a, b) => b.lastDecidedAt.localeCompare(a.lastDecidedAt));
  if (examples.length > max) examples.length = max;
}

/**
 * Replays one conversation's decisions under the current and the proposed triggers and adds the
 * outcome to `tally`. Pure, apart from updating `tally`. A conversation counts once: it hands off or
 * it does not. Only the decisions that were made are known: once a conversation handed off, the
 * assistant decided nothing more, so a setting that would have kept it longer cannot be followed on.
 */
export function tallyConversation(
  tally: ReplayTally,
  inputs: readonly StoredTriggerInput[],
  settings: { now: TriggerSettings; proposed: TriggerSettings },
  maxExamples = 5,
): void {
  if (inputs.length === 0) return;
  tally.conversations += 1;
  tally.decisions += inputs.length;
  const now = firstHandoff(inputs, settings.now);
  const proposed = firstHandoff(inputs, settings.proposed);
  for (const [outcome, counts] of [
    [now, tally.now],
    [proposed, tally.proposed],
  ] as const) {
    if (!outcome) continue;
    counts.handoffs += 1;
    counts.byReason[outcome.reason] += 1;
  }
  const last = inputs[inputs.length - 1]!;
  const example = (fired: { reason: HandoffReason; text: string }) => ({
    conversationId: last.conversationId,
    reason: fired.reason,
    text: fired.text,
    lastDecidedAt: last.decidedAt,
  });
  if (proposed && !now) {
    tally.started.count += 1;
    keepNewest(tally.started.examples, example(proposed), maxExamples);
  } else if (now && !proposed) {
    tally.stopped.count += 1;
    keepNewest(tally.stopped.examples, example(now), maxExamples);
  } else if (now && proposed && (now.reason !== proposed.reason || now.seq !== proposed.seq)) {
    tally.moved += 1;
  }
}
