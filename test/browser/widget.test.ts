// The embeddable widget (widget.js) in headless Chromium on a shop page of ANOTHER site (localhost vs
// Baton's 127.0.0.1) with a strict CSP, against the real Baton and the local Slack workspace.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { framingOrigins } from '../../src/app/http-app.js';
import { findConversation } from '../../src/conversation/conversation-repository.js';
import { SANDBOX_AGENT_DANA } from '../../src/sandbox/default-workspace.js';
import { launchChromium } from '../support/chromium.js';
import { type HostSite, shopHtml, startHostSite, strictCsp } from '../support/host-page.js';
import { type Harness, startHarness, waitForCard } from '../integration/harness.js';

const WAIT = 10_000;
const SHOTS = '/tmp/widget-shots';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let h: Harness;
let site: HostSite;
let context: BrowserContext;
let page: Page;
let problems: string[];

beforeAll(async () => {
  browser = await launchChromium('the widget browser test');
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  problems = [];
  site = await startHostSite();
  h = await startHarness({ ALLOWED_ORIGINS: site.url });
  const tag = `<script src="${h.baton.url}/widget.js" data-baton-title="Northwind support" async></script>`;
  site.set('/', { csp: strictCsp(h.baton.url), body: shopHtml({ body: tag }) });
  site.set('/blank', { csp: strictCsp(h.baton.url), body: shopHtml({}) });
  // The two rules the issue names, and inherited properties that would reach into a shadow tree.
  const attack =
    '<style>* { all: unset !important } div { display: none !important } ' +
    'body { visibility: hidden !important; text-transform: uppercase !important }</style>';
  site.set('/hostile', {
    csp: strictCsp(h.baton.url, "'unsafe-inline'"),
    body: shopHtml({ head: attack, body: tag }),
  });
  await newContext({ width: 1280, height: 800 });
});

afterEach(async () => {
  await context?.close();
  await h?.stop();
  await site?.close();
  expect(problems, 'no page errors, console errors or CSP violations').toEqual([]);
});

