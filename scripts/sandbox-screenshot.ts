// Starts the local Slack workspace with demo content, opens the agent view in headless
// Chromium and saves screenshots/sandbox-channel.png and screenshots/sandbox-thread.png.
// Run: npx tsx scripts/sandbox-screenshot.ts
import { mkdirSync } from 'node:fs';
import { launchChromium } from '../test/support/chromium.js';

import { startSlackSandbox } from '../src/sandbox/create-sandbox.js';
import { CARD_HEADER, seedDemo } from '../src/sandbox/ui/demo-seed.js';

async function main(): Promise<void> {
  const sandbox = await startSlackSandbox({
    port: 0,
    signingSecret: 'local-sandbox-signing-secret',
    botToken: 'xoxb-local-sandbox',
    rateLimits: false,
  });
  const browser = await launchChromium('the sandbox screenshots');
  try {
    const seed = await seedDemo(sandbox);
    const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
    page.on('pageerror', (err) => console.error('pageerror:', err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') console.error('console:', msg.text());
    });
    mkdirSync('screenshots', { recursive: true });
    await page.goto(`${sandbox.url}/`);
    await page.getByText(CARD_HEADER).waitFor();
    await page.screenshot({ path: 'screenshots/sandbox-channel.png' });
    await page.goto(`${sandbox.url}/#/${sandbox.handoffChannelId}/${seed.cardTs}`);
    await page.locator('#thread .msg').nth(2).waitFor();
    await page.screenshot({ path: 'screenshots/sandbox-thread.png' });
    console.log('saved screenshots/sandbox-channel.png and screenshots/sandbox-thread.png');
  } finally {
    await browser.close();
    await sandbox.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
