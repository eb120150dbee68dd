import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { metricsAccess } from './metrics-access.js';

let server: Server | undefined;
afterEach(() => server?.close());

/** A real Express app with the guard in front of a stand-in metrics route; returns its URL. */
async function serve(opts: Parameters<typeof metricsAccess>[0]): Promise<string> {
  const app = express();
  app.get('/metrics', metricsAccess(opts), (_req, res) => {
    res.type('text/plain').send('baton_up 1\n');
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server!.once('listening', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/metrics`;
}

describe('metricsAccess', () => {
  it('refuses everyone in production when no token is set, with a reason', async () => {
    const res = await fetch(await serve({ production: true }));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: { code: 'forbidden', message: 'Metrics are off in production until METRICS_TOKEN is set' },
    });
  });

  it('in production with a token, serves only the bearer of it', async () => {
    const url = await serve({ production: true, token: 'metrics-secret-123' });
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer metrics-secret-12' } })).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: 'Bearer metrics-secret-123' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('baton_up 1\n');
  });

  it('is open outside production without a token', async () => {
    expect((await fetch(await serve({}))).status).toBe(200);
  });
});
