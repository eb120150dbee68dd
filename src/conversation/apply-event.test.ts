import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CUSTOMER_MESSAGES, type DeskSettings } from '../desk/desk-settings.js';
import { DEFAULT_WIDGET_SETTINGS } from '../desk/widget-settings.js';
import { findHandoff } from '../handoff/handoff-repository.js';
import { DEFAULT_TRIGGER_SETTINGS } from '../handoff/triggers.js';
import type { FollowUpMailer } from '../ports.js';
import { migrateToLatest, type OpenedDatabase, openDatabase } from '../storage/database.js';
import { type ApplyDeps, applyEvent, retryStale } from './apply-event.js';
import { StaleState } from './commit-effects.js';
import { findConversation, insertConversation } from './conversation-repository.js';
import type { NewHandoff } from './effects.js';
import { listMessages } from './message-repository.js';

// The service that applies lifecycle steps, on a real SQLite database with fakes for the outside ports.
let opened: OpenedDatabase;
let live: { messages: string[]; statuses: string[] };
let kicks: number;
let counter = 0;

const settings: DeskSettings = {
  triggers: DEFAULT_TRIGGER_SETTINGS,
  routing: 'round-robin',
  routes: [],
  messages: DEFAULT_CUSTOMER_MESSAGES,
  widget: DEFAULT_WIDGET_SETTINGS,
  redaction: { masked: [] },
};

function deps(over: Partial<ApplyDeps> = {}): ApplyDeps {
  return {
    db: opened.db,
    now: () => new Date('2026-11-30T10:00:00Z'),
    ids: {
      conversationId: () => `c_${++counter}`,
      token: () => `t_${++counter}`,
      messageId: () => `m_${++counter}`,
      handoffId: () => `h_${++counter}`,
    },
    live: {
      message: (_c, m) => live.messages.push(m.text),
      status: (_c, s) => live.statuses.push(s),
      isWatched: () => false,
      watchedAnywhere: async () => false,
    },
    kickOutbox: () => {
      kicks += 1;
    },
    handoffChannel: 'C_SUPPORT',
    settings: async () => settings,
    log: pino({ level: 'silent' }),
    ...over,
  };
}

const handoff = (id: string): NewHandoff => ({
  id,
  reason: 'requested',
  detail: 'asked',
  channel: 'C_SUPPORT',
  summary: { issue: 'x', facts: { orderNumbers: [], emails: [], phoneNumbers: [], amounts: [] }, tried: [] },
  sentiment: 0,
  assignedTo: [],
  agentsAvailable: true,
  notice: 'Someone is coming.',
});

async function conversation(email?: string) {
  const c = await insertConversation(opened.db, {
    id: `c_${++counter}`,
    tokenHash: 'x',
    customer: { name: 'Pat', email },
    metadata: {},
    now: '2026-11-30T09:00:00Z',
  });
  return c.id;
}

const outbox = () => opened.db.selectFrom('slack_outbox').select(['kind', 'channel']).orderBy('id').execute();

beforeEach(async () => {
  opened = openDatabase(':memory:');
  await migrateToLatest(opened.db);
  live = { messages: [], statuses: [] };
  kicks = 0;
});
afterEach(async () => {
  await opened.close();
});

