import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import type { z } from 'zod';

/**
 * One structured-output chat completion against any OpenAI-compatible server, under a hard deadline.
 * Every failure becomes an `LlmFailure` whose `details` are safe to log: reason, HTTP status, request
 * id, failing schema paths. Never error messages (servers echo prompts and keys into those).
 */

export type FailureReason =
  | 'timeout'
  | 'rate_limited'
  | 'http_error'
  | 'network'
  | 'empty'
  | 'refused'
  | 'truncated'
  | 'invalid_json'
  | 'schema_mismatch'
  | 'unsafe_output'
  | 'unexpected';

export class LlmFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    readonly details: Record<string, unknown> = {},
  ) {
    super(`LLM call failed: ${reason}`);
    this.name = 'LlmFailure';
  }
}

export interface JsonCompleterOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  /** Deadline for a whole call, retries included. */
  timeoutMs: number;
  maxRetries?: number;
}

export interface JsonCompletion<T> {
  value: T;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

export interface JsonCompleter {
  complete<T>(request: {
    messages: ChatCompletionMessageParam[];
    format: ResponseFormatJSONSchema;
    schema: z.ZodType<T>;
  }): Promise<JsonCompletion<T>>;
}

export function createJsonCompleter(options: JsonCompleterOptions): JsonCompleter {
  const { model, timeoutMs } = options;
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    timeout: timeoutMs,
    maxRetries: options.maxRetries ?? 1,
    fetch: noRetryBeyond(timeoutMs),
  });
  // Servers that reject json_schema (older vLLM, some proxies) get json_object after one successful try.
  let jsonSchema = true;

  const run = async <T>(
    request: Parameters<JsonCompleter['complete']>[0] & { schema: z.ZodType<T> },
    signal: AbortSignal,
  ): Promise<JsonCompletion<T>> => {
    const send = (responseFormat: ResponseFormatJSONSchema | { type: 'json_object' }) =>
      client.chat.completions.create(
        { model, messages: request.messages, response_format: responseFormat },
        { signal },
      );
    let completion;
    if (!jsonSchema) completion = await send({ type: 'json_object' });
    else {
      try {
        completion = await send(request.format);
      } catch (err) {
        if (!(err instanceof OpenAI.BadRequestError)) throw err;
        completion = await send({ type: 'json_object' });
        jsonSchema = false;
      }
    }
    const choice = completion.choices?.[0];
    if (choice?.message?.refusal) throw new LlmFailure('refused');
    if (choice?.finish_reason === 'length') throw new LlmFailure('truncated');
    const content = choice?.message?.content;
    if (typeof content !== 'string' || content.trim() === '') throw new LlmFailure('empty');
    let json: unknown;
    try {
      json = JSON.parse(content.replace(/^\s*```(?:json)?\s*|\s*```\s*$/g, ''));
    } catch {
      throw new LlmFailure('invalid_json', { chars: content.length });
    }
    const parsed = request.schema.safeParse(json);
    if (!parsed.success) {
      const paths = parsed.error.issues.slice(0, 5).map((issue) => issue.path.join('.') || '(root)');
      throw new LlmFailure('schema_mismatch', { paths });
    }
    return { value: parsed.data, usage: completion.usage ?? undefined };
  };

  return {
    async complete(request) {
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      // Racing as well as aborting: the SDK's sleep between retries does not watch the signal.
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new LlmFailure('timeout', { timeoutMs }));
        }, timeoutMs);
      });
      try {
        return await Promise.race([run(request, controller.signal), deadline]);
      } catch (err) {
        throw toFailure(err);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Maps anything thrown during a call to a loggable failure. */
export function toFailure(err: unknown): LlmFailure {
  if (err instanceof LlmFailure) return err;
  if (err instanceof OpenAI.APIUserAbortError || err instanceof OpenAI.APIConnectionTimeoutError) {
    return new LlmFailure('timeout');
  }
  if (err instanceof OpenAI.APIConnectionError) return new LlmFailure('network');
  if (err instanceof OpenAI.APIError) {
    const details = { status: err.status, requestId: err.requestID ?? undefined };
    return new LlmFailure(err.status === 429 ? 'rate_limited' : 'http_error', details);
  }
  return new LlmFailure('unexpected', { errorName: err instanceof Error ? err.name : typeof err });
}

/**
 * A fetch that tells the SDK not to retry (`x-should-retry: false`) when the server asks us to wait
 * longer than the whole call may take; otherwise the SDK would sleep past the deadline for nothing.
 */
function noRetryBeyond(maxWaitMs: number) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await fetch(input, init);
    if (response.status !== 429 && response.status < 500) return response;
    const wait = retryAfterMs(response.headers);
    if (wait === undefined || wait <= maxWaitMs) return response;
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

function retryAfterMs(headers: Headers): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms)) return ms;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? date - Date.now() : undefined;
}
