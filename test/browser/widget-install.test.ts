// How a shop installs the widget, in headless Chromium on a shop of ANOTHER site with a strict CSP:
// the language (the browser's, or the tag's `data-baton-lang`), calls queued by the stub snippet
// before widget.js loads, the tag's data attributes alone, the chat page's slim header when framed, and
// the look an admin sets with `/baton widget` (served by GET /api/v1/widget-config).
import { createHash } from 'node:crypto';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findConversation } from '../../src/conversation/conversation-repository.js';
import {
  SANDBOX_ADMIN_ALEX,
  SANDBOX_AGENT_DANA,
  SANDBOX_HANDOFF_CHANNEL_ID,
} from '../../src/sandbox/default-workspace.js';
import { launchChromium } from '../support/chromium.js';
import { type HostSite, shopHtml, startHostSite, strictCsp } from '../support/host-page.js';
import { type WidgetPage, newWidgetPage, say } from '../support/widget-page.js';
import { type Harness, slashCommand, startHarness, waitForCard } from '../integration/harness.js';

const WAIT = 10_000;
const DESKTOP = { width: 1280, height: 800 };

let browser: Browser;
let h: Harness;
let site: HostSite;
let w: WidgetPage | undefined;

beforeAll(async () => {
  browser = await launchChromium('the widget install browser test');
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

/** Serves a shop page at `/` with the widget tag carrying `attrs`, and opens it in a new context. */
async function shop(
  attrs: string,
  { locale, head = '', scriptSrc = '' }: { locale?: string; head?: string; scriptSrc?: string } = {},
) {
  const tag = `<script src="${h.baton.url}/widget.js" ${attrs} async></script>`;
  site.set('/', { csp: strictCsp(h.baton.url, "'none'", scriptSrc), body: shopHtml({ head, body: tag }) });
  w = await newWidgetPage(browser, DESKTOP, locale);
  await w.page.goto(`${site.url}/`);
  await w.launcher().waitFor({ timeout: WAIT });
  return w;
}

describe('the widget speaks the shopper’s language', () => {
  it('shows German in the widget and the framed page for a German browser', async () => {
    const { page, launcher, panel, badge, frame } = await shop('', { locale: 'de-DE' });
    expect(await launcher().getAttribute('aria-label')).toBe('Chat');
    await launcher().click();
    expect(await panel().getAttribute('aria-label')).toBe('Schreiben Sie uns');
    expect(await page.locator('baton-widget .close').getAttribute('aria-label')).toBe('Chat schließen');
    const f = await frame();
    expect(f.url()).toContain('lang=de');
    expect(await f.evaluate(() => document.documentElement.lang)).toBe('de');
    expect(await f.locator('#handoff').textContent()).toContain('Mit einer Person sprechen');
    expect(await f.getAttribute('#input', 'placeholder')).toBe('Nachricht schreiben…');
    expect(await f.getAttribute('#send', 'aria-label')).toBe('Nachricht senden');
    expect(await f.locator('#status-label').textContent()).toBe('Assistent');
    expect(await f.locator('.intro__title').textContent()).toBe('Hallo!');
    await page.screenshot({ path: '/tmp/widget-shots/german-panel-desktop.png' });

    await f.click('#handoff');
    await f.locator('#status-label', { hasText: 'Warten auf eine Person…' }).waitFor({ timeout: WAIT });
    const card = await waitForCard(h.sandbox);
    const ch = h.sandbox.handoffChannelId;
    await h.sandbox.clickButton(SANDBOX_AGENT_DANA, ch, card.ts, 'baton_claim');
    await f.locator('#status-label', { hasText: 'Im Chat mit Dana' }).waitFor({ timeout: WAIT });
    await launcher().click();
    await panel().waitFor({ state: 'hidden' });
    await h.sandbox.postMessageAs(SANDBOX_AGENT_DANA, ch, 'Hallo, hier ist Dana.', { threadTs: card.ts });
    await badge().waitFor({ timeout: WAIT });
    expect(await launcher().getAttribute('aria-label')).toBe('Chat, 1 ungelesene Nachricht');
    // What the server writes (Dana's reply) stays as written; only the page's own words change.
    await launcher().click();
    await f.locator('.msg--agent', { hasText: 'Hallo, hier ist Dana.' }).waitFor({ timeout: WAIT });
  });

  it('lets data-baton-lang override the browser, and falls back to English for a language it lacks', async () => {
    const { launcher, frame } = await shop('data-baton-lang="de"', { locale: 'en-US' });
    await launcher().click();
    const f = await frame();
    expect(await f.locator('#handoff').textContent()).toContain('Mit einer Person sprechen');
    expect(w!.problems).toEqual([]);
    await w!.context.close();

    const fr = await shop('data-baton-lang="fr"', { locale: 'de-DE' });
    await fr.launcher().click();
    const g = await fr.frame();
    expect(await fr.panel().getAttribute('aria-label')).toBe('Chat with us');
    expect(await g.locator('#handoff').textContent()).toContain('Talk to a person');
  });
});

describe('installing without code', () => {
  it('replays calls the stub snippet queued before widget.js loaded, then takes both call styles', async () => {
    // The shop's one inline script, allowed by its hash: the stub, then calls made at once.
    const inline =
      'window.Baton=window.Baton||function(){(Baton.q=Baton.q||[]).push(arguments)};' +
      'window.shopLog=[];' +
      "Baton('on','open',function(){shopLog.push('open')});" +
      "Baton('on','message',function(m){shopLog.push('message:'+m.author)});" +
      "Baton('identify',{name:'Jamie Rivera',email:'jamie@example.com'});" +
      "Baton('setFields',{plan:'gold'});" +
      "Baton('open');";
    const hash = `'sha256-${createHash('sha256').update(inline).digest('base64')}'`;
    const { page, panel, frame } = await shop('', { head: `<script>${inline}</script>`, scriptSrc: hash });
    await panel().waitFor({ timeout: WAIT }); // the queued open
    const f = await frame();
    await expect.poll(() => f.evaluate(() => document.activeElement?.id), { timeout: WAIT }).toBe('input');
    await say(f, 'How long does standard shipping take?');
    await f.locator('.msg--bot').first().waitFor({ timeout: WAIT });
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { shopLog: string[] }).shopLog))
      .toEqual(['open', 'message:bot']);
    const s = JSON.parse(
      (await page.evaluate((k) => sessionStorage.getItem(k), `baton.session ${h.baton.url}`)) ?? 'null',
    ) as { conversationId: string };
    const saved = await findConversation(h.baton.deps.db, s.conversationId);
    expect(saved?.customer).toMatchObject({ name: 'Jamie Rivera', email: 'jamie@example.com' });
    expect(saved?.metadata).toEqual({ plan: 'gold' });

    // The stub is gone; the real API answers both ways and is not replaced by a second copy.
    const api = await page.evaluate(() => {
      const b = (window as unknown as { Baton: { q?: unknown; open?: unknown } }).Baton;
      return { q: 'q' in b, open: typeof b.open, fn: typeof b };
    });
    expect(api).toEqual({ q: false, open: 'function', fn: 'function' });
    await page.evaluate(() => (window as unknown as { Baton: (c: string) => void }).Baton('close'));
    await panel().waitFor({ state: 'hidden' });
    await page.evaluate(() => (window as unknown as { Baton: { open(): void } }).Baton.open());
    await panel().waitFor();
  });

  it('takes the shopper, custom fields and an open-on-load from the tag’s data attributes alone', async () => {
    const attrs =
      'data-baton-name="Jamie Rivera" data-baton-email="jamie@example.com" ' +
      'data-baton-field-cart-id="NW-482913" data-baton-open';
    const { page, panel, frame } = await shop(attrs);
    await panel().waitFor({ timeout: WAIT });
    const f = await frame();
    await say(f, 'Where is my order?');
    const s = JSON.parse(
      (await page.evaluate((k) => sessionStorage.getItem(k), `baton.session ${h.baton.url}`)) ?? 'null',
    ) as { conversationId: string };
    const saved = await findConversation(h.baton.deps.db, s.conversationId);
    expect(saved?.customer).toMatchObject({ name: 'Jamie Rivera', email: 'jamie@example.com' });
    expect(saved?.metadata).toEqual({ cartId: 'NW-482913' });
  });
});

