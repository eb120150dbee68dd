import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_AGENT_DANA as DANA, SANDBOX_AGENT_SAM as SAM } from '../../src/sandbox/default-workspace.js';
import type { DeliveryResult } from '../../src/sandbox/types.js';
import { type Harness, slashCommand, startHarness, waitForCard } from '../integration/harness.js';
import { parkDelivery, recordDelivery } from '../../src/storage/inbox-repository.js';
import { claimedByDana, handedOff } from './slack-weather-helpers.js';

/**
 * Slack weather (issue 10): Baton's acknowledgements, and what happens to the work behind them, when
 * Slack is slow, rate-limited or failing, or the database is locked. Every fault is switched on in the
 * local workspace; Baton talks to it over HTTP with the real Bolt app and WebClient. The outbox at
 * Slack's pace: slack-weather-pace.test.ts.
 */

let h: Harness | undefined;
let dir: string | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Acknowledged in time: a 2xx that came back before the workspace's 3-second deadline. */
function expectAcked(result: DeliveryResult) {
  expect(result.error).toBeUndefined();
  expect(result.status).toBe(200);
}

describe('acknowledgements whatever Slack does', () => {
  it('acknowledges clicks, thread replies and /baton at once while every Slack method takes 5 s, then does the work', async () => {
    h = await startHarness();
    const { s, cardTs } = await handedOff(h);
    h.sandbox.setFault('*', { kind: 'slow', ms: 5000 });

    expectAcked(await h.sandbox.clickButton(DANA, h.sandbox.handoffChannelId, cardTs, 'baton_claim'));
    const reply = await h.sandbox.postMessageAs(DANA, h.sandbox.handoffChannelId, 'Hi Jamie, Dana here.', {
      threadTs: cardTs,
    });
    expectAcked(reply.delivery);
    const command = await h.sandbox.runSlashCommand(DANA, h.sandbox.handoffChannelId, 'presence');
    expectAcked(command);
    expect(command.body).toBe('');

    // The work was not lost behind the acknowledgements: it happens, in order, once Slack answers.
    h.sandbox.clearFaults();
    const state = await h.chat.waitFor(
      s,
      (r) => r.messages.some((m) => m.author === 'agent' && m.text === 'Hi Jamie, Dana here.') && r,
      15_000,
    );
    expect(state.status).toBe('claimed');
    expect(state.messages.filter((m) => m.text === 'Hi Jamie, Dana here.')).toHaveLength(1);
    await h.sandbox.waitFor(() => h!.sandbox.responsesTo(command.responseUrl ?? '')[0], 15_000);
  }, 30_000);

  it('acknowledges over Socket Mode too while every Slack method takes 5 s, then does the work once', async () => {
    h = await startHarness({ SLACK_APP_TOKEN: 'xapp-1-local-socket-weather' });
    const { s, cardTs } = await handedOff(h);
    h.sandbox.setFault('*', { kind: 'slow', ms: 5000 });
    expectAcked(await h.sandbox.clickButton(DANA, h.sandbox.handoffChannelId, cardTs, 'baton_claim'));
    const reply = await h.sandbox.postMessageAs(
      DANA,
      h.sandbox.handoffChannelId,
      'Hi Jamie, over the socket.',
      {
        threadTs: cardTs,
      },
    );
    expectAcked(reply.delivery);
    h.sandbox.clearFaults();
    const state = await h.chat.waitFor(
      s,
      (r) => r.messages.some((m) => m.author === 'agent' && m.text === 'Hi Jamie, over the socket.') && r,
      15_000,
    );
    expect(state.status).toBe('claimed');
    expect(state.messages.filter((m) => m.text === 'Hi Jamie, over the socket.')).toHaveLength(1);
    expect(h.sandbox.calls().some((c) => c.method === 'apps.connections.open')).toBe(true);
  }, 30_000);

  it('acknowledges at once while every Slack method answers 429 with Retry-After 20', async () => {
    h = await startHarness();
    const { cardTs } = await handedOff(h);
    h.sandbox.setFault('*', { kind: 'ratelimited', retryAfterSeconds: 20 });
    expectAcked(await h.sandbox.clickButton(DANA, h.sandbox.handoffChannelId, cardTs, 'baton_claim'));
    const reply = await h.sandbox.postMessageAs(DANA, h.sandbox.handoffChannelId, 'On it.', {
      threadTs: cardTs,
    });
    expectAcked(reply.delivery);
    expectAcked(await h.sandbox.runSlashCommand(DANA, h.sandbox.handoffChannelId, 'stats'));
    // Recorded before the acknowledgement, so nothing depends on the process living on.
    const rows = await h.baton.deps.db.selectFrom('slack_inbox').select(['kind']).execute();
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['action', 'command', 'event']));
  });
});

