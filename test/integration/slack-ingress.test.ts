import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness, waitForCard } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

const eventBody = JSON.stringify({
  token: 'x',
  team_id: 'T0BATON01',
  api_app_id: 'A0BATON01',
  type: 'event_callback',
  event_id: 'EvFORGED1',
  event_time: 1,
  event: {
    type: 'message',
    user: 'U0AGENTDANA',
    text: 'forged',
    ts: '1.000001',
    thread_ts: '1.000000',
    channel: 'C0HANDOFFS',
  },
});

async function post(headers: Record<string, string>, body = eventBody) {
  return fetch(`${h.baton.url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

describe('Slack request verification', () => {
  it('accepts a correctly signed request', async () => {
    const { signature, timestamp } = h.sandbox.sign(eventBody);
    const res = await post({ 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp });
    expect(res.status).toBe(200);
  });

  it('answers 200 to app_rate_limited and to the URL challenge', async () => {
    const limited = JSON.stringify({
      token: 'x',
      type: 'app_rate_limited',
      team_id: 'T0BATON01',
      minute_rate_limited: 1,
    });
    const a = h.sandbox.sign(limited);
    expect(
      (await post({ 'x-slack-signature': a.signature, 'x-slack-request-timestamp': a.timestamp }, limited))
        .status,
    ).toBe(200);
    const challenge = JSON.stringify({ token: 'x', type: 'url_verification', challenge: 'abc123' });
    const c = h.sandbox.sign(challenge);
    const res = await post(
      { 'x-slack-signature': c.signature, 'x-slack-request-timestamp': c.timestamp },
      challenge,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'abc123' });
  });

  it('rejects a wrong signature', async () => {
    const { timestamp } = h.sandbox.sign(eventBody);
    const res = await post({
      'x-slack-signature': `v0=${'0'.repeat(64)}`,
      'x-slack-request-timestamp': timestamp,
    });
    expect(res.status).toBe(401);
  });

  it('rejects a body altered after signing', async () => {
    const { signature, timestamp } = h.sandbox.sign(eventBody);
    const res = await post(
      { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      eventBody.replace('forged', 'forgeD'),
    );
    expect(res.status).toBe(401);
  });

  it('rejects stale, future, non-numeric and missing timestamps', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const ts of [now - 6 * 60, now + 10 * 60]) {
      const { signature, timestamp } = h.sandbox.sign(eventBody, ts);
      const res = await post({ 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp });
      expect(res.status).toBe(401);
    }
    const { signature } = h.sandbox.sign(eventBody);
    expect((await post({ 'x-slack-signature': signature, 'x-slack-request-timestamp': 'soon' })).status).toBe(
      401,
    );
    expect((await post({ 'x-slack-signature': signature })).status).toBe(401);
  });
});

describe('Slack rate limits', () => {
  it('waits out a 429 and still posts, in order', async () => {
    const s = await h.chat.start();
    h.sandbox.forceRateLimit('chat.postMessage', 1, 1);
    await h.chat.send(s, 'I want to speak to a human');
    await h.chat.waitFor(s, (r) => r.status === 'waiting');
    for (const text of ['one', 'two', 'three']) await h.chat.send(s, `line ${text}`);
    const card = await waitForCard(h.sandbox);
    const limited = h.sandbox.calls().filter((c) => c.method === 'chat.postMessage' && c.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    // Lines queued behind the wait may go out as one post; either way they read in order, once each.
    const thread = await h.sandbox.waitFor(() => {
      const replies = h.sandbox.readThread(h.sandbox.handoffChannelId, card.ts).slice(1);
      return replies.some((m) => m.text.includes('line three')) && replies;
    });
    const order = thread.flatMap((m) => [...m.text.matchAll(/line (one|two|three)/g)].map((x) => x[1]));
    expect(order).toEqual(['one', 'two', 'three']);
  });
});
