import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

/**
 * Customer messages are served before Express (src/webchat/message-route.ts); Express keeps a copy of
 * the route for what the fast route leaves to it, a request target in absolute form. Both must answer
 * alike and take from the same allowances.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string | undefined>;
  /** Only Express's limiters send RateLimit headers: which route answered a request that got that far. */
  rateLimitHeader: string | undefined;
}

/** POSTs raw bytes; `absolute` sends the request target as `http://host/path` (Express serves it). */
function post(
  base: string,
  path: string,
  body: string,
  headers: Record<string, string>,
  absolute: boolean,
): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: absolute ? `${base}${path}` : path,
        headers: { 'content-length': String(Buffer.byteLength(body)), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text ? JSON.parse(text) : undefined,
            headers: Object.fromEntries(
              ['access-control-allow-origin', 'x-content-type-options', 'retry-after'].map((name) => {
                const value = res.headers[name];
                return [name, Array.isArray(value) ? value.join(', ') : value];
              }),
            ),
            rateLimitHeader: Array.isArray(res.headers.ratelimit)
              ? res.headers.ratelimit.join(', ')
              : res.headers.ratelimit,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the customer message route', () => {
  it('answers alike whether served before Express or by Express', async () => {
    h = await startHarness({ ALLOWED_ORIGINS: 'https://shop.example' });
    const s = await h.chat.start();
    const json = { 'content-type': 'application/json', origin: 'https://shop.example' };
    const auth = { ...json, authorization: `Bearer ${s.token}` };
    const path = `/api/v1/conversations/${s.id}/messages`;
    const cases: [string, string, Record<string, string>, string][] = [
      ['bad JSON', path, auth, '{"text":'],
      ['not JSON', path, { ...auth, 'content-type': 'text/plain' }, 'hello'],
      ['empty text', path, auth, JSON.stringify({ text: '' })],
      ['too long', path, auth, JSON.stringify({ text: 'x'.repeat(5000) })],
      ['too large a body', path, auth, JSON.stringify({ text: 'x'.repeat(20_000) })],
      ['wrong token', path, { ...json, authorization: 'Bearer nope' }, JSON.stringify({ text: 'hi' })],
      ['malformed id', '/api/v1/conversations/nope/messages', auth, JSON.stringify({ text: 'hi' })],
      ['unknown field', path, auth, JSON.stringify({ text: 'hi', admin: true })],
    ];
    const withoutRoute = ({ rateLimitHeader: _, ...answer }: Answer) => answer;
    for (const [name, p, headers, body] of cases) {
      const fast = await post(h.baton.url, p, body, headers, false);
      const viaExpress = await post(h.baton.url, p, body, headers, true);
      expect({ name, ...withoutRoute(fast) }).toEqual({ name, ...withoutRoute(viaExpress) });
      expect(fast.status, name).toBeGreaterThanOrEqual(400);
    }
    // A message stored each way, the same answer (the first is seq 1: the refusals above stored nothing).
    const first = await post(h.baton.url, path, JSON.stringify({ text: 'Where is my parcel?' }), auth, false);
    const second = await post(h.baton.url, path, JSON.stringify({ text: 'It is late.' }), auth, true);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(first.headers).toEqual(second.headers);
    // Each was answered by the route it was meant for: the fast one sends no RateLimit header.
    expect([first.rateLimitHeader, typeof second.rateLimitHeader]).toEqual([undefined, 'string']);
    expect(first.body).toMatchObject({
      message: { seq: 1, author: 'customer', text: 'Where is my parcel?' },
    });
    expect(second.body).toMatchObject({ message: { author: 'customer', text: 'It is late.' } });
  });

  it('takes from the same per-conversation allowance as the Express routes', async () => {
    h = await startHarness({}, { messagesPerMinute: 3 });
    const s = await h.chat.start();
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${s.token}` };
    const path = `/api/v1/conversations/${s.id}/messages`;
    const send = (absolute: boolean, text: string) =>
      post(h!.baton.url, path, JSON.stringify({ text }), auth, absolute);
    expect((await send(false, 'one')).status).toBe(201);
    expect((await send(true, 'two')).status).toBe(201);
    // An email through Express counts too: the fourth write of the minute is refused either way.
    const email = await post(
      h.baton.url,
      `/api/v1/conversations/${s.id}/email`,
      JSON.stringify({ email: 'sam@example.com' }),
      auth,
      false,
    );
    expect(email.status).toBe(200);
    const refused = await send(false, 'four');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.body).toEqual({
      error: { code: 'rate_limited', message: 'Too many requests, please slow down' },
    });
    expect(await send(true, 'five')).toMatchObject({ status: 429, body: refused.body });
  });
});
