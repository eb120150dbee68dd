import type {
  ArticleRef,
  Assistant,
  ConversationSummary,
  MessageAnalysis,
  TranscriptLine,
} from '../conversation/assistant.js';
import { extractAnswer } from './answer-extract.js';
import type { KnowledgeBase } from './create-knowledge-base.js';
import { classifyIntents, QUESTION_VETO } from './intent-signals.js';
import type { IntentClassifier } from './intent-model.js';
import { afterRetraction, asksIfBot } from './intents.js';
import { loadIntentClassifier } from './load-intent-model.js';
import { createSentimentAnalyzer, type SentimentAnalyzer, weightedSentiment } from './sentiment.js';
import { summarizeTranscript } from './summary.js';
import { cleanText } from '../lib/clean-text.js';

/**
 * The local engine: answers from the knowledge base with no API key. What the customer wants comes from
 * the intent classifier and the exact rules (intent-signals.ts). Confidence is the search's: the
 * re-ranker's probability that the best article answers the question at all (kb-search.ts), trained on
 * the tuning questions. How the whole engine does on conversations it was never tuned on is what
 * `npm run eval` reports for the held-out sets in eval/heldout/.
 */

/** Nothing to say: what an engine answers instead of throwing for bad customer text. */
export const EMPTY_ANALYSIS: MessageAnalysis = {
  reply: null,
  confidence: 0,
  articles: [],
  sentiment: 0,
  conversationSentiment: 0,
  intents: [],
};

/** Below this search confidence the assistant does not answer (reply null). */
export const REPLY_THRESHOLD = 0.3;
/** Classifier labels of requests on sensitive topics; some of their probability on a question means it is about one. */
const SENSITIVE_LABELS = new Set([
  'refund_request',
  'cancel_request',
  'billing_dispute',
  'legal_threat',
  'account_security',
  'complaint',
]);
/** Sensitive topics by the article's own title and tags (refunds, cancellation, charges, security, privacy). */
const SENSITIVE_TOPIC =
  /\b(refunds?|cancel\w*|charges?|billing|disputes?|secur\w*|hack\w*|fraud|legal|privacy|complaints?)\b/i;
/** From this share of sensitive-request probability on, an answered question comes with the offer of a person. */
export const OFFER_PERSON_SHARE = 0.1;
/** The most negative mood a message the classifier reads as a plain question can carry. */
export const QUESTION_MOOD_FLOOR = -0.3;
/** Articles below this confidence are never cited. */
export const ARTICLE_FLOOR = 0.15;
/** Related articles are cited beside the answer when at least this close to the best one. */
export const RELATED_SHARE = 0.4;

export interface LocalAssistantOptions {
  kb: KnowledgeBase;
  /** The intent classifier; the shipped model (src/ai/model/) when not given. */
  intentClassifier?: IntentClassifier;
  sentiment?: SentimentAnalyzer;
  /** Clock; reserved for time-aware replies, not used yet. */
  now?: () => Date;
  replyThreshold?: number;
  greeting?: string;
}

const DEFAULT_GREETING =
  "Hi! I'm the support assistant. Ask me about orders, shipping, returns, billing or your account and I'll do my best to help. If you'd rather talk to a person, just say so.";
const BOT_DISCLOSURE =
  'I\'m an automated assistant, not a person. I can answer most questions straight away, and if you\'d like a member of our team instead, just say "talk to a person".';
const WELCOME = "You're welcome! Is there anything else I can help you with?";
const GREETING =
  /^(hi|hello|hey|hiya|howdy|greetings|yo|good (morning|afternoon|evening|day))\b[\s,]*(there|team|all|everyone|folks)?[\s!.,:;)-]*$/i;

