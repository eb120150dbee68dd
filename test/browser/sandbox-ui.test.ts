// Drives the sandbox's agent view (src/sandbox/ui) in headless Chromium against a real
// local Slack workspace; content is posted through the real @slack/web-api WebClient.
import { launchChromium } from '../support/chromium.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebClient } from '@slack/web-api';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSlackSandbox } from '../../src/sandbox/create-sandbox.js';
import {
  CARD_HEADER,
  type DemoSeed,
  HOSTILE_RENDERED,
  sandboxClient,
  seedDemo,
} from '../../src/sandbox/ui/demo-seed.js';

type Sandbox = Awaited<ReturnType<typeof startSlackSandbox>>;

let browser: Browser;
let sandbox: Sandbox;
let client: WebClient;
let seed: DemoSeed;
let context: BrowserContext;
let page: Page;
let problems: string[];

beforeAll(async () => {
  browser = await launchChromium('the sandbox UI browser test');
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  sandbox = await startSlackSandbox({
    port: 0,
    signingSecret: 'browser-test-signing-secret',
    botToken: 'xoxb-local-sandbox',
    rateLimits: false,
  });
  client = sandboxClient(sandbox);
  seed = await seedDemo(sandbox, client);
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  problems = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error' && !text.startsWith('Failed to load resource'))
      problems.push(`console: ${text}`);
  });
});

afterEach(async () => {
  await context?.close();
  await sandbox?.close();
  expect(problems, 'no page errors or CSP violations').toEqual([]);
});

async function open(hash = '') {
  await page.goto(`${sandbox.url}/${hash}`);
  await page.getByText(CARD_HEADER).first().waitFor();
}

