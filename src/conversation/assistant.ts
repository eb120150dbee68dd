/**
 * What the assistant tells the rest of Baton about a customer message and a conversation.
 * Pure data: the engines (local, OpenAI-compatible) live in src/ai and produce it.
 */

export const INTENTS = [
  'human', // asks for a person
  'not_human', // explicitly says they do not need a person ("I don't need a human, just ...")
  'billing_dispute',
  'refund',
  'cancellation',
  'legal',
  'account_security',
  'complaint',
  'frustrated',
  'thanks',
  'repeat', // asks the same thing again / "that's not what I asked"
] as const;

export type Intent = (typeof INTENTS)[number];

export interface ArticleRef {
  id: string;
  title: string;
  url?: string;
}

export interface TranscriptLine {
  author: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
}

export interface MessageAnalysis {
  /** The answer to show the customer, or null when the assistant has nothing good to say. */
  reply: string | null;
  /** 0..1: how sure the assistant is that `reply` answers the question. */
  confidence: number;
  articles: ArticleRef[];
  /** -1 (very negative) .. 1 (very positive) for this message. */
  sentiment: number;
  /** -1..1 over the customer's recent messages, weighted to the latest. */
  conversationSentiment: number;
  intents: Intent[];
  /**
   * The message asks about a sensitive policy (refunds, cancellation, charges, security): it gets the
   * answer, with a one-click offer of a person beside it.
   */
  offerPerson?: boolean;
  /** Why each intent was found: what fired, how sure, on which words. Explains a handoff on the card. */
  signals?: IntentSignal[];
  /** The knowledge-base topic the message is about, e.g. "billing", "shipping"; undefined if unknown. */
  topic?: string;
}

/** One intent and the evidence for it. */
export interface IntentSignal {
  intent: Intent;
  /** 0..1: the classifier's calibrated probability, or 1 for an exact rule. */
  score: number;
  source: 'model' | 'rule';
  /** The customer's words it fired on (shortened); shown to agents, logged only at debug level. */
  evidence: string;
}

export interface ConversationFacts {
  orderNumbers: string[];
  emails: string[];
  phoneNumbers: string[];
  amounts: string[];
}

export interface ConversationSummary {
  /** The customer's issue in a sentence or two. */
  issue: string;
  facts: ConversationFacts;
  /** What the assistant already tried: answers given and articles cited. */
  tried: string[];
  nextStep?: string;
  topic?: string;
}

/** The port the services use. Engines must never throw for bad customer text. */
export interface Assistant {
  analyze(input: { history: TranscriptLine[]; message: string }): Promise<MessageAnalysis>;
  summarize(input: { history: TranscriptLine[] }): Promise<ConversationSummary>;
}
