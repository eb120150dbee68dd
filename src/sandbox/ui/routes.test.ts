import { readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeSandbox } from './fake-ui-sandbox.js';
import { createUiHandlerFor } from './index.js';
import type { UiSandbox } from './schemas.js';

let server: Server;
let base: string;
let fake: ReturnType<typeof createFakeSandbox>;

async function start(sandbox: UiSandbox) {
  const ui = createUiHandlerFor(sandbox);
  server = createServer(async (req, res) => {
    if (!(await ui(req, res))) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('core');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

beforeEach(async () => {
  fake = createFakeSandbox();
  await start(fake.sandbox);
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('static page', () => {
  it('serves the page and assets with a strict CSP and the right types', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await page.text();
    expect(html).toContain('src="/ui/assets/app.js"');
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    for (const [name, type] of [
      ['app.js', 'text/javascript; charset=utf-8'],
      ['mrkdwn.js', 'text/javascript; charset=utf-8'],
      ['blocks.js', 'text/javascript; charset=utf-8'],
      ['app.css', 'text/css; charset=utf-8'],
    ]) {
      const r = await fetch(`${base}/ui/assets/${name}`);
      expect(r.status, name).toBe(200);
      expect(r.headers.get('content-type')).toBe(type);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('serves every file in assets/: a new module cannot be left off the allow-list', async () => {
    for (const name of await readdir(new URL('./assets/', import.meta.url))) {
      const r = await fetch(`${base}/ui/assets/${name}`);
      expect(r.status, name).toBe(200);
    }
  });

  it('refuses unknown assets and path tricks, and leaves other paths to the core', async () => {
    expect((await fetch(`${base}/ui/assets/..%2Findex.ts`)).status).toBe(404);
    expect((await fetch(`${base}/ui/assets/secret.env`)).status).toBe(404);
    const other = await fetch(`${base}/api/auth.test`);
    expect(await other.text()).toBe('core');
  });
});

describe('read routes', () => {
  it('GET /ui/state returns channel messages with thread summaries and the user’s ephemerals', async () => {
    const root = fake.add({ user: 'U0BOT', bot_id: 'B0BOT', channel: 'C0HANDOFFS', text: 'card' });
    fake.add({ user: 'U0SAM', channel: 'C0HANDOFFS', text: 'reply', thread_ts: root.ts });
    fake.ephemerals.push({
      ts: '1700000999.000100',
      channel: 'C0HANDOFFS',
      user: 'U0DANA',
      text: 'only you',
    });
    fake.ephemerals.push({ ts: '1700000999.000200', channel: 'C0HANDOFFS', user: 'U0SAM', text: 'not you' });
    const r = await fetch(`${base}/ui/state?user=U0DANA&channel=C0HANDOFFS`);
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.workspace.name).toBe('Baton local workspace');
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0]).toMatchObject({ ts: root.ts, replyCount: 1, replyUsers: ['U0SAM'] });
    expect(body.ephemerals.map((e: { text: string }) => e.text)).toEqual(['only you']);
    expect(body.modal).toBeNull();
  });

  it('rejects unknown users, bots, unknown channels and bad timestamps with 400', async () => {
    const cases = [
      ['/ui/state?user=U0NOPE&channel=C0HANDOFFS', 'unknown_user'],
      ['/ui/state?user=U0BOT&channel=C0HANDOFFS', 'bot_user'],
      ['/ui/state?user=U0DANA&channel=C0NOPE', 'unknown_channel'],
      ['/ui/state?user=U0DANA', 'invalid_request'],
      ['/ui/thread?user=U0DANA&channel=C0HANDOFFS&ts=abc', 'invalid_request'],
    ];
    for (const [path, code] of cases) {
      const r = await fetch(`${base}${path}`);
      expect(r.status, path).toBe(400);
      expect((await r.json()).error.code, path).toBe(code);
    }
  });

  it('GET /ui/thread finds the thread of a reply permalink', async () => {
    const root = fake.add({ user: 'U0DANA', channel: 'C0HANDOFFS', text: 'root' });
    const reply = fake.add({ user: 'U0SAM', channel: 'C0HANDOFFS', text: 'reply', thread_ts: root.ts });
    const r = await fetch(`${base}/ui/thread?user=U0DANA&channel=C0HANDOFFS&ts=${reply.ts}`);
    const body = await r.json();
    expect(body.threadTs).toBe(root.ts);
    expect(body.highlight).toBe(reply.ts);
    expect(body.messages.map((m: { text: string }) => m.text)).toEqual(['root', 'reply']);
  });

  it('GET /ui/users lists everyone with the workspace and channels', async () => {
    const body = await (await fetch(`${base}/ui/users`)).json();
    expect(body.users.map((u: { id: string }) => u.id)).toContain('U0DANA');
    expect(body.channels[0].name).toBe('support-handoffs');
    expect(body.workspace.viewButtons).toBe(false);
  });
});

describe('action routes', () => {
  it('POST /ui/post posts as the person, in a thread when asked, and reports the delivery', async () => {
    const root = fake.add({ user: 'U0BOT', channel: 'C0HANDOFFS', text: 'card' });
    fake.setDelivery({ status: 0, body: '', headers: {} });
    const r = await post('/ui/post', {
      user: 'U0DANA',
      channel: 'C0HANDOFFS',
      text: 'on it',
      threadTs: root.ts,
    });
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.delivery).toEqual({ status: 0, ok: false, body: '' });
    expect(fake.calls.at(-1)).toEqual({
      method: 'postMessageAs',
      args: ['U0DANA', 'C0HANDOFFS', 'on it', { threadTs: root.ts }],
    });
  });

  it('validates bodies: bad JSON, wrong types, empty text, wrong content type, oversize', async () => {
    const bad = [
      await post('/ui/post', '{nope'),
      await post('/ui/post', { user: 'U0DANA', channel: 'C0HANDOFFS', text: '   ' }),
      await post('/ui/post', { user: 'U0DANA', channel: 42, text: 'x' }),
      await post('/ui/click', { user: 'U0DANA', channel: 'C0HANDOFFS', messageTs: 'x', actionId: 'a' }),
      await post('/ui/command', { user: 'U0DANA', channel: 'C0HANDOFFS', text: 'no slash' }),
    ];
    for (const r of bad) {
      expect(r.status).toBe(400);
      expect((await r.json()).error.code).toMatch(/invalid_json|invalid_request/);
    }
    const form = await fetch(`${base}/ui/post`, { method: 'POST', body: 'a=b' });
    expect(form.status).toBe(415);
    const huge = await post('/ui/post', { user: 'U0DANA', channel: 'C0HANDOFFS', text: 'x'.repeat(70_000) });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe('body_too_large');
    expect(fake.calls).toEqual([]);
  });

  it('refuses cross-origin POSTs and GET on action routes', async () => {
    const r = await post(
      '/ui/post',
      { user: 'U0DANA', channel: 'C0HANDOFFS', text: 'x' },
      { origin: 'https://evil.example' },
    );
    expect(r.status).toBe(403);
    expect((await fetch(`${base}/ui/post`)).status).toBe(405);
  });

  it('only lets people edit and delete their own messages', async () => {
    const mine = fake.add({ user: 'U0DANA', channel: 'C0HANDOFFS', text: 'typo' });
    const theirs = fake.add({ user: 'U0SAM', channel: 'C0HANDOFFS', text: 'sam' });
    expect(
      (await post('/ui/edit', { user: 'U0DANA', channel: 'C0HANDOFFS', ts: mine.ts, text: 'fixed' })).status,
    ).toBe(200);
    expect(fake.calls.at(-1)?.args).toEqual(['U0DANA', 'C0HANDOFFS', mine.ts, 'fixed']);
    const denied = await post('/ui/delete', { user: 'U0DANA', channel: 'C0HANDOFFS', ts: theirs.ts });
    expect(denied.status).toBe(403);
    expect((await post('/ui/delete', { user: 'U0DANA', channel: 'C0HANDOFFS', ts: mine.ts })).status).toBe(
      200,
    );
    expect(fake.calls.map((c) => c.method)).toEqual(['editMessageAs', 'deleteMessageAs']);
  });

  it('passes clicks, slash commands and presence through', async () => {
    const card = fake.add({ user: 'U0BOT', channel: 'C0HANDOFFS', text: 'card' });
    await post('/ui/click', {
      user: 'U0DANA',
      channel: 'C0HANDOFFS',
      messageTs: card.ts,
      actionId: 'claim',
      value: 'conv_1',
      ephemeral: true,
    });
    await post('/ui/command', {
      user: 'U0DANA',
      channel: 'C0HANDOFFS',
      text: '/Baton  claim now',
      threadTs: card.ts,
    });
    await post('/ui/presence', { user: 'U0DANA', presence: 'away' });
    expect(fake.calls).toEqual([
      {
        method: 'clickButton',
        args: ['U0DANA', 'C0HANDOFFS', card.ts, 'claim', { value: 'conv_1', ephemeral: true }],
      },
      {
        method: 'runSlashCommand',
        args: ['U0DANA', 'C0HANDOFFS', 'claim now', { command: '/baton', threadTs: card.ts }],
      },
      { method: 'setUserPresence', args: ['U0DANA', 'away'] },
    ]);
  });

  it("a reload drops only that person's ephemeral messages, as Slack does", async () => {
    const tip = { ts: '1.000001', user: 'U0DANA', channel: 'C0HANDOFFS', text: 'only you can see this' };
    fake.ephemerals.push(tip, { ...tip, ts: '1.000002', user: 'U0LEE' });
    expect((await post('/ui/reload', { user: 'U0DANA' })).status).toBe(200);
    expect(fake.ephemerals.map((e) => e.user)).toEqual(['U0LEE']);
    expect((await post('/ui/reload', { user: 'nobody here' })).status).toBe(400);
  });

  it('opens App Home and submits only open modals', async () => {
    const home = await (await post('/ui/home', { user: 'U0DANA' })).json();
    expect(home.view.id).toBe('V0HOME');
    const missing = await post('/ui/submit-view', { user: 'U0DANA', viewId: 'V0NOPE', values: {} });
    expect(missing.status).toBe(404);
    fake.modals.push({ id: 'V0MODAL', type: 'modal', userId: 'U0DANA', view: { type: 'modal', blocks: [] } });
    const values = { note: { text: { type: 'plain_text_input', value: 'hi' } } };
    expect((await post('/ui/submit-view', { user: 'U0DANA', viewId: 'V0MODAL', values })).status).toBe(200);
    expect(fake.calls.at(-1)).toEqual({ method: 'submitView', args: ['U0DANA', 'V0MODAL', values] });
    const bad = await post('/ui/submit-view', { user: 'U0DANA', viewId: 'V0MODAL', values: { note: 'x' } });
    expect(bad.status).toBe(400);
  });

  it('turns a sandbox refusal into a 400 with its message', async () => {
    fake.sandbox.clickButton = async () => {
      throw new Error('no button "nope"');
    };
    const card = fake.add({ user: 'U0BOT', channel: 'C0HANDOFFS', text: 'card' });
    const r = await post('/ui/click', {
      user: 'U0DANA',
      channel: 'C0HANDOFFS',
      messageTs: card.ts,
      actionId: 'nope',
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ error: { code: 'rejected', message: 'click: no button "nope"' } });
  });
});

describe('GET /ui/events', () => {
  it('answers the position at once, then long-polls until a change arrives', async () => {
    const first = await (await fetch(`${base}/ui/events`)).json();
    expect(first).toEqual({ seq: 0, changes: [], reset: false });
    const waiting = fetch(`${base}/ui/events?since=0&wait=5000`).then((r) => r.json());
    await new Promise((r) => setTimeout(r, 50));
    fake.emit({ kind: 'call', method: 'chat.postMessage' });
    fake.emit({ kind: 'message', channel: 'C0HANDOFFS', ts: '1.000001' });
    const got = await waiting;
    expect(got.seq).toBe(1);
    expect(got.changes).toEqual([{ kind: 'message', channel: 'C0HANDOFFS', ts: '1.000001' }]);
  });

  it('times out with no changes and flags a stale cursor', async () => {
    const idle = await (await fetch(`${base}/ui/events?since=0&wait=30`)).json();
    expect(idle.changes).toEqual([]);
    const stale = await (await fetch(`${base}/ui/events?since=99&wait=0`)).json();
    expect(stale.reset).toBe(true);
  });
});
