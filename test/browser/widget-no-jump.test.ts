// The launcher never shows in one place and then jumps to another: an admin's position and label
// (GET /api/v1/widget-config) arrive after widget.js has drawn it, so it stays unseen until they do,
// for at most half a second, and a config request that hangs or is blocked never keeps it away.
// Every animation frame records whether the launcher is visible, where and with what label.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_ADMIN_ALEX, SANDBOX_HANDOFF_CHANNEL_ID } from '../../src/sandbox/default-workspace.js';
import { launchChromium } from '../support/chromium.js';
import { type HostSite, shopHtml, startHostSite, strictCsp } from '../support/host-page.js';
import { type WidgetPage, newWidgetPage } from '../support/widget-page.js';
import { type Harness, slashCommand, startHarness } from '../integration/harness.js';

const DESKTOP = { width: 1280, height: 800 };
interface Seen {
  t: number;
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

/** Opens the shop with every frame recorded; `config` decides what happens to the config request. */
async function visit(csp: string, config?: (route: { continue(): Promise<void> }) => Promise<void> | void) {
  site.set('/', { csp, body: shopHtml({ body: `<script src="${h.baton.url}/widget.js" async></script>` }) });
  w = await newWidgetPage(browser, DESKTOP);
  await w.context.addInitScript(() => {
    const seen: unknown[] = [];
    Object.defineProperty(window, 'launcherSeen', { value: seen });
    const tick = (t: number) => {
      const l = document.querySelector('baton-widget')?.shadowRoot?.querySelector('.launcher');
      if (l) {
        const visible = getComputedStyle(l).visibility === 'visible';
        seen.push({
          t,
          visible,
          x: l.getBoundingClientRect().x,
          label: l.querySelector('.label')?.textContent,
        });
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  if (config) await w.page.route(`${h.baton.url}/api/v1/widget-config`, config);
  await w.page.goto(`${site.url}/`);
  await w.launcher().waitFor({ timeout: 5000 });
  await w.page.waitForTimeout(300); // a few more frames after it shows, for a late jump to be seen
  const seen = await w.page.evaluate(() => (window as unknown as { launcherSeen: Seen[] }).launcherSeen);
  // From the end of widget.js's download (its Resource Timing) to the first frame it is visible in.
  const loaded = await w.page.evaluate(
    () =>
      (
        performance
          .getEntriesByType('resource')
          .find((e) => e.name.endsWith('/widget.js')) as PerformanceResourceTiming
      ).responseEnd,
  );
  return { seen, shownAfter: seen.find((s) => s.visible)!.t - loaded };
}

describe('the launcher’s first paint', () => {
  it('is in the admin’s corner with the admin’s label when the config answers slowly', async () => {
    const slow = async (route: { continue(): Promise<void> }) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      await route.continue();
    };
    const { seen } = await visit(strictCsp(h.baton.url), slow);
    const shown = seen.filter((s) => s.visible);
    expect(shown.length).toBeGreaterThan(0);
    for (const s of shown) expect([s.x < 640 ? 'left' : 'right', s.label]).toEqual(['left', 'Help']);
    expect(
      seen.filter((s) => !s.visible).length,
      'drawn but unseen while the config was on its way (the test saw the window it is about)',
    ).toBeGreaterThan(0);
    await w!.page.screenshot({ path: '/tmp/shots-a11y/launcher-left.png' });
  });

  it('shows in the default corner at the cap while the config request hangs', async () => {
    const { seen, shownAfter } = await visit(strictCsp(h.baton.url), () => {}); // never answered
    expect(shownAfter, 'held back until the cap (500 ms)').toBeGreaterThanOrEqual(400);
    expect(shownAfter, 'but not much longer').toBeLessThan(1500);
    expect(seen.filter((s) => s.visible).every((s) => s.x > 640 && s.label === 'Chat')).toBe(true);
  });

  it('shows at once, well before the cap, when the shop’s CSP blocks the request', async () => {
    const csp = strictCsp(h.baton.url).replace(/connect-src [^;]+/, "connect-src 'none'");
    const { shownAfter } = await visit(csp);
    expect(shownAfter).toBeLessThan(400);
    // The browser's own report of the blocked request is expected; nothing else.
    expect(w!.problems.filter((p) => !/connect-src|Content Security Policy/.test(p))).toEqual([]);
    w!.problems.length = 0;
  });
});
