// Drives the customer chat page (src/webchat/public) in headless Chromium
// against the in-memory fake API in ./chat-page-fake-server.ts.
import { launchChromium } from '../support/chromium.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeChatServer, startFakeServer } from './chat-page-fake-server.js';

let browser: Browser;
let fake: FakeChatServer;
let context: BrowserContext;
let page: Page;
let problems: string[];

beforeAll(async () => {
  browser = await launchChromium('the chat page browser test');
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  fake = await startFakeServer({ autoReplyDelayMs: 150, pingIntervalMs: 1000 });
  context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  page = await context.newPage();
  problems = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    const text = msg.text();
    // Failed sends/streams the test provokes on purpose log "Failed to load resource".
    if (msg.type() === 'error' && !text.startsWith('Failed to load resource')) {
      problems.push(`console: ${text}`);
    }
  });
});

afterEach(async () => {
  await context?.close();
  await fake?.close();
  expect(problems, 'no page errors or CSP violations').toEqual([]);
});

async function open() {
  await page.goto(fake.url);
  await page.locator('#input').waitFor();
}

async function send(text: string) {
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
}

const statusLabel = () => page.locator('#status-label');

async function waitForStream(conversationId: string) {
  await expect.poll(() => fake.openStreams(conversationId), { timeout: 5000 }).toBeGreaterThan(0);
}

