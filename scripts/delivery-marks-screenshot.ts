// Delivery marks as the agent sees them in the local agent view:
//   npx tsx scripts/delivery-marks-screenshot.ts
// Dana claims a chat and replies twice: the customer's page reports the first received and shown
// (✓ 👀); the second never reaches them, and 2 minutes later (a moved clock) Baton marks it ⚠ and says
// why in the thread. Writes docs/images/agent-view-delivery-marks.png. Needs Chromium.
import { launchChromium } from '../test/support/chromium.js';
import { startHarness } from '../test/integration/harness.js';
import { waitForCard } from '../test/integration/harness.js';
import { SANDBOX_AGENT_DANA as DANA } from '../src/sandbox/default-workspace.js';

const WAIT = 10_000;
let skewMs = 0;

async function main() {
  const h = await startHarness({}, undefined, () => new Date(Date.now() + skewMs));
  h.sandbox.setRateLimits(false);
  const browser = await launchChromium('the delivery marks screenshot');
  try {
    const s = await h.chat.start({ customer: { name: 'Robin Fischer' } });
    await h.chat.send(s, 'My parcel NW-482913 has not arrived, can a person check?');
    await h.chat.waitFor(s, (r) => r.status !== 'bot' || r.messages.some((m) => m.author === 'bot'));
    await h.chat.handoff(s);
    const card = await waitForCard(h.sandbox, (t) => t.includes(s.id));
    await h.sandbox.clickButton(DANA, card.channel, card.ts, 'baton_claim');
    await h.chat.waitFor(s, (r) => r.status === 'claimed');
    const first = await h.sandbox.postMessageAs(
      DANA,
      card.channel,
      'Hi Robin, Dana here. Let me check with the courier.',
      {
        threadTs: card.ts,
      },
    );
    const seq = await h.chat.waitFor(s, (r) => r.messages.find((m) => m.author === 'agent')?.seq);
    await h.chat.call('POST', `/conversations/${s.id}/receipts`, s.token, { delivered: seq, seen: [seq] });
    await h.sandbox.waitFor(() => h.sandbox.reactionsOn(card.channel, first.ts).length === 2, WAIT);
    await h.sandbox.postMessageAs(DANA, card.channel, 'It is at the depot and goes out tomorrow morning.', {
      threadTs: card.ts,
    });
    await h.baton.settle();
    skewMs = 3 * 60_000;
    await h.baton.runJobs();
    await h.sandbox.waitFor(
      () => h.sandbox.readThread(card.channel, card.ts).some((m) => m.text.includes('has not reached')),
      WAIT,
    );
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(`${h.sandbox.url}/#/${card.channel}/${card.ts}`);
    await page.getByText('has not reached the customer').waitFor({ timeout: WAIT });
    await page.locator('.reaction').first().waitFor({ timeout: WAIT });
    await page.screenshot({ path: 'docs/images/agent-view-delivery-marks.png' });
    console.log('wrote docs/images/agent-view-delivery-marks.png');
  } finally {
    await browser.close();
    await h.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
