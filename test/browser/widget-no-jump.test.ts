// The launcher never shows in one place and then jumps to another: the admin's position and label
// come written into widget.js itself (widget-script-route.ts), so its first frame is its last word,
// and the shop's page makes no request of its own that its CSP would have to allow. Every animation
// frame records whether the launcher is visible, where and with what label.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_ADMIN_ALEX, SANDBOX_HANDOFF_CHANNEL_ID } from '../../src/sandbox/default-workspace.js';
import { launchChromium } from '../support/chromium.js';
import { type HostSite, shopHtml, startHostSite, strictCsp } from '../support/host-page.js';
import { type WidgetPage, newWidgetPage } from '../support/widget-page.js';
import { type Harness, slashCommand, startHarness } from '../integration/harness.js';

const DESKTOP = { width: 1280, height: 800 };
interface Seen {
  visible: boolean;
  x: number;
  label: string;
}

let browser: Browser;
let h: Harness;
let site: HostSite;
let w: WidgetPage | undefined;

beforeAll(async () => {
  browser = await launchChromium('the widget first-paint browser test');
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  site = await startHostSite();
  h = await startHarness({ ALLOWED_ORIGINS: site.url });
  for (const text of ['widget position left', 'widget label Help'])
    await slashCommand(h.sandbox, SANDBOX_ADMIN_ALEX, SANDBOX_HANDOFF_CHANNEL_ID, text);
});
afterEach(async () => {
  const problems = w?.problems ?? [];
  await w?.context.close();
  w = undefined;
  await h?.stop();
  await site?.close();
  expect(problems, 'no page errors, console errors or CSP violations').toEqual([]);
});

/** Opens the shop with every frame recorded, and every request the shop's page makes. */
async function visit(csp: string) {
  site.set('/', { csp, body: shopHtml({ body: `<script src="${h.baton.url}/widget.js" async></script>` }) });
  w = await newWidgetPage(browser, DESKTOP);
  await w.context.addInitScript(() => {
    const seen: unknown[] = [];
    Object.defineProperty(window, 'launcherSeen', { value: seen });
    const tick = () => {
      const l = document.querySelector('baton-widget')?.shadowRoot?.querySelector('.launcher');
      if (l) {
        seen.push({
          visible: getComputedStyle(l).visibility === 'visible',
          x: l.getBoundingClientRect().x,
          label: l.querySelector('.label')?.textContent,
        });
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const requests: string[] = [];
  w.page.on('request', (r) => {
    if (r.frame() === w!.page.mainFrame()) requests.push(r.url());
  });
  await w.page.goto(`${site.url}/`);
  await w.launcher().waitFor({ timeout: 5000 });
  await w.page.waitForTimeout(300); // a few more frames after it shows, for a late jump to be seen
  const seen = await w.page.evaluate(() => (window as unknown as { launcherSeen: Seen[] }).launcherSeen);
  return { seen, requests };
}

describe('the launcher’s first paint', () => {
  it('is in the admin’s corner with the admin’s label from the first frame it is in', async () => {
    const { seen } = await visit(strictCsp(h.baton.url));
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen)
      expect([s.visible, s.x < 640 ? 'left' : 'right', s.label]).toEqual([true, 'left', 'Help']);
    await w!.page.screenshot({ path: '/tmp/shots-a11y/launcher-left.png' });
  });

  it('needs no request from the shop’s page: a CSP that allows none changes nothing', async () => {
    const csp = strictCsp(h.baton.url).replace(/connect-src [^;]+/, "connect-src 'none'");
    const { seen, requests } = await visit(csp);
    expect(seen.every((s) => s.visible && s.x < 640 && s.label === 'Help')).toBe(true);
    // The shop's page loads itself and widget.js; everything else happens inside Baton's frame.
    expect(requests).toEqual([`${site.url}/`, `${h.baton.url}/widget.js`]);
  });
});
