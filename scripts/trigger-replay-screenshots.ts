// The trigger replay as an admin sees it in the local agent view:
//   npx tsx scripts/trigger-replay-screenshots.ts
// Holds six conversations with the real assistant, runs `/baton triggers test keywords add warranty
// shipping` as Alex (an admin), applies it, and opens App Home. Writes
// docs/images/agent-view-trigger-replay.png and docs/images/agent-view-trigger-lookback.png.
// Needs Chromium (CHROMIUM_PATH or /usr/bin/chromium).
import { launchChromium } from '../test/support/chromium.js';
import { startHarness } from '../test/integration/harness.js';
import { SANDBOX_ADMIN_ALEX } from '../src/sandbox/default-workspace.js';

const WAIT = 10_000;
const QUESTIONS = [
  'How long does standard shipping take?',
  'Is my warranty still valid after a year?',
  'can I talk to a real person',
  'Do you sell second-hand tractors for farms?',
  'Which payment methods do you accept?',
  'How do I reset my password?',
];

async function main() {
  const h = await startHarness({}, { conversationsPerMinute: 100, messagesPerMinute: 100 });
  h.sandbox.setRateLimits(false);
  const browser = await launchChromium('the trigger replay screenshots');
  try {
    for (const question of QUESTIONS) {
      const s = await h.chat.start({ customer: { name: 'Robin' } });
      await h.chat.send(s, question);
      await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author !== 'customer') || r.status !== 'bot');
      await h.baton.settle();
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (err) => console.error('pageerror:', err.message));
    await page.goto(`${h.sandbox.url}/`);
    await page.evaluate((user) => localStorage.setItem('baton.sandbox.user', user), SANDBOX_ADMIN_ALEX);
    await page.goto(`${h.sandbox.url}/`);
    await page.locator('#me-name', { hasText: 'Alex' }).waitFor({ timeout: WAIT });
    await page.fill('#composer-input', '/baton triggers test keywords add warranty shipping');
    await page.press('#composer-input', 'Enter');
    await page.getByText('Apply this change').waitFor({ timeout: WAIT });
    await page.screenshot({ path: 'docs/images/agent-view-trigger-replay.png' });
    // The button asks first (Slack's confirm dialog); the agent view shows it as the browser's own.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByText('Apply this change').click();
    await page.getByText('Done. added sensitive keywords').waitFor({ timeout: WAIT });
    await page.goto(`${h.sandbox.url}/#/home`);
    await page.getByText('Last trigger change').waitFor({ timeout: WAIT });
    await page.getByText('Last trigger change').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'docs/images/agent-view-trigger-lookback.png' });
    console.log('wrote docs/images/agent-view-trigger-replay.png and agent-view-trigger-lookback.png');
  } finally {
    await browser.close();
    await h.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
