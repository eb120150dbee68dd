// Accessibility of the widget beyond the phone panel (widget.test.ts scans that): axe-core on the
// closed launcher, the open panel on a desktop in English and German, the panel waiting for a person,
// Baton's own page at `/`; and a shop's light `data-baton-color` still giving readable text (AA).
import type { Browser, Locator } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seriousViolations, computedContrast } from '../support/axe.js';
import { launchChromium } from '../support/chromium.js';
import { type HostSite, shopHtml, startHostSite, strictCsp } from '../support/host-page.js';
import { type WidgetPage, newWidgetPage, say } from '../support/widget-page.js';
import { type Harness, startHarness } from '../integration/harness.js';

const WAIT = 10_000;
const DESKTOP = { width: 1280, height: 800 };
const SHOTS = '/tmp/shots-a11y';

let browser: Browser;
let h: Harness;
let site: HostSite;
let w: WidgetPage | undefined;

beforeAll(async () => {
  browser = await launchChromium('the widget accessibility browser test');
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  site = await startHostSite();
  h = await startHarness({ ALLOWED_ORIGINS: site.url });
});
afterEach(async () => {
  const problems = w?.problems ?? [];
  await w?.context.close();
  w = undefined;
  await h?.stop();
  await site?.close();
  expect(problems, 'no page errors, console errors or CSP violations').toEqual([]);
});

async function shop(attrs = '', locale?: string) {
  const tag = `<script src="${h.baton.url}/widget.js" ${attrs} async></script>`;
  site.set('/', { csp: strictCsp(h.baton.url), body: shopHtml({ body: tag }) });
  w = await newWidgetPage(browser, DESKTOP, locale);
  await w.page.goto(`${site.url}/`);
  await w.launcher().waitFor({ timeout: WAIT });
  return w;
}

/** The text's contrast on its own background, both as the browser computes them. */
const contrastOf = (l: Locator) =>
  l.evaluate((e) => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor] as const);

describe('axe-core finds no serious or critical violation', () => {
  it('on the closed launcher, the open panel in English, and the panel waiting for a person', async () => {
    const { page, launcher, frame } = await shop();
    expect(await seriousViolations(page), 'the closed launcher').toEqual([]);
    await launcher().click();
    const f = await frame();
    await say(f, 'Do you ship to Canada?');
    await f.locator('.msg--bot').first().waitFor({ timeout: WAIT });
    expect(await seriousViolations(f), 'the chat in the panel').toEqual([]);
    expect(await seriousViolations(page, { iframes: false }), 'the open widget').toEqual([]);

    await f.click('#handoff');
    await f.locator('#status-label', { hasText: 'Waiting for a person…' }).waitFor({ timeout: WAIT });
    expect(await seriousViolations(f), 'the panel waiting for a person').toEqual([]);
  });

  it('on the open panel in German on a desktop', async () => {
    const { page, launcher, frame } = await shop('', 'de-DE');
    await launcher().click();
    const f = await frame();
    expect(await f.locator('#handoff').textContent()).toContain('Mit einer Person sprechen');
    expect(await seriousViolations(f), 'the German chat in the panel').toEqual([]);
    expect(await seriousViolations(page, { iframes: false }), 'the open German widget').toEqual([]);
    await page.screenshot({ path: `${SHOTS}/panel-german-desktop.png` });
  });

  it('on Baton’s own chat page at /', async () => {
    w = await newWidgetPage(browser, DESKTOP);
    await w.page.goto(`${h.baton.url}/`);
    await w.page.locator('#input').waitFor({ timeout: WAIT });
    expect(await seriousViolations(w.page), 'the full chat page').toEqual([]);
  });
});

describe('a light data-baton-color on the tag', () => {
  it('gets dark text on the launcher, the title bar and the framed page’s accent (AA)', async () => {
    const { page, launcher, frame } = await shop('data-baton-color="#ffeb3b"');
    expect(await launcher().evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(255, 235, 59)');
    const [fg, bg] = await contrastOf(launcher());
    expect(fg).toBe('rgb(17, 17, 17)');
    expect(computedContrast(fg, bg)).toBeGreaterThanOrEqual(4.5);
    await page.screenshot({ path: `${SHOTS}/launcher-light-colour.png` });

    await launcher().click();
    expect(computedContrast(...(await contrastOf(page.locator('baton-widget .bar'))))).toBeGreaterThanOrEqual(
      4.5,
    );
    const f = await frame();
    await say(f, 'Where is my order?');
    await f.fill('#input', 'Hello');
    for (const part of ['#send', '.msg--customer .msg__bubble']) {
      const l = f.locator(part).first();
      // The send button fades from its disabled grey once there is text: polled to its end.
      await expect.poll(async () => (await contrastOf(l))[1], { message: part }).toBe('rgb(255, 235, 59)');
      expect(computedContrast(...(await contrastOf(l))), part).toBeGreaterThanOrEqual(4.5);
    }
    // "Talk to a person" is the colour as text on white: a darker shade of it.
    const [link] = await contrastOf(f.locator('#handoff'));
    expect(computedContrast(link, 'rgb(255, 255, 255)')).toBeGreaterThanOrEqual(4.5);
    expect(await seriousViolations(f), 'the chat in the light colour').toEqual([]);
    expect(await seriousViolations(page, { iframes: false }), 'the widget in the light colour').toEqual([]);
    await page.screenshot({ path: `${SHOTS}/panel-light-colour.png` });
  });
});
