import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSandbox } from './create-sandbox.js';
import { SANDBOX_AGENT_DANA } from './default-workspace.js';
import { rawRequest } from './raw-request.js';
import type { SlackSandbox } from './types.js';

const BOT = 'xoxb-ui-token';
const TOKEN = 'b3f1c2d4e5a6978812ab34cd56ef7890';
let sandbox: SlackSandbox | undefined;

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(host: string, uiToken?: string) {
  sandbox = await startSlackSandbox({ port: 0, host, botToken: BOT, signingSecret: 's', uiToken });
  const port = Number(new URL(sandbox.url).port);
  const hostHeader = `127.0.0.1:${port}`;
  const get = (path: string, cookie?: string) =>
    rawRequest(port, { path, host: hostHeader, headers: cookie ? { cookie } : {} });
  return { sb: sandbox, port, host: hostHeader, get };
}

describe('the agent view behind a token', () => {
  it('refuses to listen beyond loopback without a token', async () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.10']) {
      await expect(startSlackSandbox({ host, port: 0, botToken: BOT, signingSecret: 's' })).rejects.toThrow(
        /other machines can reach[\s\S]*LOCAL_SLACK_UI_TOKEN/,
      );
    }
  });

  it('listens on 0.0.0.0 with a token, and names itself by loopback for the app', async () => {
    const { sb, get } = await start('0.0.0.0', TOKEN);
    expect(new URL(sb.url).hostname).toBe('127.0.0.1');
    expect((await get('/ui/users')).status).toBe(401);
    expect((await get(`/ui/users?token=${TOKEN}`)).status).toBe(200);
  });

  it('takes ?token= once, sets a Strict HttpOnly cookie and then wants only the cookie', async () => {
    const { sb, port, host, get } = await start('127.0.0.1', TOKEN);
    for (const path of ['/', '/ui/users', '/ui/assets/app.js', `/?token=${TOKEN}x`, '/?token=']) {
      const res = await get(path);
      expect(res.status, path).toBe(401);
      expect(res.headers['set-cookie'], path).toBeUndefined();
    }

    const page = await get(`/?token=${TOKEN}`);
    expect(page.status).toBe(200);
    const setCookie = String(page.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(';')[0]!;

    expect((await get('/ui/users', cookie)).status).toBe(200);
    expect((await get('/ui/users', `${cookie}x`)).status).toBe(401);

    const presence = (headers: Record<string, string>) =>
      rawRequest(port, {
        method: 'POST',
        path: '/ui/presence',
        host,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ user: SANDBOX_AGENT_DANA, presence: 'away' }),
      });
    expect((await presence({})).status).toBe(401);
    expect(sb.user(SANDBOX_AGENT_DANA)?.presence).toBe('active');
    expect((await presence({ cookie })).status).toBe(200);
    expect(sb.user(SANDBOX_AGENT_DANA)?.presence).toBe('away');
  });

  it('leaves the Web API to its bot token', async () => {
    const { port, host } = await start('127.0.0.1', TOKEN);
    const call = (token: string) =>
      rawRequest(port, {
        method: 'POST',
        path: '/api/auth.test',
        host,
        headers: { authorization: `Bearer ${token}` },
      });
    expect(JSON.parse((await call(BOT)).body)).toMatchObject({ ok: true });
    expect(JSON.parse((await call(TOKEN)).body)).toMatchObject({ ok: false, error: 'invalid_auth' });
  });
});
