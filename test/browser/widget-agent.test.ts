// The agent as the customer sees them, and the customer's own messages on their way, inside the
// widget on a shop with a strict CSP, in headless Chromium against the real Baton and the local
// Slack workspace: the agent's Slack picture in the header and beside their messages (loaded under
// the chat page's CSP, or the initial when it cannot load); sending → sent, and failed → Retry → sent.
// Screenshots go to /tmp/shots-agent/ to be looked at.
import { mkdirSync } from 'node:fs';
import type { Browser, Frame, Locator, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listMessages } from '../../src/conversation/message-repository.js';
import { SANDBOX_AGENT_DANA } from '../../src/sandbox/default-workspace.js';
import { launchChromium } from '../support/chromium.js';
import { type HostSite, shopHtml, startHostSite, strictCsp } from '../support/host-page.js';
import { type WidgetPage, newWidgetPage } from '../support/widget-page.js';
import { type Harness, startHarness, waitForCard } from '../integration/harness.js';

const WAIT = 10_000;
const SHOTS = '/tmp/shots-agent';
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];

let browser: Browser;
let h: Harness;
let site: HostSite;
let w: WidgetPage | undefined;
/** Console lines a test causes on purpose (a refused picture, a cut request): not faults. */
let expectedProblems: RegExp[] = [];

beforeAll(async () => {
  browser = await launchChromium('the widget agent and message-state browser test');
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  expectedProblems = [];
  site = await startHostSite();
  h = await startHarness({ ALLOWED_ORIGINS: site.url });
  const tag = `<script src="${h.baton.url}/widget.js" data-baton-title="Northwind support" async></script>`;
  site.set('/', { csp: strictCsp(h.baton.url), body: shopHtml({ body: tag }) });
});
afterEach(async () => {
  const problems = (w?.problems ?? []).filter((p) => !expectedProblems.some((re) => re.test(p)));
  await w?.context.close();
  w = undefined;
  await h?.stop();
  await site?.close();
  expect(problems, 'no page errors, console errors or CSP violations').toEqual([]);
});

async function openChat(viewport: { width: number; height: number }) {
  w = await newWidgetPage(browser, viewport);
  await w.page.goto(`${site.url}/`);
  await w.launcher().waitFor({ timeout: WAIT });
  await w.launcher().click();
  return w.frame();
}

async function shot(f: Frame, selector: string, name: string) {
  await f.locator(selector).last().scrollIntoViewIfNeeded();
  await w!.page.screenshot({ path: `${SHOTS}/${name}.png` });
}

/** Asks for a person, Dana claims and answers; returns Dana's message in the panel. */
async function danaJoinsAndAnswers(f: Frame): Promise<Locator> {
  await f.fill('#input', 'Can I talk to a person please?');
  await f.press('#input', 'Enter');
  await f.locator('#status-label', { hasText: 'Waiting for a person' }).waitFor({ timeout: WAIT });
  const card = await waitForCard(h.sandbox);
  const ch = h.sandbox.handoffChannelId;
  await h.sandbox.clickButton(SANDBOX_AGENT_DANA, ch, card.ts, 'baton_claim');
  await f.locator('#status-label', { hasText: 'Chatting with Dana' }).waitFor({ timeout: WAIT });
  await f.locator('.msg--system', { hasText: 'Dana has joined' }).waitFor({ timeout: WAIT });
  await h.sandbox.postMessageAs(SANDBOX_AGENT_DANA, ch, 'Hi, Dana here. How can I help?', {
    threadTs: card.ts,
  });
  const fromDana = f.locator('.msg--agent', { hasText: 'Dana here' });
  await fromDana.waitFor({ timeout: WAIT });
  return fromDana;
}

/** What the page knows of an <img>: loaded (with a size), its source, alt and referrer policy. */
const imageFacts = (img: Locator) =>
  img.evaluate((el: HTMLImageElement) => ({
    complete: el.complete,
    naturalWidth: el.naturalWidth,
    src: el.currentSrc,
    alt: el.alt,
    referrerPolicy: el.referrerPolicy,
    visible: getComputedStyle(el).opacity === '1',
  }));

describe("the agent's picture", () => {
  it.each(VIEWPORTS)('shows in the header and beside their messages on a $name', async (viewport) => {
    const f = await openChat(viewport);
    const fromDana = await danaJoinsAndAnswers(f);
    const picture = `${h.sandbox.url}/avatars/${SANDBOX_AGENT_DANA}_72.png`;

    const inMessage = fromDana.locator('.msg__avatar img');
    await inMessage.and(f.locator('.avatar__img--loaded')).waitFor({ timeout: WAIT });
    expect(await imageFacts(inMessage)).toEqual({
      complete: true,
      naturalWidth: 72,
      src: picture,
      alt: 'Photo of Dana',
      referrerPolicy: 'no-referrer',
      visible: true,
    });
    const inHeader = f.locator('#status .header-avatar img');
    await inHeader.and(f.locator('.avatar__img--loaded')).waitFor({ timeout: WAIT });
    expect(await imageFacts(inHeader)).toMatchObject({ naturalWidth: 72, src: picture, visible: true });
    // Sized and round, like the initial it covers.
    const box = await inMessage.boundingBox();
    expect(box && Math.round(box.width)).toBe(24);
    expect(await inMessage.evaluate((el) => getComputedStyle(el).borderRadius)).toBe('50%');
    await shot(f, '.msg--agent', `agent-avatar-${viewport.name}`);
    await f.locator('#status').screenshot({ path: `${SHOTS}/agent-header-${viewport.name}.png` });
  });

  it('leaves the initial, with no broken image, when the picture cannot load', async () => {
    w = await newWidgetPage(browser, { width: 1280, height: 800 });
    // The picture's host answers 404, as a removed Slack avatar would.
    await w.context.route(
      (url) => url.pathname.startsWith('/avatars/'),
      (route) => route.fulfill({ status: 404, body: 'gone' }),
    );
    expectedProblems = [/avatars\/.*404|status of 404/];
    await w.page.goto(`${site.url}/`);
    await w.launcher().click();
    const f = await w.frame();
    const fromDana = await danaJoinsAndAnswers(f);

    const avatar = fromDana.locator('.msg__avatar');
    await expect.poll(() => avatar.locator('img').count(), { timeout: WAIT }).toBe(0);
    expect(await avatar.textContent()).toBe('D');
    expect(await avatar.isVisible()).toBe(true);
    const header = f.locator('#status .header-avatar');
    await expect.poll(() => header.locator('img').count(), { timeout: WAIT }).toBe(0);
    expect(await header.textContent()).toBe('D');
    await shot(f, '.msg--agent', 'agent-avatar-broken-desktop');
  });
});

