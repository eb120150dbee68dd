// The whole product loop inside the widget on a shop of ANOTHER site with a strict CSP, in headless
// Chromium against the real Baton and the local Slack workspace: question, answer with articles,
// handoff, claim, relay both ways, resolve, CSAT; on a desktop and a phone; with the keyboard alone;
// and through a network drop. Screenshots go to /tmp/widget-shots/ to be looked at.
import { mkdirSync } from 'node:fs';
import type { Browser, Frame } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listMessages } from '../../src/conversation/message-repository.js';
import { SANDBOX_AGENT_DANA } from '../../src/sandbox/default-workspace.js';
import { launchChromium } from '../support/chromium.js';
import { type HostSite, shopHtml, startHostSite, strictCsp } from '../support/host-page.js';
import { type WidgetPage, newWidgetPage, say } from '../support/widget-page.js';
import { type Harness, startHarness, waitForCard } from '../integration/harness.js';

const WAIT = 10_000;
const SHOTS = '/tmp/widget-shots';

let browser: Browser;
let h: Harness;
let site: HostSite;
let w: WidgetPage | undefined;

beforeAll(async () => {
  browser = await launchChromium('the widget loop browser test');
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  site = await startHostSite();
  h = await startHarness({ ALLOWED_ORIGINS: site.url });
  const tag = `<script src="${h.baton.url}/widget.js" data-baton-title="Northwind support" async></script>`;
  site.set('/', { csp: strictCsp(h.baton.url), body: shopHtml({ body: tag }) });
});
afterEach(async () => {
  const problems = w?.problems ?? [];
  await w?.context.close();
  w = undefined;
  await h?.stop();
  await site?.close();
  expect(problems, 'no page errors, console errors or CSP violations').toEqual([]);
});

async function visit(viewport: { width: number; height: number }) {
  w = await newWidgetPage(browser, viewport);
  await w.page.goto(`${site.url}/`);
  await w.launcher().waitFor({ timeout: WAIT });
  return w;
}

/** The conversation's id as the chat page saved it (the widget's copy: this Chromium blocks the frame's). */
async function conversationId(): Promise<string> {
  const raw = await w!.page.evaluate((k) => sessionStorage.getItem(k), `baton.session ${h.baton.url}`);
  return (JSON.parse(raw ?? 'null') as { conversationId: string }).conversationId;
}

/** Scrolls the chat so `selector` is in view, then screenshots the shop page with the open panel. */
async function shot(f: Frame, selector: string, name: string) {
  await f.locator(selector).last().scrollIntoViewIfNeeded();
  await w!.page.screenshot({ path: `${SHOTS}/${name}.png` });
}

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];

describe('the full loop inside the widget', () => {
  it.each(VIEWPORTS)('question to rating on a $name', async ({ name, width, height }) => {
    const { launcher, frame } = await visit({ width, height });
    await launcher().click();
    const f = await frame();
    await say(f, 'How long does standard shipping take?');
    const answer = f.locator('.msg--bot').first();
    await answer.waitFor({ timeout: WAIT });
    expect(await answer.locator('.msg__text').textContent()).toMatch(/business days/i);
    expect(await answer.locator('.msg__articles a').count()).toBeGreaterThan(0);
    await shot(f, '.msg--bot', `loop-answer-${name}`);

    await f.click('#handoff');
    await f.locator('#status-label', { hasText: 'Waiting for a person…' }).waitFor({ timeout: WAIT });
    await shot(f, '.msg', `loop-waiting-${name}`);

    const card = await waitForCard(h.sandbox);
    const ch = h.sandbox.handoffChannelId;
    await h.sandbox.clickButton(SANDBOX_AGENT_DANA, ch, card.ts, 'baton_claim');
    await f.locator('#status-label', { hasText: 'Chatting with Dana' }).waitFor({ timeout: WAIT });
    const danaSays = 'Hi, Dana here. Your parcel NW-482913 left our warehouse this morning.';
    await h.sandbox.postMessageAs(SANDBOX_AGENT_DANA, ch, danaSays, { threadTs: card.ts });
    const fromDana = f.locator('.msg--agent', { hasText: 'Dana here' });
    await fromDana.waitFor({ timeout: WAIT });
    expect(await fromDana.locator('.msg__name').textContent()).toBe('Dana');
    expect(await fromDana.locator('.msg__text').textContent()).toBe(danaSays);
    await shot(f, '.msg--agent', `loop-agent-reply-${name}`);

    await say(f, 'Great, thank you!');
    await h.sandbox.waitFor(() =>
      h.sandbox.readThread(ch, card.ts).find((m) => m.text.includes('Great, thank you!')),
    );
    // The card is redrawn with its Resolve button once the claim commits.
    await h.sandbox.waitFor(() =>
      h.sandbox
        .readChannel(ch)
        .find((m) => m.ts === card.ts && JSON.stringify(m.blocks).includes('baton_resolve')),
    );
    await h.sandbox.clickButton(SANDBOX_AGENT_DANA, ch, card.ts, 'baton_resolve');
    await f.locator('#csat-card').waitFor({ timeout: WAIT });
    expect(await f.isDisabled('#input')).toBe(true);
    await shot(f, '#csat-card', `loop-csat-${name}`);
    await f.click('label[for="csat-4"]');
    await f.click('#csat-submit');
    await f.locator('#csat-done', { hasText: 'Thanks for your feedback' }).waitFor({ timeout: WAIT });
    await h.sandbox.waitFor(() =>
      h.sandbox.readChannel(ch).find((m) => m.ts === card.ts && JSON.stringify(m.blocks).includes('(4/5)')),
    );
  });
});

