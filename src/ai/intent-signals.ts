import type { Intent, IntentSignal, TranscriptLine } from '../conversation/assistant.js';
import type { IntentClassifier, IntentPrediction } from './intent-model.js';
import { afterRetraction, asksIfBot, detectIntents, withoutNonRequests } from './intents.js';

/**
 * Combines the intent classifier with the rules that are exact. The classifier decides what a message
 * is (a request for a person, a request for an action on a sensitive topic, frustration, or a question,
 * including a question *about* a sensitive policy); the rules add what they get right by construction
 * ("I don't need a human", thanks, "that's not what I asked", a line the customer already sent) and the
 * phrase-level rules for sensitive topics count only when the classifier does not read a plain question.
 */

/** Classifier labels and the intents they stand for (`question` stands for none). */
const MODEL_INTENT: Record<string, Intent | undefined> = {
  human: 'human',
  refund_request: 'refund',
  cancel_request: 'cancellation',
  billing_dispute: 'billing_dispute',
  legal_threat: 'legal',
  account_security: 'account_security',
  complaint: 'complaint',
  frustrated: 'frustrated',
  thanks: 'thanks',
  repeat: 'repeat',
};

/**
 * A classifier label counts from this calibrated probability on. Labels that escalate on their own
 * (a sensitive request, frustration) need more than an even chance; a request for a person does not,
 * since answering someone who asked for a person is the worse mistake.
 */
export const MODEL_THRESHOLD = 0.5;
const THRESHOLDS: Partial<Record<Intent, number>> = {
  refund: 0.6,
  cancellation: 0.6,
  billing_dispute: 0.6,
  legal: 0.6,
  account_security: 0.6,
  complaint: 0.6,
  frustrated: 0.6,
};
/** Above this probability of "a plain question", phrase rules about sensitive topics and mood stand down. */
export const QUESTION_VETO = 0.5;

/** Rules exact enough to stand whatever the classifier says. */
const EXACT_RULES = new Set<Intent>(['human', 'not_human', 'thanks', 'repeat']);

function evidenceOf(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 60 ? `${oneLine.slice(0, 59)}…` : oneLine;
}

export interface ClassifiedIntents {
  intents: Intent[];
  signals: IntentSignal[];
  prediction?: IntentPrediction;
}

export function classifyIntents(
  text: string,
  history: readonly TranscriptLine[],
  classifier: IntentClassifier | undefined,
): ClassifiedIntents {
  const rules = detectIntents({ message: text, history });
  // The classifier reads what the customer still means: after a "never mind", without "human error".
  const meant = withoutNonRequests(afterRetraction(text));
  const prediction = meant && classifier ? classifier.predict(meant) : undefined;
  const evidence = evidenceOf(text);
  const signals = new Map<Intent, IntentSignal>();
  const add = (signal: IntentSignal) => {
    // When the classifier agrees with a rule, its calibrated score is the more telling explanation.
    const known = signals.get(signal.intent);
    if (!known || signal.source === 'model') signals.set(signal.intent, signal);
  };
  const pQuestion = prediction?.ranked.find((r) => r.label === 'question')?.probability ?? 0;
  for (const intent of rules) {
    if (EXACT_RULES.has(intent) || pQuestion < QUESTION_VETO)
      add({ intent, score: 1, source: 'rule', evidence });
  }
  for (const { label, probability } of prediction?.ranked ?? []) {
    const intent = MODEL_INTENT[label];
    if (intent && probability >= (THRESHOLDS[intent] ?? MODEL_THRESHOLD))
      add({ intent, score: Math.round(probability * 100) / 100, source: 'model', evidence });
  }
  // "I don't need a person, just tell me ..." and "is this a bot?" win over a classifier that saw a
  // word for a person; the rule for an explicit request still stands ("are you a bot? get me a human").
  if (signals.has('not_human') || (asksIfBot(text) && !rules.includes('human'))) signals.delete('human');
  return { intents: [...signals.keys()], signals: [...signals.values()], prediction };
}