/** Holds the chat's next POST of a message until released; the rest passes through. */
function holdNextSend(route: (handler: (r: Route) => Promise<void>) => void) {
  let release: (how: 'continue' | 'abort') => void = () => {};
  const released = new Promise<'continue' | 'abort'>((resolve) => (release = resolve));
  let held = false;
  route(async (r) => {
    if (held || r.request().method() !== 'POST') return r.continue();
    held = true;
    if ((await released) === 'abort') await r.abort('failed');
    else await r.continue();
  });
  return release;
}

describe("the customer's message states", () => {
  it.each(VIEWPORTS)(
    'goes sending → sent, failed → Retry → sent, and stays sent after a reload on a $name',
    async (viewport) => {
      const f = await openChat(viewport);
      const mine = f.locator('#messages > .msg--customer');
      const sentMarks = f.locator('#messages .msg__sent');
      const onMessages = (handler: (r: Route) => Promise<void>) =>
        void w!.context.route(
          (url) => /\/api\/v1\/conversations\/[^/]+\/messages$/.test(url.pathname),
          handler,
        );

      // Sending: held on the way to the server.
      let release = holdNextSend(onMessages);
      await f.fill('#input', 'Do you ship to Canada?');
      await f.press('#input', 'Enter');
      const first = mine.filter({ hasText: 'Do you ship to Canada?' });
      await first.and(f.locator('.msg--sending')).waitFor({ timeout: WAIT });
      expect(await first.locator('.msg__meta').textContent()).toBe('sending…');
      expect(await sentMarks.count()).toBe(0);
      await shot(f, '.msg--customer', `state-sending-${viewport.name}`);

      // Sent: the server answered with the stored message.
      release('continue');
      await first.locator('.msg__sent').waitFor({ timeout: WAIT });
      expect(await first.locator('.msg__sent').textContent()).toBe('✓Sent');
      expect(await first.locator('.msg__sent .visually-hidden').textContent()).toBe('Sent');
      expect(await first.evaluate((el) => el.classList.contains('msg--sending'))).toBe(false);
      await f.locator('.msg--bot').first().waitFor({ timeout: WAIT });
      await shot(f, '.msg', `state-sent-${viewport.name}`);

      // Failed: the request is cut. The mark leaves the earlier message; the failed one offers Retry.
      await w!.context.unrouteAll();
      release = holdNextSend(onMessages);
      release('abort');
      expectedProblems = [/net::ERR_FAILED/];
      await f.fill('#input', 'And to Mexico?');
      await f.press('#input', 'Enter');
      const second = mine.filter({ hasText: 'And to Mexico?' });
      await second.and(f.locator('.msg--failed')).waitFor({ timeout: WAIT });
      expect(await second.locator('.msg__retry').textContent()).toBe('Retry');
      expect(await sentMarks.count()).toBe(0);
      await shot(f, '.msg--failed', `state-failed-${viewport.name}`);

      // Retry: the same message, sent again and stored once.
      await second.locator('.msg__retry').click();
      await second.locator('.msg__sent').waitFor({ timeout: WAIT });
      expect(await sentMarks.count()).toBe(1);
      expect(await mine.filter({ hasText: 'And to Mexico?' }).count()).toBe(1);
      const id = JSON.parse(
        (await w!.page.evaluate((k) => sessionStorage.getItem(k), `baton.session ${h.baton.url}`)) ?? 'null',
      ) as { conversationId: string };
      const stored = await listMessages(h.baton.deps.db, id.conversationId);
      expect(stored.filter((m) => m.text === 'And to Mexico?')).toHaveLength(1);
      await shot(f, '.msg--customer', `state-retried-${viewport.name}`);

      // A reload reads the history: the latest of the customer's messages is sent, and only that one.
      await w!.context.unrouteAll();
      await w!.page.reload();
      await w!.launcher().waitFor({ timeout: WAIT });
      if (!(await w!.panel().isVisible())) await w!.launcher().click();
      const again = await w!.frame();
      const resumed = again.locator('#messages > .msg--customer', { hasText: 'And to Mexico?' });
      await resumed.locator('.msg__sent').waitFor({ timeout: WAIT });
      expect(await again.locator('#messages .msg__sent').count()).toBe(1);
    },
  );
});