describe('applying a lifecycle step', () => {
  it('commits the status, the handoff, the card and the customer notice together, then publishes', async () => {
    const id = await conversation();
    const applied = await applyEvent(
      deps(),
      { conversationId: id },
      { kind: 'request', handoff: handoff('h_a') },
    );
    expect(applied.ok).toBe(true);
    expect((await findConversation(opened.db, id))?.status).toBe('waiting');
    expect((await findConversation(opened.db, id))?.version).toBe(1);
    expect(await findHandoff(opened.db, 'h_a')).toMatchObject({ channel: 'C_SUPPORT', cardState: 'pending' });
    expect(await outbox()).toEqual([{ kind: 'handoff_card', channel: 'C_SUPPORT' }]);
    const notices = await listMessages(opened.db, id);
    expect(notices).toMatchObject([{ author: 'system', notice: 'handoff', text: 'Someone is coming.' }]);
    expect(live).toEqual({ messages: ['Someone is coming.'], statuses: ['waiting'] });
    expect(kicks).toBe(1);
  });

  it('commits nothing and publishes nothing when an effect fails', async () => {
    const id = await conversation('pat@example.com');
    await applyEvent(deps(), { conversationId: id }, { kind: 'request', handoff: handoff('h_b') });
    const agent = { slackUserId: 'U_DANA', name: 'Dana' };
    await applyEvent(deps(), { conversationId: id }, { kind: 'claim', agent });
    live = { messages: [], statuses: [] };
    const before = await outbox();
    const broken: FollowUpMailer = {
      queue: () => Promise.reject(new Error('disk full')),
      kick: () => {},
    };
    await expect(
      applyEvent(
        deps({ followUp: broken }),
        { conversationId: id },
        { kind: 'agent_reply', agent, messageId: 'm_reply', text: 'Hello' },
      ),
    ).rejects.toThrow('disk full');
    expect((await listMessages(opened.db, id)).map((m) => m.id)).not.toContain('m_reply');
    expect((await findHandoff(opened.db, 'h_b'))?.firstReplyAt).toBeUndefined();
    expect(await outbox()).toEqual(before);
    expect(live.messages).toEqual([]);
  });

  it('lets exactly one of two racing claims win; the other learns who has it', async () => {
    const id = await conversation();
    await applyEvent(deps(), { conversationId: id }, { kind: 'request', handoff: handoff('h_c') });
    const [a, b] = await Promise.all([
      applyEvent(
        deps(),
        { conversationId: id, handoffId: 'h_c' },
        { kind: 'claim', agent: { slackUserId: 'U_A', name: 'A' } },
      ),
      applyEvent(
        deps(),
        { conversationId: id, handoffId: 'h_c' },
        { kind: 'claim', agent: { slackUserId: 'U_B', name: 'B' } },
      ),
    ]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const loser = a.ok ? b : a;
    expect(loser).toMatchObject({ ok: false, refusal: { code: 'already_claimed' } });
    const joins = (await listMessages(opened.db, id)).filter((m) => m.notice === 'join');
    expect(joins).toHaveLength(1);
  });

  it('refuses without writing: a rating before the conversation is resolved', async () => {
    const id = await conversation();
    const applied = await applyEvent(deps(), { conversationId: id }, { kind: 'rate', score: 4 });
    expect(applied).toMatchObject({ ok: false, refusal: { code: 'not_resolved' } });
    expect((await findConversation(opened.db, id))?.version).toBe(0);
  });

  it('a guard that refuses (a Slack event already processed) stops the step', async () => {
    const id = await conversation();
    const applied = await applyEvent(
      deps(),
      { conversationId: id },
      { kind: 'request', handoff: handoff('h_d') },
      { guard: async () => false },
    );
    expect(applied).toMatchObject({ ok: false, refusal: { code: 'duplicate' } });
    expect(await findHandoff(opened.db, 'h_d')).toBeUndefined();
  });

  it('a customer line while the assistant has the chat writes nothing besides the line itself', async () => {
    const id = await conversation();
    const applied = await applyEvent(
      deps(),
      { conversationId: id },
      { kind: 'customer_message', messageId: 'm_x' },
    );
    expect(applied.ok).toBe(true);
    expect((await findConversation(opened.db, id))?.version).toBe(0);
    expect(kicks).toBe(0);
  });
});

describe('retryStale', () => {
  it('tries again after a lost compare-and-set, and gives up after the last attempt', async () => {
    let calls = 0;
    await expect(
      retryStale(async () => {
        calls += 1;
        if (calls < 3) throw new StaleState('test');
        return 'done';
      }),
    ).resolves.toBe('done');
    calls = 0;
    await expect(
      retryStale(async () => {
        calls += 1;
        throw new StaleState('always');
      }),
    ).rejects.toBeInstanceOf(StaleState);
    expect(calls).toBe(3);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    await expect(
      retryStale(async () => {
        calls += 1;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(calls).toBe(1);
  });
});