describe('customer chat page', () => {
  it('sends a message optimistically and shows the bot reply pushed over the stream', async () => {
    await open();
    expect(await page.isDisabled('#send')).toBe(true);
    await page.fill('#input', '   ');
    expect(await page.isDisabled('#send')).toBe(true);
    // Nothing is created until the first message is sent.
    expect(fake.conversations.size).toBe(0);

    await send('Where is my order?');
    const customer = page.locator('.msg--customer');
    await expect.poll(() => customer.count()).toBe(1);
    await expect.poll(() => customer.first().textContent()).toContain('Where is my order?');
    await page.locator('.msg--customer:not(.msg--sending)').waitFor();
    expect(await page.inputValue('#input')).toBe('');

    const bot = page.locator('.msg--bot');
    await bot.first().waitFor({ timeout: 5000 });
    expect(await bot.locator('.msg__name').textContent()).toBe('Assistant');
    const links = bot.locator('.msg__articles a');
    expect(await links.count()).toBe(2);
    expect(await links.first().getAttribute('href')).toBe('https://help.northwind.example/shipping');
    expect(await links.first().getAttribute('rel')).toContain('noopener');
    await page.locator('#typing').waitFor({ state: 'hidden' });

    const conv = fake.latest();
    expect(conv.messages.filter((m) => m.author === 'customer')).toHaveLength(1);
    expect(conv.messages[0]!.clientMessageId).toMatch(/^[0-9a-f-]{36}$/);
    const session = await page.evaluate(() => localStorage.getItem('baton.session'));
    expect(JSON.parse(session!)).toMatchObject({ conversationId: conv.id, token: conv.token });
    expect(await page.getAttribute('.msg--bot .msg__bubble', 'title')).toBeTruthy();

    // Shift+Enter inserts a newline instead of sending.
    await page.fill('#input', 'line one');
    await page.press('#input', 'Shift+Enter');
    await page.type('#input', 'line two');
    expect(await page.inputValue('#input')).toBe('line one\nline two');
    expect(await customer.count()).toBe(1);
  });

  it('never takes an email address from the link: a link anyone can send must not decide where replies go', async () => {
    await page.goto(`${fake.url}/?name=Pat&email=attacker%40evil.example`);
    await page.locator('#input').waitFor();
    await send('Hi, my order is late');
    await expect.poll(() => fake.conversations.size).toBe(1);
    expect(fake.latest().customer).toEqual({ name: 'Pat' });
  });

  it('renders hostile text literally and only links http(s) article URLs', async () => {
    fake.options.autoReply = () => ({
      text: 'Reply <b>bold</b> <img src=x onerror="window.__pwned=1">',
      articles: [
        { id: 'a1', title: 'Safe article', url: 'https://help.example/a1' },
        { id: 'a2', title: 'Evil article', url: 'javascript:alert(1)' },
        { id: 'a3', title: '<img src=x onerror=alert(1)>', url: 'http://help.example/a3' },
      ],
    });
    await open();
    const hostile = '<img src=x onerror=alert(1)> <script>window.__pwned=1</script>';
    await send(hostile);
    await page.locator('.msg--bot').waitFor();
    expect(await page.locator('.msg--customer .msg__text').textContent()).toBe(hostile);
    expect(await page.locator('.msg--bot .msg__text').textContent()).toBe(
      'Reply <b>bold</b> <img src=x onerror="window.__pwned=1">',
    );
    expect(await page.locator('#messages img, #messages script, #messages b').count()).toBe(0);
    const hrefs = await page
      .locator('.msg--bot .msg__articles a')
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')));
    expect(hrefs).toEqual(['https://help.example/a1', 'http://help.example/a3']);
    expect(await page.locator('.msg--bot .msg__articles').textContent()).not.toContain('Evil article');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('follows status changes: handoff, agent joins, agent edits and deletes', async () => {
    await open();
    await send('I need a human');
    await page.locator('.msg--bot').waitFor();
    expect(await statusLabel().textContent()).toBe('Assistant');
    expect(await page.isVisible('#handoff')).toBe(true);

    await page.click('#handoff');
    await page.locator('#status-label', { hasText: 'Waiting for a person…' }).waitFor();
    expect(await page.isHidden('#handoff')).toBe(true);
    const conv = fake.latest();
    expect(conv.status).toBe('waiting');

    fake.agentJoins(conv.id, 'Dana');
    await page.locator('#status-label', { hasText: 'Chatting with Dana' }).waitFor();
    await page.locator('.msg--system', { hasText: 'Dana has joined' }).waitFor();

    const reply = fake.agentSays(conv.id, 'Hi, Dana here. Let me check.');
    const agentMsg = page.locator(`.msg--agent[data-id="${reply.id}"]`);
    await agentMsg.waitFor();
    expect(await agentMsg.locator('.msg__name').textContent()).toBe('Dana');

    fake.editMessage(conv.id, reply.id, 'Hi, Dana here. Checking your order now.');
    await page.locator('.msg--agent', { hasText: 'Checking your order now.' }).waitFor();
    expect(await page.locator('.msg--agent').count()).toBe(1);
    expect(await agentMsg.locator('.msg__edited').count()).toBe(1);

    fake.deleteMessage(conv.id, reply.id);
    await page.locator('.msg--agent', { hasText: 'This message was deleted' }).waitFor();
    expect(await page.locator('.msg--agent').count()).toBe(1);
  });

  it('shows the email card when queued and sends a valid email', async () => {
    fake.options.noAgentsAvailable = true;
    await open();
    await send('Hello?');
    await page.locator('.msg--bot').waitFor();
    await page.click('#handoff');
    await page.locator('#status-label', { hasText: "We'll follow up by email" }).waitFor();
    const card = page.locator('#queued-card');
    await card.waitFor();
    expect(await card.textContent()).toContain('No one is available right now.');
    expect(await card.textContent()).toContain("Leave your email and we'll reply there.");

    await page.fill('#email-input', 'not-an-email');
    await page.click('#email-form button[type="submit"]');
    await page.locator('#email-error').waitFor();
    expect(await page.getAttribute('#email-input', 'aria-invalid')).toBe('true');
    expect(fake.latest().followUpEmail).toBeUndefined();

    await page.fill('#email-input', 'sam@example.com');
    await page.press('#email-input', 'Enter');
    await page.locator('#email-done', { hasText: "Thanks — we'll email you at sam@example.com" }).waitFor();
    expect(fake.latest().followUpEmail).toBe('sam@example.com');
  });

  it('asks for CSAT when resolved, submits it, and can start over', async () => {
    await open();
    await send('Thanks for the help');
    await page.locator('.msg--bot').waitFor();
    const conv = fake.latest();
    await waitForStream(conv.id);
    fake.setStatus(conv.id, 'resolved');
    await page.locator('#status-label', { hasText: 'Conversation resolved' }).waitFor();
    await page.locator('#csat-card').waitFor();
    expect(await page.isDisabled('#csat-submit')).toBe(true);
    expect(await page.isDisabled('#input')).toBe(true);

    await page.click('label[for="csat-4"]');
    await page.fill('#csat-comment', 'Quick and friendly');
    await page.click('#csat-submit');
    await page.locator('#csat-done', { hasText: 'Thanks for your feedback' }).waitFor();
    expect(conv.csat).toEqual({ score: 4, comment: 'Quick and friendly' });

    await page.click('#new-conversation');
    await expect.poll(() => page.locator('#messages > li').count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem('baton.session'))).toBeNull();
    expect(await statusLabel().textContent()).toBe('Assistant');
    expect(await page.isHidden('#csat-card')).toBe(true);
    await send('A new question');
    await expect.poll(() => fake.conversations.size).toBe(2);
    await page.locator('.msg--bot').waitFor();
    expect(await page.locator('.msg').count()).toBe(2);
  });

  it('reconnects after the stream drops and shows messages sent meanwhile exactly once', async () => {
    fake.options.autoReply = null;
    await open();
    await send('Hello');
    await page.locator('.msg--customer:not(.msg--sending)').waitFor();
    const conv = fake.latest();
    await waitForStream(conv.id);
    fake.setStatus(conv.id, 'claimed', 'Dana');
    await page.locator('#status-label', { hasText: 'Chatting with Dana' }).waitFor();

    const before = fake.requests.length;
    fake.outage = true;
    expect(fake.dropStreams(conv.id)).toBe(1);
    fake.agentSays(conv.id, 'Meanwhile one');
    fake.agentSays(conv.id, 'Meanwhile two');
    // Let the page hit the outage at least once, then let it back in.
    await expect
      .poll(() => fake.requests.slice(before).filter((r) => r.method === 'GET').length, { timeout: 5000 })
      .toBeGreaterThan(0);
    fake.agentSays(conv.id, 'Meanwhile three');
    fake.outage = false;
    await waitForStream(conv.id);
    fake.agentSays(conv.id, 'After reconnect');
    await page.locator('.msg--agent', { hasText: 'After reconnect' }).waitFor({ timeout: 10000 });

    const texts = await page.locator('.msg--agent .msg__text').allTextContents();
    expect(texts).toEqual(['Meanwhile one', 'Meanwhile two', 'Meanwhile three', 'After reconnect']);
    // The reconnect asked only for what the page had not seen.
    const last = fake.streamConnections[fake.streamConnections.length - 1]!;
    expect(last.after).toBeGreaterThanOrEqual(4);

    // A reload restores the session and history without duplicates.
    await page.reload();
    await page.locator('.msg--agent', { hasText: 'After reconnect' }).waitFor();
    expect(await page.locator('.msg--agent').count()).toBe(4);
    expect(await page.locator('.msg--customer').count()).toBe(1);
    await page.locator('#status-label', { hasText: 'Chatting with Dana' }).waitFor();
  });

  it('marks a message "Not sent — Retry" on network failure and retries with the same clientMessageId', async () => {
    fake.options.autoReply = null;
    await open();
    // The first POST reaches the server (and is stored) but its answer is lost…
    let lost = 0;
    await page.route(
      (url) => url.pathname.endsWith('/messages'),
      async (route) => {
        if (route.request().method() === 'POST' && lost++ === 0) {
          await route.fetch();
          await route.abort('connectionreset');
        } else {
          await route.continue();
        }
      },
    );
    fake.outage = true; // …and no stream or catch-up tells the page about it.
    await send('Are you there?');
    await page.locator('.msg--failed', { hasText: 'Not sent' }).waitFor();
    const retry = page.locator('.msg--failed button', { hasText: 'Retry' });
    await retry.click();
    await page.locator('.msg--customer:not(.msg--failed):not(.msg--sending)').waitFor();
    fake.outage = false;
    const conv = fake.latest();
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    expect(posts).toHaveLength(2);
    const ids = posts.map((p) => (p.body as { clientMessageId: string }).clientMessageId);
    expect(ids[0]).toBe(ids[1]);
    expect(conv.messages).toHaveLength(1);
    await waitForStream(conv.id);
    expect(await page.locator('.msg--customer').count()).toBe(1);
  });

  it('explains 429 inline with the Retry-After delay', async () => {
    fake.options.autoReply = null;
    await open();
    fake.rateLimitNext = 1;
    fake.rateLimitRetryAfter = 7;
    await send('Spam spam');
    await page
      .locator('#composer-error', { hasText: /You're sending messages too fast — try again in [67] s/ })
      .waitFor();
    await page.locator('.msg--failed').waitFor();
  });

  it('shows a character counter near the limit and blocks sending over it', async () => {
    await open();
    await page.fill('#input', 'x'.repeat(3000));
    expect(await page.isHidden('#counter')).toBe(true);
    await page.fill('#input', 'x'.repeat(3990));
    expect(await page.textContent('#counter')).toContain('3,990 / 4,000');
    expect(await page.isEnabled('#send')).toBe(true);
    await page.fill('#input', 'x'.repeat(4001));
    expect(await page.textContent('#counter')).toContain('over the limit');
    expect(await page.isDisabled('#send')).toBe(true);
    await page.press('#input', 'Enter');
    expect(await page.locator('.msg').count()).toBe(0);
  });

  it('starts a new conversation lazily when the saved session is rejected', async () => {
    await page.goto(fake.url);
    await page.evaluate(() =>
      localStorage.setItem('baton.session', JSON.stringify({ conversationId: 'conv_gone', token: 'nope' })),
    );
    await page.reload();
    await expect.poll(() => page.evaluate(() => localStorage.getItem('baton.session'))).toBeNull();
    expect(fake.conversations.size).toBe(0);
    await send('Fresh start');
    await page.locator('.msg--bot').waitFor();
    expect(fake.conversations.size).toBe(1);
    expect(await page.locator('.msg--customer').count()).toBe(1);
  });
});
