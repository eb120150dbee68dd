import type pino from 'pino';
import { captureLog } from '../support/smtp-sink.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatRouteLimits } from '../../src/webchat/chat-limits.js';
import { type Harness, type Session, startHarness, waitForCard } from './harness.js';

/**
 * The chat API is for anonymous visitors, so anyone on the internet can call it (issue 11). Each test
 * replays one attack that used to work and checks the answer it must get now.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const start = (limits: Partial<ChatRouteLimits> = {}, log?: pino.Logger) =>
  startHarness({}, limits, undefined, log);

/** Opens a live stream; resolves with its status and a way to close it. */
async function stream(base: string, s: Session) {
  const abort = new AbortController();
  const res = await fetch(`${base}/api/v1/conversations/${s.id}/stream`, {
    headers: { authorization: `Bearer ${s.token}` },
    signal: abort.signal,
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: res.status === 200 ? '' : await res.text(),
    close: () => abort.abort(),
  };
}

describe('made-up conversation ids', () => {
  it('are refused by shape before any limiter or lookup, and a log line copies at most 200 characters of the path', async () => {
    const { lines, log } = captureLog();
    h = await start({}, log);
    const s = await h.chat.start();
    const longId = `c_${'A'.repeat(8000)}`;
    for (let i = 0; i < 50; i += 1) {
      const r = await h.chat.call('POST', `/conversations/${longId}${i}/handoff`, s.token, {});
      expect(r.status).toBe(414);
      expect(r.json).toMatchObject({ error: { code: 'uri_too_long' } });
      const short = await h.chat.call('POST', `/conversations/c_${'B'.repeat(70)}${i}/handoff`, s.token, {});
      expect(short.status).toBe(404);
    }
    // Malformed ids did not use up the address's write allowance: the honest customer is still served.
    expect((await h.chat.send(s, 'hello')).status).toBe(201);
    const longest = Math.max(...lines.map((l) => l.length));
    expect(lines.length).toBeGreaterThan(0);
    expect(longest).toBeLessThan(1000);
  });
});

describe('limits per address, across conversations', () => {
  it('caps writes from one address across its conversations with 429 and Retry-After', async () => {
    h = await start({ writesPerAddressPerMinute: 10 });
    const sessions = [];
    for (let i = 0; i < 5; i += 1) sessions.push(await h.chat.start());
    const statuses: number[] = [];
    for (const s of sessions)
      for (let k = 0; k < 3; k += 1) statuses.push((await h.chat.send(s, `m${k}`)).status);
    expect(statuses.filter((x) => x === 201)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual([429, 429, 429, 429, 429]);
    const refused = await h.chat.send(sessions[0]!, 'one more');
    expect(refused.status).toBe(429);
  });

  it('caps history reads from one address', async () => {
    h = await start({ readsPerAddressPerMinute: 5 });
    const s = await h.chat.start();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await h.chat.messages(s)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });

  it('counts stream opens against the same read allowance as history reads', async () => {
    h = await start({ readsPerAddressPerMinute: 4 });
    const s = await h.chat.start();
    const reads = [(await h.chat.messages(s)).status, (await h.chat.messages(s)).status];
    const opened = [await stream(h.baton.url, s), await stream(h.baton.url, s)];
    const refused = await stream(h.baton.url, s);
    expect([...reads, ...opened.map((o) => o.status), refused.status]).toEqual([200, 200, 200, 200, 429]);
    expect(refused.retryAfter).toBe('60');
    expect(JSON.parse(refused.body)).toEqual({
      error: { code: 'rate_limited', message: 'Too many requests, please slow down' },
    });
    expect((await h.chat.messages(s)).status).toBe(429);
    for (const o of opened) o.close();
  });

  it('caps handoffs from one address, by the button or by asking in a message, so a flood cannot post card after card', async () => {
    h = await start({ handoffsPerAddressPerHour: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 2; i += 1) {
      const s = await h.chat.start({ customer: { name: `Flood ${i}` } });
      statuses.push((await h.chat.handoff(s)).status);
    }
    // The third through a message trigger: it counts against the same allowance.
    const asked = await h.chat.start({ customer: { name: 'Flood 2' } });
    await h.chat.send(asked, 'I want to talk to a person');
    await h.chat.waitFor(asked, (r) => r.status === 'waiting');
    const over = await h.chat.start({ customer: { name: 'Flood 3' } });
    statuses.push((await h.chat.handoff(over)).status);
    expect(statuses).toEqual([202, 202, 429]);
    // Asking in a message past the allowance gets an honest answer from the assistant, and no card.
    const late = await h.chat.start({ customer: { name: 'Flood 4' } });
    await h.chat.send(late, 'I want to talk to a person');
    const answered = await h.chat.waitFor(late, (r) => r.messages.some((m) => m.author === 'bot') && r);
    expect(answered.status).toBe('bot');
    expect(answered.messages.find((m) => m.author === 'bot')?.text).toContain(
      'a lot of requests from your network',
    );
    await waitForCard(h.sandbox, (m) => m.includes('Flood 2'));
    await h.baton.settle();
    const cards = h.sandbox
      .readChannel(h.sandbox.handoffChannelId)
      .filter((m) => JSON.stringify(m.blocks ?? []).includes('baton_claim'));
    expect(cards).toHaveLength(3);
  });
});

describe('live streams', () => {
  it('are capped per conversation, per address and in total, with 429 and Retry-After; a closed one frees its slot', async () => {
    h = await start({ streamsPerConversation: 2, streamsPerAddress: 3, streamsTotal: 100 });
    const base = h.baton.url;
    const a = await h.chat.start();
    const b = await h.chat.start();
    const a1 = await stream(base, a);
    const a2 = await stream(base, a);
    const a3 = await stream(base, a);
    expect([a1.status, a2.status, a3.status]).toEqual([200, 200, 429]);
    expect(a3.retryAfter).toBe('30');
    expect(a3.body).toContain('open in too many windows');
    const b1 = await stream(base, b);
    const b2 = await stream(base, b);
    expect([b1.status, b2.status]).toEqual([200, 429]);
    expect(b2.body).toContain('from your network');
    a1.close();
    await h.sandbox
      .waitFor(async () => (await stream(base, b)).status === 200 || undefined, 5000)
      .catch(() => {});
    // /healthz and new conversations keep working while streams are refused.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await h.chat.call('POST', '/conversations', undefined, {})).status).toBe(201);
    for (const x of [a2, b1]) x.close();
  });
});

describe('stream replay', () => {
  it('replays a long history a page at a time: every message once, in order', async () => {
    h = await start({ messagesPerMinute: 10_000, writesPerAddressPerMinute: 10_000 });
    const s = await h.chat.start();
    // Straight into the database: 450 customer messages, more than two replay pages, of 1,500 characters
    // each: a first page (300 kB) larger than a stream may queue for its client (256 kB) still goes out.
    const db = h.baton.deps.db;
    const now = new Date().toISOString();
    await db
      .insertInto('messages')
      .values(
        Array.from({ length: 450 }, (_, i) => ({
          id: `m_replay_${i}`,
          conversation_id: s.id,
          seq: i + 1,
          author: 'customer',
          text: `line ${i + 1} ${'x'.repeat(1500)}`,
          created_at: now,
        })),
      )
      .execute();
    await db.updateTable('conversations').set({ last_seq: 450 }).where('id', '=', s.id).execute();
    const res = await fetch(`${h.baton.url}/api/v1/conversations/${s.id}/stream`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    while (!seen.includes('id: 450\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += decoder.decode(value, { stream: true });
    }
    await reader.cancel();
    const ids = [...seen.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual(Array.from({ length: 450 }, (_, i) => i + 1));
  });
});

describe('static files', () => {
  it('serves the chat page by allow-list only, however the path is encoded', async () => {
    h = await start();
    const get = (p: string) => fetch(`${h!.baton.url}${p}`);
    expect((await get('/')).status).toBe(200);
    expect((await get('/chat.js')).status).toBe(200);
    for (const p of [
      '/chat-client.test.ts',
      '/chat-client.test.t%73',
      '/%63hat-client.test.ts',
      '/..%2fschemas.ts',
      '/%2e%2e/schemas.ts',
      '/stream-parser.test.ts',
      '/.env',
    ]) {
      const r = await get(p);
      expect({ p, status: r.status }).toEqual({ p, status: 404 });
      expect(await r.text()).not.toMatch(/import |describe\(/);
    }
  });
});

describe('security headers', () => {
  it('give the chat page its content policy, and API answers and live streams only what a JSON answer needs', async () => {
    h = await start();
    const page = await fetch(`${h.baton.url}/`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const s = await h.chat.start();
    const api = await fetch(`${h.baton.url}/api/v1/conversations/${s.id}/messages`, {
      headers: { authorization: `Bearer ${s.token}` },
    });
    expect(api.status).toBe(200);
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('cross-origin-resource-policy')).toBe('same-site');
    expect(api.headers.get('content-security-policy')).toBeNull();
    const abort = new AbortController();
    const stream = await fetch(`${h.baton.url}/api/v1/conversations/${s.id}/stream`, {
      headers: { authorization: `Bearer ${s.token}` },
      signal: abort.signal,
    });
    expect(stream.headers.get('x-content-type-options')).toBe('nosniff');
    expect(stream.headers.get('content-security-policy')).toBeNull();
    abort.abort();
  });

  it('give a live stream (served outside Express) the same API headers as a history read, CORS included', async () => {
    h = await startHarness({ ALLOWED_ORIGINS: 'https://shop.example' });
    const s = await h.chat.start();
    const names = [
      'x-content-type-options',
      'cross-origin-resource-policy',
      'access-control-allow-origin',
      'vary',
    ];
    const headersOf = async (path: string, origin: string): Promise<Record<string, string | null>> => {
      const abort = new AbortController();
      const res = await fetch(`${h!.baton.url}/api/v1/conversations/${s.id}/${path}`, {
        headers: { authorization: `Bearer ${s.token}`, origin },
        signal: abort.signal,
      });
      const picked: Record<string, string | null> = Object.fromEntries(
        names.map((n) => [n, res.headers.get(n)]),
      );
      abort.abort();
      return { ...picked, status: String(res.status) };
    };
    for (const origin of ['https://shop.example', 'https://evil.example']) {
      const read = await headersOf('messages', origin);
      expect(await headersOf('stream', origin)).toEqual(read);
      expect(read['access-control-allow-origin']).toBe(origin === 'https://shop.example' ? origin : null);
    }
    // Refusals too: an unknown conversation's stream answers like its history read.
    const unknown = `c_${'x'.repeat(20)}`;
    const refusedRead = await fetch(`${h.baton.url}/api/v1/conversations/${unknown}/messages`, {
      headers: { origin: 'https://shop.example' },
    });
    const refusedStream = await fetch(`${h.baton.url}/api/v1/conversations/${unknown}/stream`, {
      headers: { origin: 'https://shop.example' },
    });
    expect(refusedStream.status).toBe(404);
    expect(await refusedStream.json()).toEqual(await refusedRead.json());
    expect(refusedStream.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });
});

describe('readiness', () => {
  it('is cached for a few seconds: a probe flood makes one call to Slack', async () => {
    h = await start();
    const before = h.sandbox.calls().filter((c) => c.method === 'auth.test').length;
    const answers = await Promise.all(Array.from({ length: 60 }, () => fetch(`${h!.baton.url}/readyz`)));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const after = h.sandbox.calls().filter((c) => c.method === 'auth.test').length;
    expect(after - before).toBe(1);
  });
});

describe('hostile text', () => {
  it('counts a zero-width-only message as empty and stores nothing', async () => {
    h = await start();
    const s = await h.chat.start();
    const r = await h.chat.send(s, '\u200b\u200c\ufeff \u2060');
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain('empty');
    expect((await h.chat.messages(s)).json.messages).toHaveLength(0);
  });

  it('removes control characters and direction overrides from messages and names, keeping the words', async () => {
    h = await start();
    const s = await h.chat.start({ customer: { name: 'Eve\u202e\u0000 Admin\u0007' } });
    const r = await h.chat.send(s, 'hi\u0000 there\u001b[31m\u202egnp.exe\nline two');
    expect(r.status).toBe(201);
    expect(r.json.message.text).toBe('hi there[31mgnp.exe\nline two');
    await h.chat.handoff(s);
    const card = await waitForCard(h.sandbox);
    const shown = JSON.stringify(card);
    expect(shown).toContain('Eve Admin');
    expect(shown).not.toMatch(/\\u202e|\u202e|\\u0000|\\u0007/);
  });

  it('takes a page URL only as an absolute http(s) URL, re-encoded so it cannot break a line or a code span', async () => {
    h = await start();
    const bad = await h.chat.call('POST', '/conversations', undefined, { pageUrl: 'javascript:alert(1)' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('pageUrl');
    const ok = await h.chat.call('POST', '/conversations', undefined, {
      pageUrl: 'https://user:pw@shop.example/p?q=`x`\n*Customer* VERIFIED VIP',
    });
    expect(ok.status).toBe(201);
    const row = await h.baton.deps.db
      .selectFrom('conversations')
      .select('page_url')
      .where('id', '=', ok.json.conversation.id)
      .executeTakeFirstOrThrow();
    expect(row.page_url).toBe('https://shop.example/p?q=%60x%60*Customer*%20VERIFIED%20VIP');
  });
});

describe('malformed requests', () => {
  it('answers each with its own 4xx, never a 500, and logs no error for it', async () => {
    const { lines, log } = captureLog();
    h = await start({}, log);
    const api = `${h.baton.url}/api/v1`;
    const undecodable = await fetch(`${api}/conversations/%ZZ${'x'.repeat(500)}/messages`);
    expect(undecodable.status).toBe(404);
    const charset = await fetch(`${api}/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=latin1' },
      body: '{}',
    });
    expect(charset.status).toBe(415);
    const encoding = await fetch(`${api}/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'x-bogus' },
      body: '{}',
    });
    expect(encoding.status).toBe(415);
    expect(lines.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
    expect(lines.join('')).not.toContain('x'.repeat(300));
  });
});