export function createLocalAssistant(options: LocalAssistantOptions): Assistant {
  const { kb } = options;
  const analyzer = options.sentiment ?? createSentimentAnalyzer();
  const threshold = options.replyThreshold ?? REPLY_THRESHOLD;
  const classifier = options.intentClassifier ?? loadIntentClassifier();

  const analyzeNow = (history: readonly TranscriptLine[], message: string): MessageAnalysis => {
    const text = cleanText(message);
    const sentiment = analyzer.score(text);
    const earlier = customerTexts(history, text);
    const conversationSentiment = weightedSentiment([
      ...earlier.map((line) => analyzer.score(line)),
      sentiment,
    ]);
    const { intents, signals, prediction } = classifyIntents(text, history, classifier);
    // Swearing in a plain question ("where the hell is my parcel?") is not a customer to escalate:
    // the lexicon's score counts in full only when the classifier does not read a question.
    const pQuestion = prediction?.ranked.find((r) => r.label === 'question')?.probability ?? 0;
    const mood = (score: number) =>
      pQuestion >= QUESTION_VETO ? Math.max(score, QUESTION_MOOD_FLOOR) : score;
    const sensitiveShare = (prediction?.ranked ?? [])
      .filter((r) => SENSITIVE_LABELS.has(r.label))
      .reduce((sum, r) => sum + r.probability, 0);
    const base = {
      offerPerson: sensitiveShare >= OFFER_PERSON_SHARE,
      sentiment: mood(sentiment),
      conversationSentiment: mood(conversationSentiment),
      intents,
      signals,
    };
    const fixed = (reply: string | null, confidence: number): MessageAnalysis => ({
      ...base,
      reply,
      confidence,
      articles: [],
    });

    if (!text) return fixed(null, 0);
    if (GREETING.test(text)) return fixed(options.greeting ?? DEFAULT_GREETING, 1);
    if (asksIfBot(text) && !intents.includes('human')) return fixed(BOT_DISCLOSURE, 1);

    // "Can I talk to a person? No wait, never mind — how long is shipping?": answer what is left.
    const { question, hits } = bestQuestion(kb, afterRetraction(text));
    const top = hits[0];
    const confidence = top?.confidence ?? 0;
    if (intents.includes('thanks') && confidence < threshold) return fixed(WELCOME, 1);
    if (!top || confidence < threshold) return fixed(null, confidence);

    // Asked again after we already cited the best article: offer the next one if it is good enough.
    const lastBot = [...history].reverse().find((line) => line.author === 'bot')?.text ?? '';
    const second = hits[1];
    const chosen =
      intents.includes('repeat') &&
      lastBot.includes(`read more in ${top.article.title}`) &&
      second &&
      second.confidence >= threshold
        ? second
        : top;
    const extract = extractAnswer(chosen.article, kb.queryTerms(question), { question });
    const articles: ArticleRef[] = [chosen, ...hits.filter((hit) => hit !== chosen)]
      .filter((hit) => hit.confidence >= ARTICLE_FLOOR && hit.confidence >= confidence * RELATED_SHARE)
      .slice(0, 3)
      .map(({ article }) => ({ id: article.id, title: article.title, url: article.url }));
    return {
      ...base,
      reply: extract ? `${extract}\n\nYou can read more in ${chosen.article.title}.` : null,
      confidence: extract ? chosen.confidence : 0,
      articles,
      topic: chosen.article.tags[0],
      // Answering from an article on a sensitive topic (its title or tags say so): offer a person too.
      offerPerson:
        base.offerPerson || SENSITIVE_TOPIC.test(`${chosen.article.title} ${chosen.article.tags.join(' ')}`),
    };
  };

  return {
    async analyze({ history, message }) {
      const safeHistory = Array.isArray(history) ? history : [];
      try {
        return analyzeNow(safeHistory, typeof message === 'string' ? message : '');
      } catch {
        // Engines must never throw for customer text; report "nothing to say" instead.
        return EMPTY_ANALYSIS;
      }
    },
    async summarize({ history }): Promise<ConversationSummary> {
      const topicOf = (text: string) => {
        const hit = kb.search(text, 1)[0];
        return hit && hit.confidence >= ARTICLE_FLOOR ? hit.article.tags[0] : undefined;
      };
      try {
        return summarizeTranscript(Array.isArray(history) ? history : [], { topicOf });
      } catch {
        const empty = { orderNumbers: [], emails: [], phoneNumbers: [], amounts: [] };
        return { issue: 'The conversation could not be summarised.', facts: empty, tried: [] };
      }
    },
  };
}

/**
 * A long message often holds one question among greetings, context and asides ("Hi, I'm Marcus, I
 * ordered chairs this morning. Can I still change the address?"). The whole message is searched, and so
 * is each of its sentences; the best-covered one is the question. Its search decides the answer.
 */
/** A sentence that asks something: only those compete with the whole message (a max over asides inflates). */
const QUESTION_LIKE =
  /\?\s*$|^(how|what|where|when|why|which|who|can|could|do|does|did|is|are|will|would|should|may)\b/i;

/** Confidence from which the whole message's best article is taken without searching its sentences. */
const CLEAR_ANSWER = 0.6;

export function bestQuestion(kb: Pick<KnowledgeBase, 'search'>, text: string) {
  const whole = { question: text, hits: kb.search(text, 5) };
  // A message the whole of which is clearly answered needs no second look (and no second search).
  if ((whole.hits[0]?.confidence ?? 0) >= CLEAR_ANSWER) return whole;
  const pieces = text.split(/(?<=[.?!;:])\s+|\n+/).map((part) => part.trim());
  if (pieces.length < 2) return whole;
  const parts = pieces.filter((part) => part.split(/\s+/).length >= 3 && QUESTION_LIKE.test(part));
  let best = whole;
  for (const part of parts.slice(0, 6)) {
    const hits = kb.search(part, 5);
    if ((hits[0]?.confidence ?? 0) > (best.hits[0]?.confidence ?? 0)) best = { question: part, hits };
  }
  return best;
}

/** The customer's earlier messages, without the current one if the caller already stored it. */
function customerTexts(history: readonly TranscriptLine[], current: string): string[] {
  const texts = history
    .filter((line) => line?.author === 'customer' && typeof line.text === 'string')
    .map((line) => cleanText(line.text, 2_000));
  if (texts.at(-1) === current) texts.pop();
  return texts;
}
