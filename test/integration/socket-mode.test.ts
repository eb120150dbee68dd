import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_AGENT_DANA } from '../../src/sandbox/default-workspace.js';
import { type Harness, startHarness, waitForCard } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ SLACK_APP_TOKEN: 'xapp-1-local-socket-test' });
});
afterEach(async () => {
  await h.stop();
});

describe('Socket Mode', () => {
  it('runs the claim and the thread relay over the Socket Mode connection instead of HTTP', async () => {
    const s = await h.chat.start();
    await h.chat.send(s, 'agent please');
    const card = await waitForCard(h.sandbox);
    const click = await h.sandbox.clickButton(
      SANDBOX_AGENT_DANA,
      h.sandbox.handoffChannelId,
      card.ts,
      'baton_claim',
    );
    expect(click.status).toBe(200);
    await h.chat.waitFor(s, (r) => r.status === 'claimed');
    await h.sandbox.postMessageAs(SANDBOX_AGENT_DANA, h.sandbox.handoffChannelId, 'Hello over the socket', {
      threadTs: card.ts,
    });
    await h.chat.waitFor(s, (r) =>
      r.messages.some((m) => m.author === 'agent' && m.text === 'Hello over the socket'),
    );
    expect(h.sandbox.calls().some((c) => c.method === 'apps.connections.open')).toBe(true);
    // Nothing reached the HTTP request URL: Bolt's HTTP receiver is not mounted in Socket Mode.
    const http = await fetch(`${h.baton.url}/slack/events`, { method: 'POST', body: '{}' });
    expect(http.status).toBe(404);
  });
});