describe('sandbox agent view', () => {
  it('renders the handoff card, keeps hostile text literal and reports a click Baton never got', async () => {
    await open();
    const card = page.locator('#messages .msg', { has: page.locator('.bk-header') });
    expect(await card.locator('.bk-header').textContent()).toContain(CARD_HEADER);
    expect(await card.locator('.bk-fields .bk-field').count()).toBe(4);
    const claim = card.getByRole('button', { name: 'Claim' });
    expect(await claim.getAttribute('class')).toContain('bk-primary');

    expect(await card.textContent()).toContain(HOSTILE_RENDERED);
    expect(await page.locator('a[href*="evil.example"]').count()).toBe(0);
    expect(await page.locator('.mention.broadcast', { hasText: '@channel' }).count()).toBe(0);
    // The legitimate <!here> and mentions in Baton's own text do render as mentions.
    expect(await page.locator('.mention.broadcast', { hasText: '@here' }).count()).toBeGreaterThan(0);
    expect(await page.locator('.mention', { hasText: '@Dana' }).count()).toBe(1);
    // The seeded tip was posted before this page loaded: like Slack, a (re)load does not bring it back.
    expect(await page.locator('.ephemeral').count()).toBe(0);
    await client.chat.postEphemeral({
      channel: sandbox.handoffChannelId,
      user: seed.agentId,
      text: 'Tip: type `/baton help` to see what Baton can do here.',
    });
    await expect.poll(() => page.locator('.ephemeral', { hasText: 'Only visible to you' }).count()).toBe(1);

    await claim.click();
    await page.locator('.toast', { hasText: 'Baton didn' }).waitFor();
    const clicks = sandbox.deliveries().filter((d) => d.kind === 'interaction');
    expect(clicks).toHaveLength(1);
    expect(clicks[0]?.result.status).toBe(0);
    expect(decodeURIComponent(clicks[0]?.body ?? '')).toContain('handoff_claim');
  });

  it('opens the thread and posts a reply as the chosen person, escaped like a Slack client', async () => {
    await open();
    await page.locator('.reply-bar').first().click();
    await page.locator('#thread:not([hidden])').waitFor();
    expect(page.url()).toContain(`#/${sandbox.handoffChannelId}/${seed.cardTs}`);
    expect(await page.locator('#thread .msg').count()).toBe(3);

    await page.fill('#reply-input', 'On it <b>now</b> @sam');
    await page.press('#reply-input', 'Enter');
    const stored = await sandbox.waitFor(
      () => sandbox.readThread(sandbox.handoffChannelId, seed.cardTs).find((m) => m.text.startsWith('On it')),
      5000,
    );
    expect(stored.user).toBe(seed.agentId);
    expect(stored.text).toBe('On it &lt;b&gt;now&lt;/b&gt; <@U0AGENTSAM>');
    const shown = page.locator('#thread .msg', { hasText: 'On it' });
    await shown.waitFor();
    expect(await shown.locator('.md').textContent()).toBe('On it <b>now</b> @Sam');
    expect(await page.locator('#thread b').count()).toBe(0);
  });

  it('follows deep links and shows Baton’s new posts live, without reloading', async () => {
    await open(`#/${sandbox.handoffChannelId}/${seed.replyTs}`);
    await page.locator('#thread .msg.highlight', { hasText: 'Taking a look' }).waitFor();
    await page.evaluate(() => {
      (window as unknown as { stillHere: boolean }).stillHere = true;
    });
    await client.chat.postMessage({
      channel: sandbox.handoffChannelId,
      text: 'Fresh *handoff* just arrived',
    });
    await page.locator('#messages strong', { hasText: 'handoff' }).waitFor({ timeout: 3000 });
    await client.chat.postMessage({
      channel: sandbox.handoffChannelId,
      thread_ts: seed.cardTs,
      text: 'Live reply',
    });
    await page.locator('#thread .msg', { hasText: 'Live reply' }).waitFor({ timeout: 3000 });
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  });

  it('shows reactions Baton adds as pills under the message, live', async () => {
    await open(`#/${sandbox.handoffChannelId}/${seed.cardTs}`);
    await page.locator('#thread:not([hidden])').waitFor();
    await page.evaluate(() => {
      (window as unknown as { stillHere: boolean }).stillHere = true;
    });
    const channel = sandbox.handoffChannelId;
    await client.reactions.add({ channel, timestamp: seed.cardTs, name: 'eyes' });
    await client.reactions.add({ channel, timestamp: seed.cardTs, name: 'party_parrot' });
    await client.reactions.add({ channel, timestamp: seed.replyTs, name: 'white_check_mark' });

    const card = page.locator(`#messages .msg[data-ts="${seed.cardTs}"]`);
    const eyes = card.locator('.reaction', { hasText: '👀' });
    await eyes.waitFor({ timeout: 3000 });
    expect(await eyes.getAttribute('title')).toBe(':eyes: by Baton');
    expect(await card.locator('.reaction').allTextContents()).toEqual(['👀1', ':party_parrot:1']);
    const reply = page.locator(`#thread .msg[data-ts="${seed.replyTs}"] .reaction`);
    await reply.waitFor({ timeout: 3000 });
    expect(await reply.textContent()).toBe('✅1');

    await client.reactions.remove({ channel, timestamp: seed.cardTs, name: 'eyes' });
    await expect.poll(() => card.locator('.reaction').allTextContents()).toEqual([':party_parrot:1']);
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  });

  it('switches the person acting, and remembers the choice', async () => {
    await open();
    await page.click('#me-button');
    await page.locator('.menu-item', { hasText: 'Sam Patel' }).click();
    await expect.poll(() => page.locator('#me-name').textContent()).toBe('Sam Patel');
    // Dana's ephemeral tip is not Sam's to see.
    await expect.poll(() => page.locator('.ephemeral').count()).toBe(0);
    await page.reload();
    await page.getByText(CARD_HEADER).first().waitFor();
    expect(await page.locator('#me-name').textContent()).toBe('Sam Patel');
    await page.fill('#composer-input', 'Sam here');
    await page.press('#composer-input', 'Enter');
    const posted = await sandbox.waitFor(
      () => sandbox.readChannel(sandbox.handoffChannelId).find((m) => m.text === 'Sam here'),
      5000,
    );
    expect(posted.user).toBe('U0AGENTSAM');
  });

  it('opens App Home once and shows its empty state when Baton publishes nothing', async () => {
    await open();
    await page.click('#home-link');
    await page.locator('#home .empty', { hasText: 'hasn’t published an App Home' }).waitFor();
    expect(await page.locator('#main-title').textContent()).toBe('Baton');
    await expect
      .poll(() => sandbox.deliveries().filter((d) => d.body.includes('app_home_opened')).length)
      .toBe(1);
    expect(await page.locator('#composer').isVisible()).toBe(false);
  });

  it('runs slash commands and modals against an app', async () => {
    const app = await startFakeApp(client);
    try {
      sandbox.setAppRequestUrl(app.url);
      await open();
      await page.fill('#composer-input', '/baton claim conv_8f2a');
      await page.press('#composer-input', 'Enter');
      const note = page.locator('.ephemeral', { hasText: 'Claimed' });
      await note.waitFor({ timeout: 3000 });
      expect(await note.locator('strong').textContent()).toBe('conv_8f2a');
      expect(app.commands[0]).toMatchObject({ command: '/baton', text: 'claim conv_8f2a' });

      await page.getByRole('button', { name: 'View transcript' }).first().click();
      const dialog = page.getByRole('dialog', { name: 'Add a note' });
      await dialog.waitFor({ timeout: 3000 });
      expect(await dialog.locator('textarea').inputValue()).toBe('Draft');
      await dialog.locator('textarea').fill('Refund issued');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => app.submissions.length).toBe(1);
      expect(app.submissions[0]).toEqual({
        note: { note_input: { type: 'plain_text_input', value: 'Refund issued' } },
      });
      await dialog.waitFor({ state: 'detached', timeout: 3000 });
    } finally {
      await app.close();
    }
  });
});

/** A minimal stand-in for Baton: answers /baton, opens a modal on "View transcript", records submissions. */
async function startFakeApp(web: WebClient) {
  const commands: Record<string, string>[] = [];
  const submissions: unknown[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString('utf8');
    });
    req.on('end', async () => {
      const form = new URLSearchParams(raw);
      if (form.has('command')) {
        commands.push(Object.fromEntries(form.entries()));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            response_type: 'ephemeral',
            text: `Claimed *${form.get('text')?.split(' ')[1]}*`,
          }),
        );
        return;
      }
      const payload = form.has('payload') ? JSON.parse(form.get('payload') ?? '{}') : {};
      if (payload.type === 'block_actions' && payload.actions?.[0]?.action_id === 'handoff_transcript') {
        await web.views.open({
          trigger_id: payload.trigger_id,
          view: {
            type: 'modal',
            callback_id: 'note',
            title: { type: 'plain_text', text: 'Add a note' },
            submit: { type: 'plain_text', text: 'Save' },
            close: { type: 'plain_text', text: 'Cancel' },
            blocks: [
              { type: 'section', text: { type: 'mrkdwn', text: 'Notes stay *internal*.' } },
              {
                type: 'input',
                block_id: 'note',
                label: { type: 'plain_text', text: 'Note' },
                element: {
                  type: 'plain_text_input',
                  action_id: 'note_input',
                  multiline: true,
                  initial_value: 'Draft',
                },
              },
            ],
          },
        });
      }
      if (payload.type === 'view_submission') submissions.push(payload.view?.state?.values);
      res.writeHead(200);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    commands,
    submissions,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
