import { afterAll, beforeAll, beforeEach } from 'vitest';
import { z } from 'zod';
import type { Assistant } from '../../src/conversation/assistant.js';
import { createKnowledgeBase, type KnowledgeBase } from '../../src/ai/create-knowledge-base.js';
import { createLocalAssistant } from '../../src/ai/local-assistant.js';
import { createOpenAiAssistant } from '../../src/ai/openai-assistant.js';
import { type OpenAiStub, type RecordedRequest, startOpenAiStub } from '../support/openai-stub.js';

/**
 * Shared by the openai-assistant-*.test.ts files: the OpenAI-compatible assistant against a local
 * OpenAI-shaped server, with the local engine as its fallback.
 *
 * `stub`, `kb` and `local` are live ESM bindings, set by the hooks `useOpenAiStub()` registers,
 * so test bodies can use them by name like file-level variables.
 */

export const API_KEY = 'sk-test-SECRET-7f3a9c1e0b';
export const MODEL = 'stub-model-1';
export const REFUND_QUESTION = 'how long does a refund take to reach my card?';

export let stub: OpenAiStub;
export let kb: KnowledgeBase;
export let local: Assistant;

/** One stub server per test file; its queue, default answer and recorded requests reset per test. */
export function useOpenAiStub(): void {
  beforeAll(async () => {
    stub = await startOpenAiStub();
    kb = await createKnowledgeBase('kb');
    local = createLocalAssistant({ kb });
  });
  afterAll(async () => {
    await stub.close();
  });
  beforeEach(() => {
    stub.reset();
  });
}

interface Captured {
  level: 'warn' | 'info';
  obj: object;
  msg: string;
}

export function setup(overrides: { timeoutMs?: number; maxRetries?: number } = {}) {
  const logs: Captured[] = [];
  const assistant = createOpenAiAssistant({
    apiKey: API_KEY,
    baseURL: stub.baseURL,
    model: MODEL,
    timeoutMs: overrides.timeoutMs ?? 3_000,
    maxRetries: overrides.maxRetries,
    kb,
    fallback: local,
    log: {
      warn: (obj, msg) => logs.push({ level: 'warn', obj, msg }),
      info: (obj, msg) => logs.push({ level: 'info', obj, msg }),
    },
  });
  return { assistant, logs, warnings: () => logs.filter((entry) => entry.level === 'warn') };
}

/** The JSON document the assistant sends as the user (data) message. */
const dataMessage = z.object({
  articles: z.array(z.object({ id: z.string(), title: z.string(), text: z.string() })).optional(),
  conversation: z.array(z.object({ from: z.string(), text: z.string() })),
  message: z.string().optional(),
});

/** The JSON document of the user (data) message. */
export function dataOf(request: RecordedRequest): z.infer<typeof dataMessage> {
  const user = request.body.messages.find((message) => message.role === 'user');
  return dataMessage.parse(JSON.parse(String(user?.content)));
}

export function answer(overrides: Record<string, unknown> = {}) {
  return {
    reply: 'Refunds arrive within 5 to 10 business days.',
    confidence: 0.9,
    articleIds: [],
    intents: [],
    sentiment: 0,
    ...overrides,
  };
}
