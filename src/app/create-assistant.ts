import path from 'node:path';
import type { Logger } from 'pino';
import { createKnowledgeBase } from '../ai/create-knowledge-base.js';
import { watchKnowledgeBase } from '../ai/watch-knowledge-base.js';
import { createLocalAssistant } from '../ai/local-assistant.js';
import { createOpenAiAssistant } from '../ai/openai-assistant.js';
import { createPooledAssistant } from './pooled-assistant.js';
import type { Assistant } from '../conversation/assistant.js';
import type { Config } from './config.js';

/**
 * The knowledge base (reloaded when an article changes) and the assistant: the local engine, or an
 * OpenAI-compatible model with the local engine as the fallback for every message. The local engine
 * runs in ASSISTANT_THREADS worker threads (pooled-assistant.ts), or on the event loop when 0.
 */
export async function createAssistant(
  config: Config,
  log: Logger,
): Promise<{ assistant: Assistant; stop: () => Promise<void> }> {
  const kbLog = log.child({ component: 'kb' });
  const kb = await createKnowledgeBase(config.KB_DIR, kbLog, { cachePath: kbIndexPath(config) });
  kbLog.info({ articles: kb.articles().length, dir: config.KB_DIR }, 'knowledge base loaded');
  const stopWatchingKb = watchKnowledgeBase(kb, config.KB_DIR, { log: kbLog });
  const inThread = createLocalAssistant({ kb });
  const pooled =
    config.ASSISTANT_THREADS > 0
      ? createPooledAssistant({
          threads: config.ASSISTANT_THREADS,
          nice: config.ASSISTANT_NICE,
          thread: { kbDir: config.KB_DIR, cachePath: kbIndexPath(config), logLevel: config.LOG_LEVEL },
          fallback: inThread,
          log: log.child({ component: 'assistant' }),
        })
      : undefined;
  const local = pooled ?? inThread;
  const assistant = config.OPENAI_API_KEY
    ? createOpenAiAssistant({
        apiKey: config.OPENAI_API_KEY,
        baseURL: config.OPENAI_BASE_URL,
        model: config.OPENAI_MODEL,
        timeoutMs: config.OPENAI_TIMEOUT_MS,
        kb,
        fallback: local,
        log: log.child({ component: 'llm' }),
      })
    : local;
  log.info(
    {
      engine: config.OPENAI_API_KEY ? 'openai-compatible' : 'local',
      model: config.OPENAI_API_KEY ? config.OPENAI_MODEL : undefined,
    },
    'assistant ready',
  );
  return {
    assistant,
    async stop() {
      stopWatchingKb();
      await pooled?.close();
    },
  };
}

/** Where the knowledge base is saved between starts (KB_INDEX_PATH), or undefined for nowhere. */
export function kbIndexPath(config: Pick<Config, 'KB_INDEX_PATH' | 'DATABASE_PATH'>): string | undefined {
  if (config.KB_INDEX_PATH?.toLowerCase() === 'off') return undefined;
  if (config.KB_INDEX_PATH) return config.KB_INDEX_PATH;
  if (config.DATABASE_PATH === ':memory:') return undefined;
  return path.join(path.dirname(config.DATABASE_PATH), 'kb-index.json');
}

/** Background work (assistant turns, copilot, takeovers) tracked so tests and shutdown can wait for it. */
export function createBackgroundWork() {
  const inFlight = new Set<Promise<unknown>>();
  return {
    track<T>(work: Promise<T>): Promise<T> {
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work)).catch(() => undefined);
      return work;
    },
    async settle(): Promise<void> {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
