// Inside the widget on a shop of another site, in headless Chromium against the real Baton, the local
// Slack workspace and a real SMTP server: "Email me this conversation" reaches the inbox, and a
// customer waiting for a person is told the queue and the usual wait from real claim times. On a
// desktop and a phone; screenshots go to /tmp/shots-transcript/ to be looked at.
import { mkdirSync } from 'node:fs';
import type { Browser, Frame } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertConversation } from '../../src/conversation/conversation-repository.js';
import { insertHandoff } from '../../src/handoff/handoff-repository.js';
import { SANDBOX_AGENT_DANA } from '../../src/sandbox/default-workspace.js';
import type { Db } from '../../src/storage/database.js';
import { launchChromium } from '../support/chromium.js';
import { type HostSite, shopHtml, startHostSite, strictCsp } from '../support/host-page.js';
import { type SmtpSink, startSmtp } from '../support/smtp-sink.js';
import { type WidgetPage, newWidgetPage, say } from '../support/widget-page.js';
import { type Harness, startHarness, waitForCard } from '../integration/harness.js';

const WAIT = 10_000;
const SHOTS = '/tmp/shots-transcript';
const SHOPPER = 'jamie.rivera@example.com';
const MIN = 60_000;

let browser: Browser;
let h: Harness;
let site: HostSite;
let smtp: SmtpSink;
let w: WidgetPage | undefined;

beforeAll(async () => {
  browser = await launchChromium('the widget transcript browser test');
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  site = await startHostSite();
  smtp = await startSmtp();
  h = await startHarness({ ALLOWED_ORIGINS: site.url, SMTP_URL: smtp.url, EMAIL_BRAND: 'Northwind Goods' });
  const tag = `<script src="${h.baton.url}/widget.js" data-baton-title="Northwind support" data-baton-email="${SHOPPER}" async></script>`;
  site.set('/', { csp: strictCsp(h.baton.url), body: shopHtml({ body: tag }) });
});
afterEach(async () => {
  const problems = w?.problems ?? [];
  await w?.context.close();
  w = undefined;
  await h?.stop();
  await smtp?.close();
  await site?.close();
  expect(problems, 'no page errors, console errors or CSP violations').toEqual([]);
});

async function openChat(viewport: { width: number; height: number }): Promise<Frame> {
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

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];

describe('email me this conversation, in the widget', () => {
  it.each(VIEWPORTS)('asks, confirms and the email arrives on a $name', async ({ name, width, height }) => {
    const f = await openChat({ width, height });
    // Nothing to email before the conversation has a message.
    expect(await f.locator('#transcript').isHidden()).toBe(true);
    await say(f, 'How long does standard shipping take?');
    await f.locator('.msg--bot').first().waitFor({ timeout: WAIT });
    const answer = (await f.locator('.msg--bot .msg__text').first().textContent()) ?? '';

    await f.click('#transcript-offer');
    // Prefilled with what the shop said about its signed-in shopper, sent only on the customer's click.
    expect(await f.inputValue('#transcript-email')).toBe(SHOPPER);
    await shot(f, '#transcript-card', `transcript-request-${name}`);
    const arrived = smtp.nextMail();
    await f.click('#transcript-form button[type="submit"]');
    await f.locator('#transcript-done', { hasText: `On its way to ${SHOPPER}` }).waitFor({ timeout: WAIT });
    expect(await f.locator('#transcript-offer').textContent()).toBe('Email it again');
    await shot(f, '#transcript-offer', `transcript-confirmed-${name}`);

    const mail = await arrived;
    expect(mail.rcptTo).toEqual([SHOPPER]);
    expect(mail.headers.get('subject')).toBe('Your conversation with Northwind Goods');
    const text = mail.parts.get('text/plain') ?? '';
    expect(text).toContain('How long does standard shipping take?');
    expect(text).toContain(answer.split('\n')[0]!.trim());
  });

  it('is offered again after the conversation is resolved and rated', async () => {
    const f = await openChat({ width: 1280, height: 800 });
    await say(f, 'How long does standard shipping take?');
    await f.locator('.msg--bot').first().waitFor({ timeout: WAIT });
    await f.click('#handoff');
    const card = await waitForCard(h.sandbox);
    const ch = h.sandbox.handoffChannelId;
    await h.sandbox.clickButton(SANDBOX_AGENT_DANA, ch, card.ts, 'baton_claim');
    await f.locator('#status-label', { hasText: 'Chatting with Dana' }).waitFor({ timeout: WAIT });
    await h.sandbox.waitFor(() =>
      h.sandbox
        .readChannel(ch)
        .find((m) => m.ts === card.ts && JSON.stringify(m.blocks).includes('baton_resolve')),
    );
    await h.sandbox.clickButton(SANDBOX_AGENT_DANA, ch, card.ts, 'baton_resolve');
    await f.locator('#csat-card').waitFor({ timeout: WAIT });
    await f.click('label[for="csat-5"]');
    await f.click('#csat-submit');
    await f.locator('#csat-done').waitFor({ timeout: WAIT });
    // Below the rating, the offer still stands, and works.
    const offer = f.locator('#transcript-offer');
    expect(await offer.isVisible()).toBe(true);
    await shot(f, '#transcript-offer', 'transcript-after-csat-desktop');
    const arrived = smtp.nextMail();
    await offer.click();
    await f.click('#transcript-form button[type="submit"]');
    const text = (await arrived).parts.get('text/plain') ?? '';
    expect(text).toContain('Dana has joined the conversation.');
    expect(text).toContain('Conversation resolved by Dana.');
  });

  it('says plainly when the address is not one', async () => {
    const f = await openChat({ width: 1280, height: 800 });
    await say(f, 'Hello');
    await f.click('#transcript-offer');
    await f.fill('#transcript-email', 'jamie at example');
    await f.click('#transcript-form button[type="submit"]');
    await f.locator('#transcript-error', { hasText: 'valid email address' }).waitFor({ timeout: WAIT });
    expect(await f.getAttribute('#transcript-email', 'aria-invalid')).toBe('true');
    await f.click('#transcript-cancel');
    expect(await f.locator('#transcript-card').isHidden()).toBe(true);
    expect(smtp.received).toEqual([]);
  });
});