describe('the chat page in the frame', () => {
  it('drops the repeated title but keeps who is answering and "Talk to a person"; / is unchanged', async () => {
    const { page, launcher, frame } = await shop('data-baton-title="Northwind support"');
    await launcher().click();
    const f = await frame();
    expect(await f.locator('.brand__name').isHidden()).toBe(true);
    expect(await f.locator('.brand__logo').isHidden()).toBe(true);
    expect(await f.locator('#status-label').isVisible()).toBe(true);
    const top = await f.locator('#handoff').evaluate((e) => e.getBoundingClientRect().top);
    expect(top, 'one click away, at the top of the frame').toBeLessThan(20);
    expect(await f.locator('#handoff').isVisible()).toBe(true);
    expect((await f.locator('.header').boundingBox())?.height).toBeLessThan(56);

    await page.goto(`${h.baton.url}/`);
    expect(await page.locator('.brand__name').isVisible()).toBe(true);
    expect(await page.locator('.brand__logo').isVisible()).toBe(true);
    expect(await page.locator('.header').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(
      'rgb(31, 95, 191)',
    );
  });
});

describe('the look an admin sets with /baton widget', () => {
  const admin = (text: string) =>
    slashCommand(h.sandbox, SANDBOX_ADMIN_ALEX, SANDBOX_HANDOFF_CHANNEL_ID, text);
  const background = (l: Locator) => l.evaluate((e) => getComputedStyle(e).backgroundColor);
  const GREEN = 'rgb(10, 125, 85)';

  it('reaches the launcher, the panel title and the framed page; the greeting shows on / too', async () => {
    await admin('widget color #0a7d55');
    await admin('widget title Northwind help');
    await admin('widget greeting Hi! Ask me anything about orders.');
    const { page, launcher, panel, frame } = await shop('');
    await expect.poll(() => background(launcher()), { timeout: WAIT }).toBe(GREEN);
    await launcher().click();
    expect(await page.locator('baton-widget .title').textContent()).toBe('Northwind help');
    expect(await panel().getAttribute('aria-label')).toBe('Northwind help');
    const f = await frame();
    expect(f.url()).toContain('color=%230a7d55');
    await f.fill('#input', 'Hello');
    await expect.poll(() => background(f.locator('#send'))).toBe(GREEN); // the send button matches the launcher
    expect(await f.locator('#greeting-text').textContent()).toBe('Hi! Ask me anything about orders.');
    expect(await f.locator('.intro').isHidden()).toBe(true);
    await expect.poll(() => f.evaluate(() => document.title)).toBe('Northwind help');
    await page.screenshot({ path: '/tmp/widget-shots/admin-look-desktop.png' });

    // The full page keeps its own colour (the shops' launcher colour is not its brand) but greets alike.
    await page.goto(`${h.baton.url}/`);
    await page.locator('#greeting').waitFor({ timeout: WAIT });
    expect(await page.locator('#greeting-text').textContent()).toBe('Hi! Ask me anything about orders.');
    expect(await page.locator('.intro').isHidden()).toBe(true);
    expect(await background(page.locator('.header'))).toBe('rgb(31, 95, 191)');
  });

  it('lets data-baton-color on the tag win over the server’s colour, in the frame too', async () => {
    await admin('widget color #0a7d55');
    await admin('widget title Northwind help');
    const { page, launcher, frame } = await shop('data-baton-color="#aa3300"');
    // The title proves the admin's look arrived with the script; the colour stayed the tag's.
    await expect
      .poll(() => page.locator('baton-widget .title').textContent(), { timeout: WAIT })
      .toBe('Northwind help');
    expect(await background(launcher())).toBe('rgb(170, 51, 0)');
    await launcher().click();
    const f = await frame();
    await f.fill('#input', 'Hello');
    await expect.poll(() => background(f.locator('#send'))).toBe('rgb(170, 51, 0)');
  });

  it('frames a panel opened on load in the admin’s colour from the start', async () => {
    await admin('widget color #0a7d55');
    const { launcher, frame } = await shop('data-baton-open');
    const f = await frame();
    expect(f.url(), 'the colour came with widget.js, before the frame was made').toContain('color=%230a7d55');
    expect(await background(launcher())).toBe(GREEN);
    await f.fill('#input', 'Hello');
    await expect.poll(() => background(f.locator('#send')), { timeout: WAIT }).toBe(GREEN);
  });
});
