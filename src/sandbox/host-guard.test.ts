import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSandbox } from './create-sandbox.js';
import { SANDBOX_AGENT_DANA } from './default-workspace.js';
import { parseHost } from './host-guard.js';
import { rawRequest } from './raw-request.js';
import type { SlackSandbox } from './types.js';

const BOT = 'xoxb-host-guard';
let sandbox: SlackSandbox | undefined;

async function start(allowedHosts?: string[]) {
  sandbox = await startSlackSandbox({
    port: 0,
    host: '127.0.0.1',
    botToken: BOT,
    signingSecret: 's',
    allowedHosts,
  });
  return { sb: sandbox, port: Number(new URL(sandbox.url).port) };
}

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const setPresence = (port: number, host: string, headers: Record<string, string> = {}) =>
  rawRequest(port, {
    method: 'POST',
    path: '/ui/presence',
    host,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ user: SANDBOX_AGENT_DANA, presence: 'away' }),
  });

describe('the local workspace refuses requests addressed to other hosts (DNS rebinding)', () => {
  it('answers 421 to a foreign Host on the agent view, its actions, the Web API and WebSockets, and does nothing', async () => {
    const { sb, port } = await start();
    const before = sb.user(SANDBOX_AGENT_DANA)?.presence;

    for (const path of [
      '/ui/users',
      '/',
      `/ui/state?user=${SANDBOX_AGENT_DANA}&channel=${sb.handoffChannelId}`,
    ]) {
      const res = await rawRequest(port, { path, host: `evil.example:${port}` });
      expect(res.status, path).toBe(421);
      expect(res.body).toMatch(/not served here/);
    }
    expect((await setPresence(port, 'evil.example')).status).toBe(421);
    expect(sb.user(SANDBOX_AGENT_DANA)?.presence).toBe(before);

    const api = await rawRequest(port, {
      method: 'POST',
      path: '/api/auth.test',
      host: 'evil.example',
      headers: { authorization: `Bearer ${BOT}` },
    });
    expect(api.status).toBe(421);
    expect(sb.calls()).toEqual([]);

    const upgrade = { connection: 'upgrade', upgrade: 'websocket', 'sec-websocket-version': '13' };
    const ws = await rawRequest(port, {
      path: '/socket/link?ticket=x',
      host: 'evil.example',
      headers: upgrade,
    });
    expect(ws.status).toBe(421);
  });

  it('serves the loopback names, with or without its own port, in any case', async () => {
    const { port } = await start();
    for (const host of [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      `LocalHost:${port}`,
      'localhost',
    ]) {
      expect((await rawRequest(port, { path: '/ui/users', host })).status, host).toBe(200);
    }
    for (const host of [
      `localhost:${port + 1}`,
      `127.0.0.1.evil.example:${port}`,
      `x@127.0.0.1:${port}`,
      '',
    ]) {
      expect((await rawRequest(port, { path: '/ui/users', host })).status, host).not.toBe(200);
    }
    expect((await rawRequest(port, { path: '/ui/users', host: null })).status).toBe(400);
  });

  it('serves the extra hosts it was configured with, on the port each names', async () => {
    const { port } = await start(['baton.lan', 'proxy.example:8443']);
    expect((await rawRequest(port, { path: '/ui/users', host: `baton.lan:${port}` })).status).toBe(200);
    expect((await rawRequest(port, { path: '/ui/users', host: 'proxy.example:8443' })).status).toBe(200);
    expect((await rawRequest(port, { path: '/ui/users', host: `proxy.example:${port}` })).status).toBe(421);
  });

  it('refuses a state-changing request whose Origin is not one of its hosts', async () => {
    const { sb, port } = await start();
    const host = `127.0.0.1:${port}`;
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, 'null']) {
      expect((await setPresence(port, host, { origin })).status, origin).toBe(403);
    }
    expect(sb.user(SANDBOX_AGENT_DANA)?.presence).toBe('active');
    // Everywhere, not just the agent view: a page must not drive the Web API with a token it guessed.
    const api = await rawRequest(port, {
      method: 'POST',
      path: '/api/auth.test',
      host,
      headers: { authorization: `Bearer ${BOT}`, origin: 'http://evil.example' },
    });
    expect(api.status).toBe(403);
    expect(sb.calls()).toEqual([]);
    expect((await setPresence(port, host, { origin: `http://${host}` })).status).toBe(200);
    expect(sb.user(SANDBOX_AGENT_DANA)?.presence).toBe('away');
  });
});

describe('parseHost', () => {
  it('reads host[:port] and nothing else', () => {
    expect(parseHost('LOCALHOST:3001')).toEqual({ hostname: 'localhost', port: 3001 });
    expect(parseHost('[::1]')).toEqual({ hostname: '[::1]' });
    for (const bad of [
      'http://localhost',
      'a b',
      'localhost:0',
      'localhost:70000',
      'u@localhost',
      'localhost/x',
    ])
      expect(parseHost(bad), bad).toBeUndefined();
  });
});
