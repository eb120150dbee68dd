import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';

/**
 * A scriptable OpenAI-compatible server (`POST /v1/chat/completions`) on a random local port, for
 * running the real `openai` SDK in tests. Each request takes the next scripted action (or the
 * default, a 500) and is recorded, including whether the client gave up before the answer.
 */

export type StubAction =
  /** 200 with `JSON.stringify(json)` as the assistant message content. */
  | { json: unknown }
  /** 200 with this raw content (e.g. invalid JSON). */
  | { content: string; finishReason?: string }
  /** An error status with an OpenAI-style error body unless `body` is given. */
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Waits, then does `then` (default: an empty JSON object) unless the client went away. */
  | { hangMs: number; then?: StubAction };

export type StubScript = StubAction | ((request: RecordedRequest) => StubAction);

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: ChatCompletionCreateParamsNonStreaming;
  /** The client closed the connection before the answer was sent. */
  aborted: boolean;
}

export interface OpenAiStub {
  /** Pass as the SDK's `baseURL`. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Scripts the next requests, in order. */
  enqueue(...actions: StubScript[]): void;
  /** Used once the queue is empty. */
  setDefault(action: StubScript): void;
  /** Forgets requests and queued actions; the default becomes a 500 again. */
  reset(): void;
  close(): Promise<void>;
}

const SERVER_ERROR: StubAction = { status: 500, body: { error: { message: 'stub: unscripted request' } } };

export async function startOpenAiStub(): Promise<OpenAiStub> {
  const queue: StubScript[] = [];
  let fallback: StubScript = SERVER_ERROR;
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let sequence = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: ChatCompletionCreateParamsNonStreaming;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatCompletionCreateParamsNonStreaming;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'stub: body is not JSON' } }));
        return;
      }
      const record: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        aborted: false,
      };
      requests.push(record);
      res.on('close', () => {
        if (!res.writableFinished) record.aborted = true;
      });
      if (record.method !== 'POST' || record.path !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'stub: not found' } }));
        return;
      }
      const script = queue.shift() ?? fallback;
      respond(typeof script === 'function' ? script(record) : script);

      function respond(action: StubAction): void {
        if (res.destroyed) return;
        if ('hangMs' in action) {
          const timer = setTimeout(() => {
            timers.delete(timer);
            respond(action.then ?? { json: {} });
          }, action.hangMs);
          timers.add(timer);
          res.on('close', () => clearTimeout(timer));
          return;
        }
        if ('status' in action) {
          res.writeHead(action.status, { 'content-type': 'application/json', ...action.headers });
          res.end(JSON.stringify(action.body ?? { error: { message: `stub error ${action.status}` } }));
          return;
        }
        const content = 'json' in action ? JSON.stringify(action.json) : action.content;
        sequence += 1;
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_stub_${sequence}` });
        res.end(
          JSON.stringify({
            id: `chatcmpl-stub-${sequence}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: body.model,
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content, refusal: null },
                logprobs: null,
                finish_reason: 'finishReason' in action ? (action.finishReason ?? 'stop') : 'stop',
              },
            ],
            usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
          }),
        );
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...actions) => void queue.push(...actions),
    setDefault: (action) => {
      fallback = action;
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      fallback = SERVER_ERROR;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