/** Five claimed handoffs from the last hours (each took `waitMs`), and one customer still waiting. */
async function seedDesk(db: Db, channel: string, waitMs: number) {
  const now = Date.now();
  const summary = {
    issue: 'seeded',
    facts: { orderNumbers: [], emails: [], phoneNumbers: [], amounts: [] },
    tried: [],
  };
  for (let i = 0; i < 6; i++) {
    const id = `c_seededconversation${i}`;
    const asked = new Date(now - (i + 1) * 30 * MIN);
    await insertConversation(db, {
      id,
      tokenHash: '0'.repeat(64),
      customer: {},
      metadata: {},
      now: asked.toISOString(),
    });
    const handoff = {
      id: `h_seeded${i}`,
      reason: 'requested',
      detail: 'seeded',
      channel,
      summary,
      sentiment: 0,
      assignedTo: [],
      agentsAvailable: true,
    } as const;
    await insertHandoff(db, id, { ...handoff, assignedTo: [] }, asked.toISOString());
    if (i === 0) {
      // The one ahead: asked half an hour ago, nobody has taken it yet.
      await db.updateTable('conversations').set({ status: 'waiting' }).where('id', '=', id).execute();
      continue;
    }
    const claimedAt = new Date(asked.getTime() + waitMs).toISOString();
    await db
      .updateTable('handoffs')
      .set({ claimed_by: 'U0SEEDED', claimed_by_name: 'Sam', claimed_at: claimedAt })
      .where('id', '=', handoff.id)
      .execute();
  }
}

// On the desktop the customer presses "Talk to a person" (its answer carries the wait); on the phone
// they ask in words, the stream only says "waiting", and the chat fetches the wait itself.
const ASKING = [
  { ...VIEWPORTS[0]!, how: 'the button' },
  { ...VIEWPORTS[1]!, how: 'asking in words' },
];

describe('the wait, in the widget', () => {
  it.each(ASKING)('shows the queue and the usual wait on a $name, after $how', async (v) => {
    await seedDesk(h.baton.deps.db, h.sandbox.handoffChannelId, 3 * MIN + 20_000);
    const f = await openChat({ width: v.width, height: v.height });
    await say(f, 'How long does standard shipping take?');
    await f.locator('.msg--bot').first().waitFor({ timeout: WAIT });
    expect(await f.locator('#wait-line').isHidden()).toBe(true);
    if (v.how === 'the button') await f.click('#handoff');
    else await say(f, 'Can I talk to a person?');
    await f.locator('#status-label', { hasText: 'Waiting for a person…' }).waitFor({ timeout: WAIT });
    const line = f.locator('#wait-line');
    await line.waitFor({ timeout: WAIT });
    expect(await line.textContent()).toBe(
      '1 person is ahead of you. A person usually replies within about 4 minutes.',
    );
    await shot(f, '#wait-line', `wait-estimate-${v.name}`);
  });
});
