import { workerData } from 'node:worker_threads';
import pino from 'pino';
import { z } from 'zod';
import type { ConversationSummary, MessageAnalysis, TranscriptLine } from '../conversation/assistant.js';
import { REDACT_PATHS } from './logger.js';
import { createKnowledgeBase } from '../ai/create-knowledge-base.js';
import { createLocalAssistant } from '../ai/local-assistant.js';
import { watchKnowledgeBase } from '../ai/watch-knowledge-base.js';

/**
 * The local assistant in a worker thread (see pooled-assistant.ts). This module is the thread's own
 * composition root: it loads the knowledge base (from the copy the main thread saved at start), watches
 * the folder as the main thread does so edits reach both, and answers `analyze` and `summarize` tasks.
 */
export const assistantThreadData = z.object({
  kbDir: z.string(),
  cachePath: z.string().optional(),
  logLevel: z.string(),
});
export type AssistantThreadData = z.infer<typeof assistantThreadData>;

const options = assistantThreadData.parse(workerData);
// JSON lines to the process's stdout like the main logger, with the same redaction (customer text).
const log = pino({ level: options.logLevel, redact: REDACT_PATHS }).child({
  component: 'kb',
  thread: 'assistant',
});
const kb = await createKnowledgeBase(options.kbDir, log, { cachePath: options.cachePath });
// Piscina ends the thread when the pool closes; the watcher is not persistent, so it never keeps it alive.
watchKnowledgeBase(kb, options.kbDir, { log });
const local = createLocalAssistant({ kb });

// The first answers after a start took 40–130 ms instead of a few (bench/post-to-stream.ts): code is
// compiled on first use and the engine's caches fill with the first searches. A few throwaway
// questions before the thread takes work pay that instead of the first customers after a deploy.
const WARM_UP = [
  'Where is my order?',
  'How long does standard shipping take?',
  'I want to return this and get a refund',
  'Can I talk to a person please?',
];
try {
  for (let round = 0; round < 5; round += 1)
    for (const message of WARM_UP) await local.analyze({ history: [], message });
  await local.summarize({ history: WARM_UP.map((text) => ({ author: 'customer' as const, text })) });
} catch (err) {
  // Only a head start: a failure here must not keep the thread from taking work.
  log.warn({ err }, 'assistant thread warm-up failed; answering without it');
}

export function analyze(input: { history: TranscriptLine[]; message: string }): Promise<MessageAnalysis> {
  return local.analyze(input);
}

export function summarize(input: { history: TranscriptLine[] }): Promise<ConversationSummary> {
  return local.summarize(input);
}
