// Delivery marks as the customer's widget reports them, in headless Chromium on a shop page against
// the real Baton and the local Slack workspace: an agent's reply shown in the open panel gets ✓ and 👀
// in Slack; a reply that arrives while the panel is closed gets ✓ (the page received it) but 👀 only
// once the customer opens the panel and it is on screen.
import type { Browser, Frame } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_AGENT_DANA as DANA } from '../../src/sandbox/default-workspace.js';
import { launchChromium } from '../support/chromium.js';
import { type HostSite, shopHtml, startHostSite, strictCsp } from '../support/host-page.js';
import { type WidgetPage, newWidgetPage } from '../support/widget-page.js';
import { type Harness, startHarness, waitForCard } from '../integration/harness.js';

const WAIT = 10_000;

let browser: Browser;
let h: Harness;
let site: HostSite;
let w: WidgetPage | undefined;

beforeAll(async () => {
  browser = await launchChromium('the widget receipts browser test');
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  site = await startHostSite();
  h = await startHarness({ ALLOWED_ORIGINS: site.url });
  h.sandbox.setRateLimits(false);
  const tag = `<script src="${h.baton.url}/widget.js" async></script>`;
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

const marks = (channel: string, ts: string) => h.sandbox.reactionsOn(channel, ts).map((r) => r.name);

describe('widget delivery receipts', () => {
  it('reports a reply seen only while it is on screen', async () => {
    w = await newWidgetPage(browser, { width: 1280, height: 800 });
    await w.page.goto(`${site.url}/`);
    await w.launcher().click();
    const f: Frame = await w.frame();
    await f.fill('#input', 'Can I talk to a person please?');
    await f.press('#input', 'Enter');
    await f.locator('#status-label', { hasText: 'Waiting for a person' }).waitFor({ timeout: WAIT });
    const card = await waitForCard(h.sandbox);
    const ch = card.channel;
    await h.sandbox.clickButton(DANA, ch, card.ts, 'baton_claim');
    await f.locator('#status-label', { hasText: 'Chatting with Dana' }).waitFor({ timeout: WAIT });

    // Panel open: shown, so delivered and seen.
    const first = await h.sandbox.postMessageAs(DANA, ch, 'Hi, Dana here.', { threadTs: card.ts });
    await f.locator('.msg--agent', { hasText: 'Dana here' }).waitFor({ timeout: WAIT });
    await h.sandbox.waitFor(() => marks(ch, first.ts).includes('eyes'), WAIT);
    expect(marks(ch, first.ts)).toEqual(['white_check_mark', 'eyes']);

    // Panel closed: the page receives the reply (✓) but nothing shows it.
    await w.launcher().click();
    await w.page.locator('baton-widget .panel[hidden]').waitFor({ state: 'attached', timeout: WAIT });
    const second = await h.sandbox.postMessageAs(DANA, ch, 'Your parcel left today.', { threadTs: card.ts });
    await h.sandbox.waitFor(() => marks(ch, second.ts).includes('white_check_mark'), WAIT);
    // Receipts go out within 250 ms of a change; a second is more than enough to see a wrong one.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(marks(ch, second.ts)).toEqual(['white_check_mark']);

    // Opened: now it is on screen.
    await w.launcher().click();
    await f.locator('.msg--agent', { hasText: 'parcel left today' }).waitFor({ timeout: WAIT });
    await h.sandbox.waitFor(() => marks(ch, second.ts).includes('eyes'), WAIT);
  });
});
