import type {
  ArticleRef,
  Assistant,
  ConversationSummary,
  MessageAnalysis,
  TranscriptLine,
} from '../conversation/assistant.js';
import { extractAnswer } from './answer-extract.js';
import type { KnowledgeBase } from './create-knowledge-base.js';
import { afterRetraction, asksIfBot, detectIntents } from './intents.js';
import { createSentimentAnalyzer, type SentimentAnalyzer, weightedSentiment } from './sentiment.js';
import { summarizeTranscript } from './summary.js';
import { cleanText } from '../lib/clean-text.js';

/**
 * The local engine: answers from the knowledge base with no API key. Confidence is the search
 * confidence of the best article (kb-search.ts: idf-weighted share of the query's words the article
 * covers, times a sigmoid on the raw BM25 score so a lone body-text word cannot look certain).
 * Calibration on the sample kb/ with 65 covered and 25 off-topic questions (kb-search.test.ts holds
 * a subset): covered questions score 0.66–1.0 (median 1.0; one outlier, "return a lamp I bought last
 * week", 0.36); off-topic ones 0–0.08. Replies need ≥ 0.35. The labelled set in eval/tuning/cases.json
 * (`npm run eval`) checks the whole engine against the handoff triggers; re-run it after tuning.
 */

/** Below this search confidence the assistant does not answer (reply null). */
export const REPLY_THRESHOLD = 0.35;
/** Articles below this confidence are never cited. */
export const ARTICLE_FLOOR = 0.35;

export interface LocalAssistantOptions {
  kb: KnowledgeBase;
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

  const analyzeNow = (history: readonly TranscriptLine[], message: string): MessageAnalysis => {
    const text = cleanText(message);
    const sentiment = analyzer.score(text);
    const earlier = customerTexts(history, text);
    const conversationSentiment = weightedSentiment([
      ...earlier.map((line) => analyzer.score(line)),
      sentiment,
    ]);
    const intents = detectIntents({ message: text, history });
    const base = { sentiment, conversationSentiment, intents };
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
    const question = afterRetraction(text);
    const hits = kb.search(question, 5);
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
      .filter((hit) => hit.confidence >= ARTICLE_FLOOR && hit.confidence >= confidence * 0.6)
      .slice(0, 3)
      .map(({ article }) => ({ id: article.id, title: article.title, url: article.url }));
    return {
      ...base,
      reply: extract ? `${extract}\n\nYou can read more in ${chosen.article.title}.` : null,
      confidence: extract ? chosen.confidence : 0,
      articles,
      topic: chosen.article.tags[0],
    };
  };

  return {
    async analyze({ history, message }) {
      const safeHistory = Array.isArray(history) ? history : [];
      try {
        return analyzeNow(safeHistory, typeof message === 'string' ? message : '');
      } catch {
        // Engines must never throw for customer text; report "nothing to say" instead.
        return {
          reply: null,
          confidence: 0,
          articles: [],
          sentiment: 0,
          conversationSentiment: 0,
          intents: [],
        };
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

/** The customer's earlier messages, without the current one if the caller already stored it. */
function customerTexts(history: readonly TranscriptLine[], current: string): string[] {
  const texts = history
    .filter((line) => line?.author === 'customer' && typeof line.text === 'string')
    .map((line) => cleanText(line.text, 2_000));
  if (texts.at(-1) === current) texts.pop();
  return texts;
}
