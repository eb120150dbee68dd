// Screenshots of the customer chat page after a short scripted conversation:
//   npx tsx scripts/chat-screenshot.ts
// Writes screenshots/chat-desktop.png (1280x800) and screenshots/chat-mobile.png (390x844).
// Uses the fake API server from the browser test; needs Chromium (CHROMIUM_PATH or /usr/bin/chromium).
import { mkdirSync } from 'node:fs';
import { launchChromium } from '../test/support/chromium.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { type FakeChatServer, startFakeServer } from '../test/browser/chat-page-fake-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = path.join(ROOT, 'screenshots');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function scriptedConversation(page: Page, fake: FakeChatServer) {
  await page.goto(fake.url);
  await page.fill('#input', 'Where is my order #10482? It was supposed to arrive yesterday.');
  await page.press('#input', 'Enter');
  await page.locator('.msg--bot').first().waitFor();
  const conv = fake.latest();

  await page.click('#handoff');
  await page.locator('#status-label', { hasText: 'Waiting for a person' }).waitFor();
  await sleep(200);
  fake.agentJoins(conv.id, 'Dana');
  await page.locator('.msg--system', { hasText: 'Dana has joined' }).waitFor();
  await sleep(200);
  fake.agentSays(
    conv.id,
    "Hi, I'm Dana! I can see order #10482 was delayed at the depot — it's out for delivery today. Tracking: https://track.northwind.example/10482",
  );
  await page.locator('.msg--agent').first().waitFor();
  await page.fill('#input', 'Great, thank you Dana!');
  await page.press('#input', 'Enter');
  await page.locator('.msg--customer:not(.msg--sending)', { hasText: 'Great, thank you' }).waitFor();
  await sleep(150);
  fake.agentSays(conv.id, "You're welcome! Anything else I can help with?");
  await page.locator('.msg--agent', { hasText: "You're welcome" }).waitFor();
  await sleep(300);
}

async function shoot(
  browser: Browser,
  fake: FakeChatServer,
  viewport: { width: number; height: number },
  file: string,
) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.error(`[page] ${msg.text()}`);
  });
  await scriptedConversation(page, fake);
  await page.locator('#input').blur();
  await page.screenshot({ path: path.join(OUT_DIR, file) });
  await context.close();
  console.log(`wrote screenshots/${file}`);
}

async function main() {
  mkdirSync(OUT_DIR, { recursive: true });
  const fake = await startFakeServer({ autoReplyDelayMs: 400 });
  const browser = await launchChromium('the chat page screenshots');
  try {
    await shoot(browser, fake, { width: 1280, height: 800 }, 'chat-desktop.png');
    await shoot(browser, fake, { width: 390, height: 844 }, 'chat-mobile.png');
  } finally {
    await browser.close();
    await fake.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
