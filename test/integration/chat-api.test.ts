import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({}, { conversationsPerMinute: 5, messagesPerMinute: 8 });
});
afterEach(async () => {
  await h.stop();
});

describe('chat API', () => {
  it('creates a conversation with an unguessable id and a token', async () => {
    const res = await h.chat.call('POST', '/conversations', undefined, {});
    expect(res.status).toBe(201);
    expect(res.json.conversation.status).toBe('bot');
    expect(res.json.conversation.id).toMatch(/^c_[A-Za-z0-9_-]{22}$/);
    expect(res.json.token.length).toBeGreaterThanOrEqual(40);
  });

  it('refuses bad bodies with a clear 400', async () => {
    const extra = await h.chat.call('POST', '/conversations', undefined, {
      customer: { name: 'A' },
      admin: true,
    });
    expect(extra.status).toBe(400);
    expect(extra.json.error.code).toBe('bad_request');
    const email = await h.chat.call('POST', '/conversations', undefined, {
      customer: { email: 'not-an-email' },
    });
    expect(email.status).toBe(400);
    expect(email.json.error.message).toMatch(/email/);
    const broken = await h.chat.call('POST', '/conversations', undefined, '{"customer":');
    expect(broken.status).toBe(400);
  });

  it('stores one message per clientMessageId and answers with it again', async () => {
    const s = await h.chat.start();
    const a = await h.chat.send(s, 'hello there', 'cm-1');
    const b = await h.chat.send(s, 'hello there', 'cm-1');
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.json.message.id).toBe(a.json.message.id);
    expect(b.json.message.seq).toBe(a.json.message.seq);
    const all = await h.chat.messages(s);
    expect(all.json.messages.filter((m: { author: string }) => m.author === 'customer')).toHaveLength(1);
  });

  it('refuses a wrong or missing token, another customer and an unknown id with one same answer, storing nothing', async () => {
    const s = await h.chat.start();
    const other = await h.chat.start();
    const answers = [
      await h.chat.send({ id: s.id, token: other.token }, 'let me in'),
      await h.chat.call('POST', `/conversations/${s.id}/messages`, undefined, { text: 'hi' }),
      await h.chat.messages({ id: s.id, token: other.token }),
      // An id that does not exist answers exactly like a wrong token: nobody learns which ids exist.
      await h.chat.messages({ id: 'c_AAAAAAAAAAAAAAAAAAAAAA', token: s.token }),
      await h.chat.call('POST', '/conversations/c_AAAAAAAAAAAAAAAAAAAAAA/messages', undefined, {
        text: 'hi',
      }),
      // A malformed id too, answered before any lookup or limiter.
      await h.chat.call('POST', `/conversations/${'x'.repeat(80)}/handoff`, s.token, {}),
    ];
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404, 404, 404]);
    const bodies = new Set(answers.slice(0, 5).map((a) => JSON.stringify(a.json)));
    expect(bodies.size).toBe(1);
    const own = await h.chat.messages(s);
    expect(own.json.messages).toHaveLength(0);
  });

  it('refuses empty and oversized messages, storing nothing', async () => {
    const s = await h.chat.start();
    const empty = await h.chat.send(s, '   ');
    expect(empty.status).toBe(400);
    const long = await h.chat.send(s, 'x'.repeat(4001));
    expect(long.status).toBe(413);
    expect(long.json.error.code).toBe('payload_too_large');
    const huge = await h.chat.send(s, 'x'.repeat(40_000));
    expect(huge.status).toBe(413);
    expect((await h.chat.messages(s)).json.messages).toHaveLength(0);
  });

  it('validates the resume cursor', async () => {
    const s = await h.chat.start();
    expect((await h.chat.call('GET', `/conversations/${s.id}/messages?after=-1`, s.token)).status).toBe(400);
    expect((await h.chat.call('GET', `/conversations/${s.id}/messages?after=abc`, s.token)).status).toBe(400);
    const stream = await fetch(`${h.baton.url}/api/v1/conversations/${s.id}/stream?after=99`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    expect(stream.status).toBe(400);
  });

  it('trips the per-conversation message limit with a 429 and Retry-After', async () => {
    const s = await h.chat.start();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 10; i += 1) {
      const res = await h.chat.send(s, `message ${i}`);
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 8).every((x) => x === 201)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('trips the conversation-creation limit per client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1)
      statuses.push((await h.chat.call('POST', '/conversations', undefined, {})).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });

  it('streams stored and live messages over SSE, resumable from a seq', async () => {
    const s = await h.chat.start();
    await h.chat.send(s, 'first', 'a');
    await h.chat.send(s, 'second', 'b');
    const controller = new AbortController();
    const res = await fetch(`${h.baton.url}/api/v1/conversations/${s.id}/stream?after=1`, {
      headers: { authorization: `Bearer ${s.token}` },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    let buffer = '';
    const decoder = new TextDecoder();
    const until = async (re: RegExp) => {
      while (!re.test(buffer)) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value);
      }
    };
    await until(/"text":"second"/);
    expect(buffer).toContain('event: status');
    expect(buffer).not.toContain('"text":"first"');
    await h.chat.send(s, 'third', 'c');
    await until(/"text":"third"/);
    expect(buffer.match(/"text":"third"/g)).toHaveLength(1);
    controller.abort();
  });

  it('serves health and readiness probes', async () => {
    expect((await fetch(`${h.baton.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.baton.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true, checks: { database: true, slack: true } });
  });

  it('ignores a token in the query string: only the Authorization header counts', async () => {
    const s = await h.chat.start();
    const res = await fetch(`${h.baton.url}/api/v1/conversations/${s.id}/messages?after=0&token=${s.token}`);
    expect(res.status).toBe(404);
  });

  it('answers CORS only for allow-listed origins, never with credentials', async () => {
    const preflight = (origin: string) =>
      fetch(`${h.baton.url}/api/v1/conversations`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await startHarness({ ALLOWED_ORIGINS: 'https://shop.example' });
    try {
      const res = await fetch(`${allowed.baton.url}/api/v1/conversations`, {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
      });
      expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    } finally {
      await allowed.stop();
    }
  });

  it('keys rate limits on the real peer, so a spoofed X-Forwarded-For does not reset them', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const res = await fetch(`${h.baton.url}/api/v1/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` },
        body: '{}',
      });
      statuses.push(res.status);
    }
    expect(statuses.at(-1)).toBe(429);
  });
});
