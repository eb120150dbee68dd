import { afterAll, describe, expect, it } from 'vitest';
import { loopBusyPercent, type ServerProcess, startServerProcess } from './server-process.js';

describe('loopBusyPercent', () => {
  it('is the busy share of the time between two readings', () => {
    expect(loopBusyPercent({ active: 100, idle: 900 }, { active: 400, idle: 1000 })).toBeCloseTo(75);
    expect(loopBusyPercent({ active: 5, idle: 5 }, { active: 5, idle: 5 })).toBe(0);
  });
});

describe('a bench server process', () => {
  let server: ServerProcess | undefined;
  afterAll(() => server?.stop());

  it('reports its event loop over IPC, working stretches counted as busy', async () => {
    server = await startServerProcess('bench/servers/bare-http.ts');
    const before = await server.loopTime();
    // Keep the server's loop working for a while: it parses and answers each of these.
    const body = JSON.stringify({ text: 'x'.repeat(2000) });
    for (let i = 0; i < 300; i += 1) {
      const res = await fetch(`${server.url}/conversations/c1/messages`, { method: 'POST', body });
      expect(res.status).toBe(201);
      await res.text();
    }
    const after = await server.loopTime();
    expect(after.active).toBeGreaterThan(before.active);
    expect(after.idle).toBeGreaterThan(before.idle);
    const busy = loopBusyPercent(before, after);
    expect(busy).toBeGreaterThan(0);
    expect(busy).toBeLessThanOrEqual(100);
  });

  it('answers questions asked at once, each with the figure it was asked for', async () => {
    server ??= await startServerProcess('bench/servers/bare-http.ts');
    const [heap, loop, heapAgain] = await Promise.all([
      server.heapUsed(),
      server.loopTime(),
      server.heapUsed(),
    ]);
    expect(heap).toBeGreaterThan(0);
    expect(heapAgain).toBeGreaterThan(0);
    expect(loop.active + loop.idle).toBeGreaterThan(0);
    const later = await server.loopTime();
    expect(later.active + later.idle).toBeGreaterThan(loop.active + loop.idle);
  });
});
