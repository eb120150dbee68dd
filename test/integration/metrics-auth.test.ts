import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('GET /metrics', () => {
  it('serves Prometheus text, and requires the bearer token when METRICS_TOKEN is set', async () => {
    h = await startHarness({ METRICS_TOKEN: 'metrics-secret-123' });
    expect((await fetch(`${h.baton.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${h.baton.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const ok = await fetch(`${h.baton.url}/metrics`, {
      headers: { authorization: 'Bearer metrics-secret-123' },
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('baton_conversations_total{window="7d"}');
  });

  it('is open when no token is configured', async () => {
    h = await startHarness();
    const res = await fetch(`${h.baton.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
  });
});
