import type { Assistant, ConversationSummary, TranscriptLine } from '../conversation/assistant.js';
import type { KnowledgeBase } from './create-knowledge-base.js';
import { ARTICLE_FLOOR, EMPTY_ANALYSIS } from './local-assistant.js';
import { createJsonCompleter, LlmFailure, toFailure } from './openai-client.js';
import {
  AnswerSchema,
  answerFormat,
  checkIssue,
  mergeAnalysis,
  SummarySchema,
  summaryFormat,
} from './openai-output.js';
import {
  analyzeMessages,
  forModel,
  PROMPT_LIMITS,
  retrieveArticles,
  summaryMessages,
} from './openai-prompt.js';
import { summarizeTranscript } from './summary.js';
import { cleanText } from '../lib/clean-text.js';

/**
 * The OpenAI-compatible engine (OpenAI, Azure OpenAI v1, Ollama, vLLM, LM Studio): retrieval from
 * the knowledge base, one structured-output chat completion, zod validation, and hardening against
 * the local engine's view of the same message (openai-output.ts). Any failure answers with the
 * fallback engine instead; the customer never sees an error.
 */

export interface OpenAiAssistantLogger {
  warn(obj: object, msg: string): void;
  info?(obj: object, msg: string): void;
}

export interface OpenAiAssistantOptions {
  apiKey: string;
  /** e.g. http://localhost:11434/v1 for Ollama; default: OpenAI. */
  baseURL?: string;
  model: string;
  /** Hard deadline for one analyze/summarize call, SDK retries included. */
  timeoutMs: number;
  kb: KnowledgeBase;
  /** Answers whenever the model cannot (normally the local engine). */
  fallback: Assistant;
  log: OpenAiAssistantLogger;
  /** SDK retries (429, 5xx, connection errors) with backoff inside the deadline; default 1. */
  maxRetries?: number;
}

export const LLM_FAILED = 'LLM failed; using the local engine';

export function createOpenAiAssistant(options: OpenAiAssistantOptions): Assistant {
  const { kb, fallback, log, model } = options;
  const llm = createJsonCompleter(options);

  const warn = (op: 'analyze' | 'summarize', failure: LlmFailure) =>
    log.warn({ op, model, reason: failure.reason, ...failure.details }, LLM_FAILED);
  const answered = (
    op: string,
    started: number,
    usage?: { prompt_tokens?: number; completion_tokens?: number },
  ) =>
    log.info?.(
      {
        op,
        model,
        ms: Date.now() - started,
        promptTokens: usage?.prompt_tokens,
        completionTokens: usage?.completion_tokens,
      },
      'LLM answered',
    );

  const topicOf = (text: string) => {
    const hit = kb.search(text, 1)[0];
    return hit && hit.confidence >= ARTICLE_FLOOR ? hit.article.tags[0] : undefined;
  };

  return {
    async analyze(input) {
      const history = validLines(input?.history);
      const raw = typeof input?.message === 'string' ? input.message : '';
      // The fallback runs every time: it is the answer on failure and the floor for hardening.
      const local = Promise.resolve()
        .then(() => fallback.analyze({ history, message: raw }))
        .catch(() => EMPTY_ANALYSIS);
      // Masked before it is cut to size, so a number at the cut is not left half visible.
      const message = cleanText(forModel(raw), PROMPT_LIMITS.messageChars);
      if (!message) return local;
      const started = Date.now();
      try {
        const articles = retrieveArticles(kb, message, history);
        const { value, usage } = await llm.complete({
          messages: analyzeMessages({ message, history, articles }),
          format: answerFormat,
          schema: AnswerSchema,
        });
        const { rejected, ...merged } = mergeAnalysis(await local, value, {
          retrieved: articles,
          // The local engine's intents (classifier and exact rules) are the floor the model can add to.
          ruleIntents: (await local).intents,
        });
        if (rejected) warn('analyze', new LlmFailure('unsafe_output', { field: 'reply', check: rejected }));
        else answered('analyze', started, usage);
        return merged;
      } catch (err) {
        warn('analyze', toFailure(err));
        return local;
      }
    },

    async summarize(input): Promise<ConversationSummary> {
      const history = validLines(input?.history);
      let local: ConversationSummary;
      try {
        // Facts, what was tried and the next step always come from the local extractor.
        local = summarizeTranscript(history, { topicOf });
      } catch {
        return fallback.summarize({ history });
      }
      if (!history.some((line) => line.author === 'customer' && cleanText(line.text))) return local;
      const started = Date.now();
      try {
        const { value, usage } = await llm.complete({
          messages: summaryMessages(history),
          format: summaryFormat,
          schema: SummarySchema,
        });
        const checked = checkIssue(value.issue);
        if (!checked.ok) {
          warn('summarize', new LlmFailure('unsafe_output', { field: 'issue', check: checked.reason }));
          return local;
        }
        answered('summarize', started, usage);
        return { ...local, issue: checked.issue };
      } catch (err) {
        warn('summarize', toFailure(err));
        return local;
      }
    },
  };
}

function validLines(history: unknown): TranscriptLine[] {
  if (!Array.isArray(history)) return [];
  return history.filter(
    (line): line is TranscriptLine =>
      typeof line === 'object' &&
      line !== null &&
      typeof line.text === 'string' &&
      typeof line.author === 'string',
  );
}
