import { describe, expect, it } from 'vitest';
import {
  ApiError,
  backoffDelay,
  createApiClient,
  createLiveConnection,
  parseRetryAfter,
} from './chat-client.js';

function sseResponse(chunks: string[], { close = true } = {}) {
  const enc = new TextEncoder();
  const body = new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(enc.encode(c));
      if (close) controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

describe('backoffDelay', () => {
  it('grows exponentially with jitter and is capped', () => {
    expect(backoffDelay(1, { random: () => 0 })).toBe(500);
    expect(backoffDelay(1, { random: () => 1 })).toBe(1000);
    expect(backoffDelay(3, { random: () => 0 })).toBe(2000);
    expect(backoffDelay(50, { random: () => 1 })).toBe(30000);
    expect(backoffDelay(50, { random: () => 0 })).toBe(15000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('12')).toBe(12);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30);
  });
});

describe('createApiClient', () => {
  it('sends the bearer token and JSON body, and maps error bodies to ApiError', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const api = createApiClient({
      fetch: async (url: string, init: RequestInit) => {
        calls.push({ url, init });
        return json(429, { error: { code: 'rate_limited', message: 'Slow down' } }, { 'Retry-After': '9' });
      },
    });
    const err = await api.sendMessage('c 1', 'tok', 'hi', 'cid').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 429, code: 'rate_limited', message: 'Slow down', retryAfter: 9 });
    expect(calls[0]!.url).toBe('/api/v1/conversations/c%201/messages');
    expect((calls[0]!.init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual({ text: 'hi', clientMessageId: 'cid' });
  });

  it('turns fetch failures and cut-off bodies into network errors', async () => {
    const offline = createApiClient({
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(offline.getMessages('c', 't', 0)).rejects.toMatchObject({ status: 0, network: true });
    const cut = createApiClient({ fetch: async () => new Response('{"message":', { status: 201 }) });
    await expect(cut.sendMessage('c', 't', 'x', 'y')).rejects.toMatchObject({ status: 0 });
  });

  it('readStream parses events across chunks and resolves when the stream ends', async () => {
    const api = createApiClient({
      fetch: async () =>
        sseResponse([
          'id: 1\nevent: mess',
          'age\ndata: {"id":"a","seq":1}\n',
          '\n: ping\n\nevent: status\ndata: {}\n\n',
        ]),
    });
    const seen: string[] = [];
    let opened = false;
    await api.readStream('c', 't', 0, {
      onEvent: (e: { event: string }) => seen.push(e.event),
      onOpen: () => (opened = true),
    });
    expect(opened).toBe(true);
    expect(seen).toEqual(['message', 'status']);
  });
});

describe('createLiveConnection', () => {
  it('reconnects with after=<highest seq>, catching up first, and de-duplicates via the caller', async () => {
    const urls: string[] = [];
    let streams = 0;
    const api = createApiClient({
      fetch: async (url: string) => {
        urls.push(url);
        if (url.includes('/stream')) {
          streams++;
          if (streams === 1)
            return sseResponse(['id: 1\nevent: message\ndata: {"id":"a","seq":1,"author":"bot"}\n\n']);
          if (streams === 2) return json(503, { error: { code: 'down', message: 'down' } });
          return sseResponse(['id: 3\nevent: message\ndata: {"id":"c","seq":3,"author":"bot"}\n\n'], {
            close: false,
          });
        }
        return json(200, {
          conversation: { id: 'c', status: 'bot' },
          messages: [{ id: 'b', seq: 2, author: 'bot' }],
        });
      },
    });
    let maxSeq = 0;
    const got: number[] = [];
    const onMessage = (m: { seq: number }) => {
      if (m.seq > maxSeq) {
        got.push(m.seq);
        maxSeq = m.seq;
      }
    };
    const live = createLiveConnection({
      api,
      conversationId: 'c',
      token: 't',
      getAfter: () => maxSeq,
      onMessage,
      onStatus: () => {},
      onSnapshot: (r: { messages: { seq: number }[] }) => r.messages.forEach(onMessage),
      random: () => 0,
    });
    await expect.poll(() => got, { timeout: 5000 }).toEqual([1, 2, 3]);
    live.stop();
    await live.done;
    expect(urls[0]).toContain('/stream?after=0');
    expect(urls[1]).toContain('/messages?after=1');
    expect(urls[2]).toContain('/stream?after=2');
    expect(urls.at(-1)).toContain('/stream?after=2');
  });

  it('stops for good on 401 and reports it', async () => {
    const api = createApiClient({
      fetch: async () => json(401, { error: { code: 'unauthorized', message: 'no' } }),
    });
    let fatal: unknown;
    const live = createLiveConnection({
      api,
      conversationId: 'c',
      token: 't',
      getAfter: () => 0,
      onMessage: () => {},
      onStatus: () => {},
      onSnapshot: () => {},
      onFatal: (e: unknown) => {
        fatal = e;
      },
    });
    await live.done;
    expect(fatal).toMatchObject({ status: 401 });
    expect(live.stopped).toBe(true);
  });
});
