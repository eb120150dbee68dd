import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_AGENT_DANA } from '../../src/sandbox/default-workspace.js';
import { type Harness, startHarness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

describe('App Home', () => {
  it('publishes a valid home with stats and one Take over button per live conversation', async () => {
    for (const [name, q] of [
      ['Lee', 'Which payment methods do you accept?'],
      ['Jamie', 'How long does standard shipping take?'],
    ] as const) {
      const s = await h.chat.start({ customer: { name } });
      await h.chat.send(s, q);
      await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'bot'));
    }
    await h.sandbox.openAppHome(SANDBOX_AGENT_DANA);
    const home = await h.sandbox.waitFor(() => h.sandbox.homeViewFor(SANDBOX_AGENT_DANA));
    const text = JSON.stringify(home.view);
    expect(text).toContain('Handoffs · last 7 days');
    expect(text).toContain('Live with the assistant');
    const actionIds = [...text.matchAll(/"action_id":"(baton_takeover[^"]*)"/g)].map((m) => m[1]);
    expect(actionIds).toHaveLength(2);
    expect(new Set(actionIds).size).toBe(2);
    const publish = h.sandbox.calls().filter((c) => c.method === 'views.publish');
    expect(publish.every((c) => c.response.ok === true)).toBe(true);
  });
});