async function newContext(viewport: { width: number; height: number }) {
  await context?.close();
  context = await browser.newContext({ viewport });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console (${msg.location().url}): ${msg.text()}`);
  });
}

const launcher = () => page.locator('baton-widget .launcher');
const panel = () => page.locator('baton-widget .panel');
const badge = () => page.locator('baton-widget .badge');

async function visit(path = '/') {
  await page.goto(`${site.url}${path}`);
  await launcher().waitFor({ timeout: WAIT });
}

async function chatFrame(): Promise<Frame> {
  const frame = await page.locator('baton-widget iframe').elementHandle();
  const f = await frame?.contentFrame();
  if (!f) throw new Error('no chat frame');
  // Focus lands in the composer once the page's modules run and answer the widget's hello; before
  // that, #input exists but Enter would not send yet.
  await expect.poll(() => f.evaluate(() => document.activeElement?.id), { timeout: WAIT }).toBe('input');
  return f;
}

/** What has focus, seen through the widget's shadow root: 'launcher', 'iframe' or another tag. */
const focused = () =>
  page.evaluate(() => {
    const inner = document.activeElement?.shadowRoot?.activeElement;
    if (inner) return inner.classList.contains('launcher') ? 'launcher' : inner.tagName.toLowerCase();
    return document.activeElement?.tagName.toLowerCase();
  });

/** Starts recording `Baton.on(...)` events into an array the test reads back. */
async function recordEvents() {
  await page.evaluate(() => {
    const log: unknown[] = [];
    Object.defineProperty(document, 'batonEvents', { value: log });
    const w = window as unknown as { Baton: { on(e: string, fn: (d: unknown) => void): void } };
    for (const e of ['message', 'open', 'close', 'unread']) w.Baton.on(e, (d) => log.push([e, d]));
  });
  return () => page.evaluate(() => (document as unknown as { batonEvents: [string, unknown][] }).batonEvents);
}

async function ask(frame: Frame, text: string) {
  await frame.fill('#input', text);
  await frame.press('#input', 'Enter');
  await frame.locator('.msg--customer:not(.msg--sending)', { hasText: text }).waitFor({ timeout: WAIT });
}

/**
 * The saved session: in the chat page's own storage, or, where the browser blocks storage in a
 * third-party frame (this headless Chromium does), in the copy the widget keeps for it on the shop.
 */
async function session(frame: Frame) {
  const own = await frame.evaluate(() => {
    try {
      return localStorage.getItem('baton.session');
    } catch {
      return undefined;
    }
  });
  const kept = await page.evaluate((key) => sessionStorage.getItem(key), `baton.session ${h.baton.url}`);
  const raw = own === undefined ? kept : own;
  return JSON.parse(raw ?? 'null') as { conversationId: string; token: string };
}

describe('the embeddable widget on another site with a strict CSP', () => {
  it('shows a launcher, opens the chat, answers, closes on Escape and adds only Baton to window', async () => {
    await page.goto(`${site.url}/blank`);
    const before = await page.evaluate(() => Object.keys(window));
    await visit('/');
    const added = (await page.evaluate(() => Object.keys(window))).filter((k) => !before.includes(k));
    expect(added).toEqual(['Baton']);
    expect(await launcher().textContent()).toContain('Chat');
    expect(await page.locator('baton-widget iframe').count(), 'the iframe waits for the first open').toBe(0);
    await page.screenshot({ path: `${SHOTS}/launcher-desktop.png` });

    const events = await recordEvents();
    await page.evaluate(() => {
      const w = window as unknown as { Baton: Record<string, (a: unknown) => void> };
      w.Baton.identify!({ name: 'Jamie Rivera', email: 'jamie@example.com' });
      w.Baton.setFields!({ plan: 'gold', cartId: 'NW-482913' });
    });
    await launcher().click();
    await panel().waitFor();
    expect(await launcher().getAttribute('aria-expanded')).toBe('true');
    const frame = await chatFrame();
    expect(await page.locator('baton-widget iframe').getAttribute('title')).toBe('Northwind support');
    // Focus moved into the chat: typing goes straight to the composer.
    await expect.poll(() => frame.evaluate(() => document.activeElement?.id)).toBe('input');
    expect(await focused()).toBe('iframe');
    await page.keyboard.type('How long does standard shipping take?');
    await page.keyboard.press('Enter');
    const answer = frame.locator('.msg--bot').first();
    await answer.waitFor({ timeout: WAIT });
    expect(await answer.locator('.msg__text').textContent()).toMatch(/business days/i);
    expect(await answer.locator('.msg__articles a').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/panel-desktop.png` });

    // identify/setFields and the shop page's address reached the conversation.
    const saved = await findConversation(h.baton.deps.db, (await session(frame)).conversationId);
    expect(saved?.customer).toMatchObject({ name: 'Jamie Rivera', email: 'jamie@example.com' });
    expect(saved?.pageUrl).toBe(`${site.url}/`);
    expect(saved?.metadata).toEqual({ plan: 'gold', cartId: 'NW-482913' });
    // The panel was open: the answer fired `message` but counted as read.
    await expect.poll(events).toContainEqual(['message', expect.objectContaining({ author: 'bot' })]);
    expect(await badge().isHidden()).toBe(true);

    // Escape in the chat closes the panel and gives focus back to the launcher.
    await frame.press('#input', 'Escape');
    await panel().waitFor({ state: 'hidden' });
    expect(await focused()).toBe('launcher');
    expect(await launcher().getAttribute('aria-expanded')).toBe('false');
    await page.evaluate(() => (window as unknown as { Baton: { open(): void } }).Baton.open());
    await panel().waitFor();
    await page.evaluate(() => (window as unknown as { Baton: { close(): void } }).Baton.close());
    await panel().waitFor({ state: 'hidden' });
    const kinds = (await events()).map(([e]) => e);
    expect(kinds.filter((k) => k === 'open')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'close')).toHaveLength(2);
  });

  it('counts an agent reply that arrives while closed, and a reload keeps the conversation', async () => {
    await visit('/');
    await launcher().click();
    let frame = await chatFrame();
    await ask(frame, 'Where is my order NW-482913?');
    await frame.locator('.msg--bot').first().waitFor({ timeout: WAIT });
    await frame.click('#handoff');
    const card = await waitForCard(h.sandbox);
    const ch = h.sandbox.handoffChannelId;
    await h.sandbox.clickButton(SANDBOX_AGENT_DANA, ch, card.ts, 'baton_claim');
    await frame.locator('.msg--system', { hasText: 'Dana has joined' }).waitFor({ timeout: WAIT });

    await launcher().click(); // the launcher toggles the panel shut
    await panel().waitFor({ state: 'hidden' });
    const events = await recordEvents();
    // A message from anyone but the Baton page in the widget's frame is ignored (here: the shop itself).
    await page.evaluate(() =>
      window.postMessage({ baton: 1, kind: 'message', message: { text: 'forged' } }, '*'),
    );
    await h.sandbox.postMessageAs(SANDBOX_AGENT_DANA, ch, 'Dana here, your parcel left today.', {
      threadTs: card.ts,
    });
    await badge().waitFor({ timeout: WAIT });
    expect(await badge().textContent()).toBe('1');
    expect(await launcher().getAttribute('aria-label')).toBe('Chat, 1 unread message');
    expect(await events()).toContainEqual([
      'message',
      expect.objectContaining({
        author: 'agent',
        agentName: 'Dana',
        text: 'Dana here, your parcel left today.',
      }),
    ]);
    expect(await events()).toContainEqual(['unread', 1]);
    expect(JSON.stringify(await events())).not.toContain('forged');
    await page.screenshot({ path: `${SHOTS}/launcher-unread.png` });
    await launcher().click();
    await badge().waitFor({ state: 'hidden' });

    // A reload (or the next page of the shop) resumes the same conversation, and old news stays old.
    const before = await session(frame);
    await page.reload();
    await launcher().waitFor();
    const after = await recordEvents();
    await launcher().click();
    frame = await chatFrame();
    await frame.locator('.msg--agent', { hasText: 'your parcel left today' }).waitFor({ timeout: WAIT });
    expect(await session(frame)).toMatchObject(before);
    expect(await frame.locator('#status-label').textContent()).toContain('Dana');
    expect((await after()).filter(([e]) => e === 'message')).toEqual([]);
  });

  it('survives host CSS that restyles everything', async () => {
    await visit('/hostile');
    expect(await page.locator('.product').isHidden(), 'the attack CSS applies to the shop page').toBe(true);
    expect(await launcher().isVisible()).toBe(true);
    expect(await page.locator('baton-widget .label').evaluate((e) => getComputedStyle(e).textTransform)).toBe(
      'none',
    );
    const box = await launcher().boundingBox();
    expect(box?.width).toBeGreaterThan(60);
    expect(box?.height).toBeGreaterThanOrEqual(48);
    expect(box!.x + box!.width).toBeGreaterThan(1280 - 40); // still in the bottom-right corner
    await launcher().click();
    const frame = await chatFrame();
    const panelBox = await page.locator('baton-widget iframe').boundingBox();
    expect(panelBox?.width).toBeGreaterThan(300);
    expect(panelBox?.height).toBeGreaterThan(400);
    await ask(frame, 'How long does standard shipping take?');
    await frame.locator('.msg--bot').first().waitFor({ timeout: WAIT });
    await page.screenshot({ path: `${SHOTS}/panel-hostile-css.png` });
  });

  it('fills a phone screen when open and passes an axe scan', async () => {
    await newContext({ width: 390, height: 844 });
    await visit('/');
    await page.screenshot({ path: `${SHOTS}/launcher-mobile.png` });
    await launcher().click();
    const frame = await chatFrame();
    expect(await panel().boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 844 });
    expect(await launcher().isHidden(), 'the panel covers the launcher; its own close button shows').toBe(
      true,
    );
    await ask(frame, 'Do you ship to Canada?');
    await frame.locator('.msg--bot').first().waitFor({ timeout: WAIT });
    await page.screenshot({ path: `${SHOTS}/panel-mobile.png` });

    const serious = async (target: Page | Frame, options: object) => {
      await target.evaluate(AXE);
      const result = await target.evaluate(
        (o) =>
          (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<unknown> } }).axe.run(
            document,
            o,
          ),
        options,
      );
      const { violations } = result as {
        violations: { id: string; impact: string; nodes: { target: unknown; failureSummary: string }[] }[];
      };
      return violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, nodes: v.nodes.map((n) => [n.target, n.failureSummary]) }));
    };
    expect(await serious(frame, {}), 'the chat page in the panel').toEqual([]);
    expect(await serious(page, { iframes: false }), 'the widget on the shop page').toEqual([]);

    await page.locator('baton-widget .close').click();
    await panel().waitFor({ state: 'hidden' });
    expect(await focused()).toBe('launcher');
  });
});

