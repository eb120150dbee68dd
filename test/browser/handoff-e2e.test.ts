// The whole product loop in headless Chromium, two pages side by side, no fakes: the real Baton
// (startHarness: chat API, assistant, Bolt, outbox, in-memory SQLite) against the real local Slack
// workspace. The customer uses the chat page Baton serves; the agent (Dana, the default user) uses
// the workspace's agent view.
import { launchChromium } from '../support/chromium.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_AGENT_DANA } from '../../src/sandbox/default-workspace.js';
import { type Harness, startHarness } from '../integration/harness.js';

const WAIT = 10_000;
const HOSTILE = '<!channel> <img src=x onerror=alert(1)>';

let browser: Browser;
let h: Harness;
let customerContext: BrowserContext;
let agentContext: BrowserContext;
let customer: Page;
let agent: Page;
let problems: string[];

/** Collects page errors, console errors and CSP violations of one page under a label. */
function watch(page: Page, label: string) {
  page.on('pageerror', (err) => problems.push(`${label} pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`${label} console: ${msg.text()}`);
  });
  page.on('dialog', (dialog) => {
    // The Resolve button carries Slack's confirm dialog, which the agent view shows as a native confirm.
    if (dialog.type() === 'confirm' && dialog.message().startsWith('Resolve this conversation?')) {
      void dialog.accept();
      return;
    }
    problems.push(`${label} dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
}

async function newPage(label: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Report CSP violations explicitly too (Chromium also logs them as console errors).
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  const page = await context.newPage();
  watch(page, label);
  return { context, page };
}

beforeAll(async () => {
  browser = await launchChromium('the handoff end-to-end browser test');
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  problems = [];
  h = await startHarness();
  ({ context: customerContext, page: customer } = await newPage('customer'));
  ({ context: agentContext, page: agent } = await newPage('agent'));
});

afterEach(async () => {
  await customerContext?.close();
  await agentContext?.close();
  await h?.stop();
  expect(problems, 'no page errors, console errors or CSP violations on either page').toEqual([]);
});

async function customerSays(text: string) {
  await customer.fill('#input', text);
  await customer.press('#input', 'Enter');
  await customer.locator('.msg--customer:not(.msg--sending)', { hasText: text }).waitFor({ timeout: WAIT });
}

describe('handoff loop in two browsers', () => {
  it('answers, hands off, relays both ways, resolves and shows the CSAT score on the card', async () => {
    const channel = h.sandbox.handoffChannelId;

    // ---- The customer asks a knowledge-base question and gets an answer with article links.
    const query = new URLSearchParams({
      name: 'Jamie Rivera',
      // An email in the link is ignored (a link anyone can send must not decide where replies go).
      email: 'attacker@evil.example',
      pageUrl: 'https://shop.northwind.example/orders/NW-482913',
    });
    await customer.goto(`${h.baton.url}/?${query}`);
    await customer.locator('#input').waitFor();
    await customerSays('How long does standard shipping take?');
    const answer = customer.locator('.msg--bot').first();
    await answer.waitFor({ timeout: WAIT });
    expect(await answer.locator('.msg__name').textContent()).toBe('Assistant');
    expect(await answer.locator('.msg__text').textContent()).toMatch(/business days/i);
    const links = answer.locator('.msg__articles a');
    expect(await links.count()).toBeGreaterThan(0);
    expect(await links.first().textContent()).toMatch(/shipping/i);
    expect(await links.first().getAttribute('href')).toMatch(/^https:\/\/help\.northwind\.example\//);
    expect(await customer.locator('#status-label').textContent()).toBe('Assistant');

    // ---- The agent view opens as Dana, on #support-handoffs, with nothing to do yet.
    await agent.goto(`${h.sandbox.url}/`);
    await expect.poll(() => agent.locator('#me-name').textContent(), { timeout: WAIT }).toBe('Dana Reyes');
    await expect.poll(() => agent.locator('#main-title').textContent()).toBe('#support-handoffs');

    // ---- The customer asks for a person.
    await customer.locator('#handoff').click();
    await customer.locator('#status-label', { hasText: 'Waiting for a person' }).waitFor({ timeout: WAIT });
    await customer.locator('#handoff').waitFor({ state: 'hidden' });

    // ---- The handoff card shows up live in the agent view, with what an agent needs to pick it up.
    const card = agent.locator('#messages .msg', {
      has: agent.locator('.bk-header', { hasText: 'Customer asked for a person' }),
    });
    await card.waitFor({ timeout: WAIT });
    const cardText = (await card.textContent()) ?? '';
    for (const expected of [
      'Why',
      'Sentiment',
      'Jamie Rivera',
      'https://shop.northwind.example/orders/NW-482913',
      'Summary',
      'Suggested articles',
      'Last messages',
      'How long does standard shipping take?',
      'Waiting for an agent',
    ]) {
      expect(cardText, `card shows ${expected}`).toContain(expected);
    }
    expect(cardText).not.toContain('evil.example');
    // Formatting renders: labels are bold, not stars.
    expect(cardText).not.toContain('*Why*');
    expect(await card.locator('a', { hasText: /shipping/i }).count()).toBeGreaterThan(0);
    const claim = card.getByRole('button', { name: 'Claim' });
    await claim.waitFor();
    const cardTs = await card.getAttribute('data-ts');
    expect(cardTs).toBeTruthy();

    // ---- Dana claims it; the customer sees Dana join and the header change.
    await claim.click();
    await customer.locator('.msg--system', { hasText: 'Dana has joined' }).waitFor({ timeout: WAIT });
    await customer.locator('#status-label', { hasText: 'Chatting with Dana' }).waitFor({ timeout: WAIT });
    await card.getByText('Claimed by').waitFor({ timeout: WAIT });
    expect(await card.getByRole('button', { name: 'Claim' }).count()).toBe(0);
    expect(await card.getByRole('button', { name: 'Resolve' }).count()).toBe(1);

    // ---- Dana opens the card's thread and replies; the reply reaches the customer as Dana.
    await card.hover();
    await card.getByTitle('Reply in thread').click();
    await agent.locator('#thread:not([hidden])').waitFor({ timeout: WAIT });
    expect(agent.url()).toContain(`#/${channel}/${cardTs}`);
    const danaSays =
      'Hi Jamie, Dana here. Standard shipping is 3–5 business days; want me to check an order?';
    await agent.fill('#reply-input', danaSays);
    await agent.press('#reply-input', 'Enter');
    await agent.locator('#thread .msg', { hasText: 'Dana here' }).waitFor({ timeout: WAIT });
    const fromDana = customer.locator('.msg--agent', { hasText: 'Dana here' });
    await fromDana.waitFor({ timeout: WAIT });
    expect(await fromDana.locator('.msg__text').textContent()).toBe(danaSays);
    expect(await fromDana.locator('.msg__name').textContent()).toBe('Dana');

    // ---- The customer answers with hostile text: literal on both sides, no element, no mention.
    const reply = `Yes please, order NW-482913 ${HOSTILE}`;
    await customerSays(reply);
    const inThread = agent.locator('#thread .thread-replies .msg', { hasText: 'Yes please' });
    await inThread.waitFor({ timeout: WAIT });
    expect(await inThread.textContent()).toContain(HOSTILE);
    expect(await customer.locator('.msg--customer .msg__text', { hasText: 'Yes please' }).textContent()).toBe(
      reply,
    );
    // The only images are the agent's Slack picture (header and beside Dana's messages), from the workspace.
    for (const page of [customer, agent]) {
      expect(await page.locator('img:not(.avatar__img)').count(), 'no img element').toBe(0);
    }
    const pictures = await customer
      .locator('img.avatar__img')
      .evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src));
    expect(new Set(pictures)).toEqual(new Set([`${h.sandbox.url}/avatars/${SANDBOX_AGENT_DANA}_72.png`]));
    expect(await inThread.locator('.mention').count(), 'no mention in the relayed text').toBe(0);
    expect(await agent.locator('.mention.broadcast').count(), 'no @channel anywhere').toBe(0);
    const stored = h.sandbox.readThread(channel, cardTs ?? '').find((m) => m.text.includes('Yes please'));
    expect(stored?.text).not.toContain('<!channel>');

    // ---- Dana resolves from the card; the customer is asked to rate the chat.
    await card.getByRole('button', { name: 'Resolve' }).click();
    await customer.locator('#status-label', { hasText: 'Conversation resolved' }).waitFor({ timeout: WAIT });
    await customer.locator('#csat-card').waitFor({ timeout: WAIT });
    expect(await customer.isDisabled('#input')).toBe(true);
    await card.getByText('Resolved by').waitFor({ timeout: WAIT });
    expect(await card.getByText('awaiting rating').count()).toBe(1);
    expect(await card.locator('.bk-button').count(), 'no Claim or Resolve left').toBe(0);

    // ---- The customer rates 5; the score shows on the card.
    await customer.click('label[for="csat-5"]');
    await customer.click('#csat-submit');
    await customer.locator('#csat-done', { hasText: 'Thanks for your feedback' }).waitFor({ timeout: WAIT });
    await card.getByText('(5/5)').waitFor({ timeout: WAIT });
    expect(await card.textContent()).toContain('★★★★★');
  });
});
