import { describe, expect, it, vi } from 'vitest';
import { LLM_FAILED } from '../../src/ai/openai-assistant.js';
import {
  answer,
  API_KEY,
  local,
  REFUND_QUESTION,
  setup,
  stub,
  useOpenAiStub,
} from './openai-assistant-helpers.js';

// When the server errors, rate-limits, hangs or answers nonsense, the customer still gets the
// local engine's answer, and the warning logged says why without leaking the key or their text.

useOpenAiStub();

describe('OpenAI-compatible assistant against a local OpenAI-shaped server', () => {
  it('falls back to the local engine on a 500 (after the SDK retry)', async () => {
    const { assistant, warnings } = setup();
    stub.setDefault({ status: 500 });
    const input = { history: [], message: REFUND_QUESTION };

    const result = await assistant.analyze(input);

    expect(result).toEqual(await local.analyze(input));
    expect(stub.requests).toHaveLength(2);
    expect(warnings()).toEqual([
      {
        level: 'warn',
        msg: LLM_FAILED,
        obj: expect.objectContaining({ reason: 'http_error', status: 500, op: 'analyze' }),
      },
    ]);
  });

  it('retries a 429 that asks for a short wait and then uses the answer', async () => {
    const { assistant, warnings } = setup();
    stub.enqueue({ status: 429, headers: { 'retry-after-ms': '20' } }, { json: answer() });

    const result = await assistant.analyze({ history: [], message: REFUND_QUESTION });

    expect(stub.requests).toHaveLength(2);
    expect(result.reply).toContain('Refunds arrive within 5 to 10 business days.');
    expect(warnings()).toEqual([]);
  });

  it('falls back at once on a 429 that asks for a wait beyond the deadline', async () => {
    const { assistant, warnings } = setup({ timeoutMs: 2_000 });
    stub.enqueue({ status: 429, headers: { 'retry-after': '120' } }, { json: answer() });
    const input = { history: [], message: REFUND_QUESTION };

    const result = await assistant.analyze(input);

    expect(result).toEqual(await local.analyze(input));
    expect(stub.requests).toHaveLength(1);
    expect(warnings()[0]!.obj).toMatchObject({ reason: 'rate_limited', status: 429 });
  });

  it('gives up on a slow server at the deadline and answers locally', async () => {
    const timeoutMs = 400;
    const { assistant, warnings } = setup({ timeoutMs });
    stub.setDefault({ hangMs: 10_000, then: { json: answer() } });
    const input = { history: [], message: REFUND_QUESTION };

    const started = Date.now();
    const result = await assistant.analyze(input);
    const elapsed = Date.now() - started;

    expect(result).toEqual(await local.analyze(input));
    expect(elapsed).toBeLessThan(timeoutMs * 3 + 1_000);
    expect(warnings()[0]!.obj).toMatchObject({ reason: 'timeout' });
    await vi.waitFor(() => {
      expect(stub.requests.length).toBeGreaterThanOrEqual(1);
      expect(stub.requests.every((request) => request.aborted)).toBe(true);
    });
  });

  it.each([
    ['invalid JSON', { content: 'Sure! Here is your answer: {reply: nope' }, 'invalid_json'],
    [
      'a schema mismatch',
      { json: { reply: 'Hi', confidence: 'high', intents: 'refund' } },
      'schema_mismatch',
    ],
    ['an out-of-range value', { json: answer({ sentiment: 7 }) }, 'schema_mismatch'],
    ['an empty answer', { content: '' }, 'empty'],
    ['a truncated answer', { content: '{"reply": "Refunds ar', finishReason: 'length' }, 'truncated'],
  ] as const)('falls back to the local engine on %s', async (_name, action, reason) => {
    const { assistant, warnings } = setup();
    stub.enqueue(action);
    const input = { history: [], message: REFUND_QUESTION };

    const result = await assistant.analyze(input);

    expect(result).toEqual(await local.analyze(input));
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.obj).toMatchObject({ reason });
  });

  it('retries once with json_object when the server rejects json_schema, and remembers', async () => {
    const { assistant, warnings } = setup();
    stub.enqueue(
      { status: 400, body: { error: { message: 'response_format json_schema is not supported' } } },
      { json: answer() },
      { json: answer() },
    );

    const first = await assistant.analyze({ history: [], message: REFUND_QUESTION });
    const second = await assistant.analyze({ history: [], message: REFUND_QUESTION });

    expect(first.reply).toContain('Refunds arrive');
    expect(second.reply).toContain('Refunds arrive');
    expect(stub.requests.map((request) => request.body.response_format?.type)).toEqual([
      'json_schema',
      'json_object',
      'json_object',
    ]);
    expect(warnings()).toEqual([]);
  });

  it('never logs the API key or the customer text, whatever the server says', async () => {
    const { assistant, logs } = setup({ maxRetries: 0, timeoutMs: 500 });
    const secretText = 'my passport number is ZX-99172-Q, please refund';
    const echo = { error: { message: `Incorrect API key provided: ${API_KEY} for input "${secretText}"` } };
    stub.enqueue(
      { status: 401, body: echo },
      { status: 400, body: echo },
      { status: 400, body: echo },
      { status: 500, body: echo },
      { content: `not json ${secretText} ${API_KEY}` },
      { json: { ...answer(), reply: 42, extra: secretText } },
      { hangMs: 5_000 },
      { json: { issue: `<${secretText}>` } },
      { json: answer({ reply: `Sure ${secretText}` }) },
    );

    for (let i = 0; i < 6; i += 1) await assistant.analyze({ history: [], message: secretText });
    await assistant.summarize({ history: [{ author: 'customer', text: secretText }] });
    await assistant.analyze({ history: [], message: secretText });

    expect(logs.filter((entry) => entry.level === 'warn').length).toBeGreaterThanOrEqual(7);
    const logged = JSON.stringify(logs);
    expect(logged).not.toContain(API_KEY);
    expect(logged).not.toContain('ZX-99172');
    expect(logged).not.toContain('passport');
  });
});