describe('a listener that fails is retried, not lost', () => {
  it('relays an agent reply once after the database was locked by another writer for 6 s', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-chaos-'));
    const file = path.join(dir, 'baton.db');
    h = await startHarness({ DATABASE_PATH: file });
    const { s, cardTs } = await claimedByDana(h);

    // The reply names Sam, so its listener asks Slack who that is (slow here); meanwhile another
    // writer takes the database for longer than SQLite's busy timeout.
    h.sandbox.setFault('users.info', { kind: 'slow', ms: 1500 }, 1);
    const text = `Hi Jamie, <@${SAM}> and I are looking at it.`;
    const reply = await h.sandbox.postMessageAs(DANA, h.sandbox.handoffChannelId, text, { threadTs: cardTs });
    expectAcked(reply.delivery);
    const other = new SQLite(file);
    other.exec('BEGIN EXCLUSIVE');
    const released = new Promise<number>((resolve) =>
      setTimeout(() => {
        other.exec('COMMIT');
        other.close();
        resolve(Date.now());
      }, 6000),
    );

    const state = await h.chat.waitFor(
      s,
      (r) => r.messages.some((m) => m.author === 'agent' && m.text.startsWith('Hi Jamie')) && r,
      25_000,
    );
    const releasedAt = await released;
    await h.baton.settle();
    const relayed = state.messages.filter((m) => m.author === 'agent' && m.text.startsWith('Hi Jamie'));
    expect(relayed).toHaveLength(1);
    // Stored only once the lock was gone: the first try failed and the inbox tried again.
    expect(Date.parse(relayed[0]!.createdAt)).toBeGreaterThanOrEqual(releasedAt - 1000);
    const row = await h.baton.deps.db
      .selectFrom('slack_inbox')
      .selectAll()
      .where('delivery_id', '=', `event:${reply.eventId}`)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('done');
  }, 40_000);
});

describe('routing lookups while Slack hangs', () => {
  it('answers a customer who asks for a person at once while conversations.members and users.getPresence hang 20 s', async () => {
    h = await startHarness();
    h.sandbox.setFault('conversations.members', { kind: 'slow', ms: 20_000 });
    h.sandbox.setFault('users.getPresence', { kind: 'slow', ms: 20_000 });
    const s = await h.chat.start({ customer: { name: 'Jamie' } });
    const started = Date.now();
    await h.chat.send(s, 'I want to talk to a person');
    // Before: 40 s. The lookups give up within their budget and the customer hears back.
    const state = await h.chat.waitFor(s, (r) => r.status !== 'bot' && r, 5_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(state.messages.at(-1)?.author).toBe('system');
    // The card is still posted for the team.
    await waitForCard(h.sandbox);
    h.sandbox.clearFaults();
  }, 30_000);
});

describe('a database locked by another writer', () => {
  it('answers a customer write with 503 and Retry-After within a moment, keeps /healthz answering, and takes the write after', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-chaos-'));
    const file = path.join(dir, 'baton.db');
    h = await startHarness({ DATABASE_PATH: file });
    const s = await h.chat.start();
    const other = new SQLite(file);
    other.exec('BEGIN EXCLUSIVE');
    try {
      const started = Date.now();
      const refused = await h.chat.send(s, 'Where is my parcel?', 'client-msg-1');
      // Bounded: the busy wait is a fraction of a second, not SQLite's usual 5 s freeze.
      expect(Date.now() - started).toBeLessThan(2000);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect((await fetch(`${h.baton.url}/healthz`)).status).toBe(200);
    } finally {
      other.exec('COMMIT');
      other.close();
    }
    // The widget sends again with the same client message id; it is stored once.
    expect((await h.chat.send(s, 'Where is my parcel?', 'client-msg-1')).status).toBe(201);
    const state = await h.chat.waitFor(s, (r) => r.messages.some((m) => m.author === 'bot') && r);
    expect(state.messages.filter((m) => m.author === 'customer')).toHaveLength(1);
  });
});

describe('what cannot be delivered is parked where admins see it, and nothing else waits', () => {
  it('parks a card Slack refuses with an error code Baton does not know; the next card goes out; /baton status and App Home show it', async () => {
    h = await startHarness();
    h.sandbox.setFault('chat.postMessage', { kind: 'error', error: 'msg_blocks_too_long' }, 1);
    const first = await h.chat.start({ customer: { name: 'Ada' } });
    await h.chat.send(first, 'I want to talk to a person');
    await h.sandbox.waitForCall(
      (c) => c.method === 'chat.postMessage' && c.response.error === 'msg_blocks_too_long',
    );
    const { cardTs } = await handedOff(h);
    expect(cardTs).toBeTruthy();

    // A request from Slack that could not be handled after every retry (recorded as the worker leaves it).
    const now = new Date().toISOString();
    await recordDelivery(
      h.baton.deps.db,
      { deliveryId: 'event:EvPARKED', kind: 'event', lane: 'thread:C0HANDOFFS:1.0', body: {} },
      now,
    );
    const parked = await h.baton.deps.db
      .selectFrom('slack_inbox')
      .select('id')
      .where('delivery_id', '=', 'event:EvPARKED')
      .executeTakeFirstOrThrow();
    await parkDelivery(h.baton.deps.db, parked.id, 'Error: restricted_action', now);

    const status = await slashCommand(h.sandbox, DANA, h.sandbox.handoffChannelId, 'status');
    expect(status.text).toContain('1 post(s) to Slack were given up on');
    expect(status.text).toMatch(/handoff card in C0HANDOFFS.*msg_blocks_too_long/);
    expect(status.text).toContain('1 request(s) from Slack could not be handled');
    expect(status.text).toContain('restricted_action');

    await h.sandbox.openAppHome(DANA);
    const home = await h.sandbox.waitFor(() => h!.sandbox.homeViewFor(DANA));
    expect(JSON.stringify(home.view)).toContain('Needs attention');
    expect(JSON.stringify(home.view)).toContain('msg_blocks_too_long');
  });
});