describe('framing by a site that is not allowed', () => {
  it('gets no chat: the page refuses to be framed there', async () => {
    const stranger = await startHostSite();
    try {
      const tag = `<script src="${h.baton.url}/widget.js" async></script>`;
      stranger.set('/', { csp: strictCsp(h.baton.url), body: shopHtml({ body: tag }) });
      await page.goto(`${stranger.url}/`);
      await launcher().click();
      const frame = await (await page.locator('baton-widget iframe').elementHandle())?.contentFrame();
      await expect.poll(() => frame?.url(), { timeout: WAIT }).toMatch(/^chrome-error:/);
      expect(problems.join('\n')).toMatch(/frame-ancestors/);
      problems = []; // the refusal above is the expected outcome, not a fault
    } finally {
      await stranger.close();
    }
  });
});

describe('serving the widget', () => {
  it('serves widget.js to other sites within budget and lets only allowed origins frame the page', async () => {
    const widget = await fetch(`${h.baton.url}/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toMatch(/javascript/);
    expect(widget.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const gzipped = gzipSync(Buffer.from(await widget.arrayBuffer())).length;
    expect(gzipped, `widget.js is ${gzipped} bytes gzipped`).toBeLessThanOrEqual(30 * 1024);

    const pageRes = await fetch(`${h.baton.url}/?embed=1`);
    const csp = pageRes.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`frame-ancestors 'self' ${site.url}`);
    expect(pageRes.headers.get('x-frame-options')).toBeNull();
    expect(pageRes.headers.get('cross-origin-resource-policy')).toBe('same-site');

    const plain = await startHarness();
    try {
      const own = await fetch(`${plain.baton.url}/`);
      expect(own.headers.get('content-security-policy')).toContain("frame-ancestors 'self';");
      expect(own.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    } finally {
      await plain.stop();
    }
    expect(
      framingOrigins([
        '*',
        'https://shop.example',
        'https://a.example/path',
        'https://b.example; script-src *',
      ]),
    ).toEqual(['https://shop.example']);
  });
});
