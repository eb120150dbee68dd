import type { Browser, BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** A shop page in its own browser context, watched for errors, with the widget's parts at hand. */
export interface WidgetPage {
  context: BrowserContext;
  page: Page;
  /** Page errors, console errors and CSP violations seen so far (the test expects none). */
  problems: string[];
  launcher(): Locator;
  panel(): Locator;
  badge(): Locator;
  /** The chat page in the widget's frame, once its modules run (embed mode is on). */
  frame(): Promise<Frame>;
  /** What has focus, seen through the widget's shadow root: 'launcher', 'iframe', 'button' or another tag. */
  focused(): Promise<string | undefined>;
  /** The id of the element focused inside the chat frame. */
  focusedInFrame(): Promise<string | undefined>;
}

/**
 * Opens a fresh context (its own storage: a new shopper) at `viewport`, in `locale` when given, with
 * CSP violations reported as console errors so a test fails on them.
 */
export async function newWidgetPage(
  browser: Browser,
  viewport: { width: number; height: number },
  locale?: string,
): Promise<WidgetPage> {
  const context = await browser.newContext({ viewport, ...(locale ? { locale } : {}) });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console (${msg.location().url}): ${msg.text()}`);
  });
  const frame = async () => {
    const handle = await page.locator('baton-widget iframe').elementHandle({ timeout: 10_000 });
    const f = await handle?.contentFrame();
    if (!f) throw new Error('no chat frame');
    await expect
      .poll(() => f.evaluate(() => document.documentElement.dataset.embed).catch(() => undefined), {
        timeout: 10_000,
      })
      .toBe('1');
    return f;
  };
  return {
    context,
    page,
    problems,
    launcher: () => page.locator('baton-widget .launcher'),
    panel: () => page.locator('baton-widget .panel'),
    badge: () => page.locator('baton-widget .badge'),
    frame,
    focused: () =>
      page.evaluate(() => {
        const inner = document.activeElement?.shadowRoot?.activeElement;
        if (inner) return inner.classList.contains('launcher') ? 'launcher' : inner.tagName.toLowerCase();
        return document.activeElement?.tagName.toLowerCase();
      }),
    focusedInFrame: async () => (await frame()).evaluate(() => document.activeElement?.id),
  };
}

/** Types `text` into the chat's composer, sends it with Enter and waits until the server has it. */
export async function say(frame: Frame, text: string) {
  await frame.fill('#input', text);
  await frame.press('#input', 'Enter');
  await frame
    .locator('.msg--customer:not(.msg--sending):not(.msg--failed)', { hasText: text })
    .waitFor({ timeout: 10_000 });
}
