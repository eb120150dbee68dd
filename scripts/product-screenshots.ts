// Screenshots of the whole product loop against the real Baton and its local Slack workspace:
//   npx tsx scripts/product-screenshots.ts
// Writes screenshots/product-*.png (1280x800): the customer's chat answer, the handoff card before
// the claim, the claimed thread, the customer talking with Dana, the CSAT prompt, the resolved card, a
// policy question answered with the offer of a person, and a refund request's card with its signal.
// Needs Chromium (CHROMIUM_PATH or /usr/bin/chromium).
import { mkdirSync } from 'node:fs';
import { launchChromium } from '../test/support/chromium.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { startHarness } from '../test/integration/harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = path.join(ROOT, 'screenshots');
const WAIT = 10_000;
const VIEWPORT = { width: 1280, height: 800 };

async function newPage(browser: Browser, label: string): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.error(`[${label}] ${msg.text()}`);
  });
  page.on('pageerror', (err) => console.error(`[${label}] pageerror: ${err.message}`));
  return page;
}

async function shot(page: Page, file: string) {
  // Let layout and scroll settle for the picture (the flow itself waits on elements, not time).
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  await page.screenshot({ path: path.join(OUT_DIR, file) });
  console.log(`wrote screenshots/${file}`);
}

async function customerSays(customer: Page, text: string) {
  await customer.fill('#input', text);
  await customer.press('#input', 'Enter');
  await customer.locator('.msg--customer:not(.msg--sending)', { hasText: text }).waitFor({ timeout: WAIT });
}

async function main() {
  mkdirSync(OUT_DIR, { recursive: true });
  const h = await startHarness();
  const browser = await launchChromium('the product screenshots');
  try {
    const customer = await newPage(browser, 'customer');
    const agent = await newPage(browser, 'agent');

    const query = new URLSearchParams({
      name: 'Jamie Rivera',
      email: 'jamie@example.com',
      pageUrl: 'https://shop.northwind.example/orders/NW-482913',
    });
    await customer.goto(`${h.baton.url}/?${query}`);
    await customerSays(customer, 'How long does standard shipping take?');
    await customer.locator('.msg--bot .msg__articles a').first().waitFor({ timeout: WAIT });
    await customer.locator('#typing').waitFor({ state: 'hidden' });
    await customer.locator('#input').blur();
    await shot(customer, 'product-chat-answer.png');

    await agent.goto(`${h.sandbox.url}/`);
    await agent.locator('#me-name', { hasText: 'Dana' }).waitFor({ timeout: WAIT });

    await customer.locator('#handoff').click();
    await customer.locator('#status-label', { hasText: 'Waiting for a person' }).waitFor({ timeout: WAIT });
    const card: Locator = agent.locator('#messages .msg', { has: agent.locator('.bk-header') });
    await card.getByRole('button', { name: 'Claim' }).waitFor({ timeout: WAIT });
    await shot(agent, 'product-agent-card.png');

    await card.getByRole('button', { name: 'Claim' }).click();
    await customer.locator('#status-label', { hasText: 'Chatting with Dana' }).waitFor({ timeout: WAIT });
    await card.getByText('Claimed by').waitFor({ timeout: WAIT });
    await card.hover();
    await card.getByTitle('Reply in thread').click();
    await agent.locator('#thread:not([hidden])').waitFor({ timeout: WAIT });
    await agent.fill(
      '#reply-input',
      'Hi Jamie, Dana here! Standard shipping is 3–5 business days. Is there an order you want me to check?',
    );
    await agent.press('#reply-input', 'Enter');
    await customer.locator('.msg--agent', { hasText: 'Dana here' }).waitFor({ timeout: WAIT });
    await customerSays(customer, 'Yes please, order NW-482913 <!channel> <img src=x onerror=alert(1)>');
    await agent.locator('#thread .msg', { hasText: 'Yes please' }).waitFor({ timeout: WAIT });
    await agent.fill('#reply-input', 'It left our warehouse yesterday and should arrive Thursday.');
    await agent.press('#reply-input', 'Enter');
    await customer.locator('.msg--agent', { hasText: 'arrive Thursday' }).waitFor({ timeout: WAIT });
    await agent.locator('#thread .msg', { hasText: 'arrive Thursday' }).waitFor({ timeout: WAIT });
    await agent.mouse.move(0, 0);
    await shot(agent, 'product-agent-claimed-thread.png');
    await customer.locator('#input').blur();
    await shot(customer, 'product-chat-claimed.png');

    agent.once('dialog', (dialog) => void dialog.accept());
    await card.getByRole('button', { name: 'Resolve' }).click();
    await customer.locator('#csat-card').waitFor({ timeout: WAIT });
    await shot(customer, 'product-chat-csat.png');

    await customer.click('label[for="csat-5"]');
    await customer.fill('#csat-comment', 'Quick and friendly, thanks Dana!');
    await customer.click('#csat-submit');
    await customer.locator('#csat-done').waitFor({ timeout: WAIT });
    await card.getByText('(5/5)').waitFor({ timeout: WAIT });
    await agent.mouse.move(0, 0);
    await shot(agent, 'product-agent-resolved.png');

    // A question about a sensitive policy is answered, a person one click away; asking for the action
    // hands off, and the card says which signal fired, on which words, how sure.
    const second = await newPage(browser, 'second customer');
    await second.goto(`${h.baton.url}/?${new URLSearchParams({ name: 'Sam Okafor' })}`);
    await customerSays(second, "what's your refund policy?");
    await second.locator('.msg--bot', { hasText: 'Talk to a person' }).waitFor({ timeout: WAIT });
    await second.locator('#typing').waitFor({ state: 'hidden' });
    await second.locator('#input').blur();
    await shot(second, 'product-chat-policy-answer.png');
    await customerSays(second, 'ok then I want my money back for order NW-482913, the lamp arrived broken');
    await second.locator('#status-label', { hasText: 'Waiting for a person' }).waitFor({ timeout: WAIT });
    const desk = await newPage(browser, 'agent, fresh view');
    await desk.goto(`${h.sandbox.url}/`);
    const sensitive = desk.locator('#messages .msg', { hasText: 'asked for a refund' });
    await sensitive.waitFor({ timeout: WAIT });
    await sensitive.locator('.bk-header').scrollIntoViewIfNeeded();
    await desk.evaluate(() => {
      const all = document.querySelectorAll('#messages .msg');
      const header = all.item(all.length - 1)?.querySelector('.bk-header');
      header?.scrollIntoView({ block: 'start' });
    });
    await shot(desk, 'product-agent-card-signal.png');
  } finally {
    await browser.close();
    await h.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