describe('with the keyboard alone', () => {
  it('opens, sends, asks for a person, closes and reopens with Tab, Shift+Tab, Enter and Escape', async () => {
    const { page, launcher, panel, frame, focused, focusedInFrame } = await visit({
      width: 1280,
      height: 800,
    });
    const press = (key: string) => page.keyboard.press(key);
    await press('Tab'); // the shop page has nothing focusable before the launcher
    expect(await focused()).toBe('launcher');
    await press('Enter');
    await panel().waitFor();
    const f = await frame();
    await expect.poll(focusedInFrame, { timeout: WAIT }).toBe('input');
    await page.keyboard.type('How long does standard shipping take?');
    await press('Enter');
    await f.locator('.msg--bot').first().waitFor({ timeout: WAIT });

    // Back from the composer, past the answer's article links, to "Talk to a person".
    for (let i = 0; i < 10 && (await focusedInFrame()) !== 'handoff'; i++) await press('Shift+Tab');
    expect(await focusedInFrame()).toBe('handoff');
    await press('Enter');
    await f.locator('#status-label', { hasText: 'Waiting for a person…' }).waitFor({ timeout: WAIT });
    // The button is gone now; focus went on to the composer rather than to nowhere.
    await expect.poll(focusedInFrame).toBe('input');

    await press('Escape');
    await panel().waitFor({ state: 'hidden' });
    expect(await focused()).toBe('launcher');
    expect(await launcher().getAttribute('aria-expanded')).toBe('false');
    await press('Enter');
    await panel().waitFor();
    await expect.poll(focusedInFrame, { timeout: WAIT }).toBe('input');
    expect(await f.locator('#status-label').textContent()).toBe('Waiting for a person…');
    // Tab from the (empty) composer leaves the chat for the page: the panel does not trap focus.
    await press('Tab');
    expect(await focused()).toBe('launcher');
  });
});

describe('a network drop while the panel is open', () => {
  it('shows the offline banner, sends what was typed meanwhile once back, and resumes the stream', async () => {
    const { context, launcher, frame } = await visit({ width: 1280, height: 800 });
    await launcher().click();
    const f = await frame();
    await say(f, 'How long does standard shipping take?');
    await f.locator('.msg--bot').first().waitFor({ timeout: WAIT });

    await context.setOffline(true);
    await f.locator('#connection', { hasText: "You're offline" }).waitFor({ timeout: WAIT });
    const typed = 'Do you ship to Canada?';
    await f.fill('#input', typed);
    await f.press('#input', 'Enter');
    const waiting = f.locator('.msg--customer.msg--failed', { hasText: typed });
    await waiting.waitFor({ timeout: WAIT });
    expect(await waiting.locator('.msg__failed').textContent()).toContain(
      "Will send when you're back online",
    );
    await w!.page.screenshot({ path: `${SHOTS}/offline-desktop.png` });

    await context.setOffline(false);
    await f.locator('#connection').waitFor({ state: 'hidden', timeout: WAIT });
    await f.locator('.msg--customer:not(.msg--failed):not(.msg--sending)', { hasText: typed }).waitFor({
      timeout: WAIT,
    });
    // The answer to it comes over the resumed stream.
    await expect.poll(() => f.locator('.msg--bot').count(), { timeout: WAIT }).toBe(2);
    await f.evaluate(() => new Promise((r) => setTimeout(r, 500))); // room for a stray duplicate
    expect(await f.locator('.msg--customer', { hasText: typed }).count()).toBe(1);
    expect(await f.locator('.msg--bot').count()).toBe(2);
    const stored = await listMessages(h.baton.deps.db, await conversationId());
    expect(stored.filter((m) => m.text === typed)).toHaveLength(1);
    expect(stored.map((m) => m.author)).toEqual(['customer', 'bot', 'customer', 'bot']);
    // The browser logs the send that failed while offline: that is the case under test, not a fault.
    const expected = (p: string) => p.includes('net::ERR_INTERNET_DISCONNECTED');
    w!.problems.splice(0, w!.problems.length, ...w!.problems.filter((p) => !expected(p)));
  });
});
