import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, migrateToLatest, type OpenedDatabase, openDatabase } from '../../src/storage/database.js';
import { createMetricsHandler } from '../../src/webchat/metrics-route.js';
import { computeDeskStats } from '../../src/desk/desk-stats.js';

const NOW = new Date('2026-12-01T00:00:00.000Z');
const now = () => NOW;
/** `days` days before NOW, plus some seconds. */
const ago = (days: number, seconds = 0) =>
  new Date(NOW.getTime() - days * 86_400_000 + seconds * 1000).toISOString();

async function conversation(db: Db, id: string, createdAt: string, csat: number | null = null) {
  await db
    .insertInto('conversations')
    .values({
      id,
      token_hash: `hash-${id}`,
      status: 'closed',
      customer_name: null,
      customer_email: null,
      page_url: null,
      metadata: '{}',
      last_seq: 0,
      follow_up_email: null,
      csat_score: csat,
      csat_comment: null,
      created_at: createdAt,
      updated_at: createdAt,
    })
    .execute();
}

interface HandoffSeed {
  reason: string;
  triggeredAt: string;
  replyAfter?: number;
  resolved?: boolean;
  transferred?: boolean;
  topic?: string;
}

async function handoff(db: Db, conversationId: string, h: HandoffSeed) {
  const plus = (s: number) => new Date(Date.parse(h.triggeredAt) + s * 1000).toISOString();
  await db
    .insertInto('handoffs')
    .values({
      id: `h-${conversationId}`,
      conversation_id: conversationId,
      reason: h.reason,
      detail: '',
      summary: null,
      sentiment: null,
      state: h.resolved ? 'resolved' : 'posted',
      error: null,
      claimed_by: h.replyAfter ? 'U1' : null,
      claimed_by_name: null,
      triggered_at: h.triggeredAt,
      claimed_at: h.replyAfter ? plus(h.replyAfter / 2) : null,
      first_reply_at: h.replyAfter ? plus(h.replyAfter) : null,
      resolved_at: h.resolved ? plus(3600) : null,
      resolved_by: null,
      assigned_to: null,
      transferred: h.transferred ? 1 : 0,
      topic: h.topic ?? null,
    })
    .execute();
}

const seqs = new Map<string, number>();
async function message(
  db: Db,
  conversationId: string,
  author: string,
  text: string,
  createdAt: string,
  extra: { confidence?: number; deleted?: boolean } = {},
) {
  const seq = (seqs.get(conversationId) ?? 0) + 1;
  seqs.set(conversationId, seq);
  await db
    .insertInto('messages')
    .values({
      id: `${conversationId}-m${seq}`,
      conversation_id: conversationId,
      seq,
      author,
      text,
      client_message_id: null,
      agent_slack_id: null,
      agent_name: null,
      articles: null,
      confidence: extra.confidence ?? null,
      sentiment: null,
      intents: null,
      slack_ts: null,
      edited_at: null,
      deleted_at: extra.deleted ? createdAt : null,
      created_at: createdAt,
    })
    .execute();
}

async function outbox(db: Db, state: string) {
  await db
    .insertInto('slack_outbox')
    .values({
      channel: 'C1',
      kind: 'thread_message',
      conversation_id: null,
      handoff_id: null,
      message_id: null,
      payload: '{}',
      state,
      attempts: 0,
      not_before: 0,
      result_ts: null,
      error: null,
      created_at: ago(0, -5),
      done_at: null,
    })
    .execute();
}

/**
 * Last 7 days: 10 conversations, 4 handed off (c1-c4). Last 30 days adds c-old (handed off 20
 * days ago). c-ancient (60 days ago) is outside both windows.
 */
async function seed(db: Db) {
  await conversation(db, 'c1', ago(6), 5);
  await conversation(db, 'c2', ago(5), 3);
  await conversation(db, 'c3', ago(4));
  await conversation(db, 'c4', ago(3), 1);
  for (let i = 5; i <= 10; i++) await conversation(db, `c${i}`, ago(2), i === 5 ? 2 : null);
  await conversation(db, 'c-old', ago(20), 4);
  await conversation(db, 'c-ancient', ago(60), 1);

  // c1: asked for a person; repeats the order number after the handoff.
  await message(db, 'c1', 'customer', 'Where is my order NW-12345? It has not arrived.', ago(6, -60));
  await message(db, 'c1', 'bot', 'Orders usually arrive in 3-5 days.', ago(6, -59), { confidence: 0.9 });
  await message(db, 'c1', 'customer', 'It is order NW-12345 again', ago(6, 30));
  await handoff(db, 'c1', {
    reason: 'requested',
    triggeredAt: ago(6),
    replyAfter: 60,
    resolved: true,
    topic: 'shipping',
  });

  // c2: low confidence on billing; re-states the question in other words; resolved after a transfer.
  await message(db, 'c2', 'customer', 'Why was I charged twice for my subscription this month?', ago(5, -60));
  await message(db, 'c2', 'bot', 'Not sure about that.', ago(5, -59), { confidence: 0.2 });
  await message(db, 'c2', 'customer', 'I was charged twice for my subscription this month', ago(5, 200));
  await handoff(db, 'c2', {
    reason: 'low_confidence',
    triggeredAt: ago(5),
    replyAfter: 120,
    resolved: true,
    transferred: true,
    topic: 'billing',
  });

  // c3: low confidence, no topic; the repeated question was deleted, the other message is new.
  await message(db, 'c3', 'customer', 'Can I export my invoices to CSV?', ago(4, -60));
  await message(db, 'c3', 'bot', 'Maybe?', ago(4, -59), { confidence: 0.3 });
  await message(db, 'c3', 'customer', 'Can I export my invoices to CSV?', ago(4, 10), { deleted: true });
  await message(db, 'c3', 'customer', 'Thanks, waiting', ago(4, 20));
  await handoff(db, 'c3', { reason: 'low_confidence', triggeredAt: ago(4), replyAfter: 300 });

  // c4: frustrated after a low-confidence answer; nobody answered and the customer said nothing more.
  await message(
    db,
    'c4',
    'customer',
    'The discount code SAVE10 does not work, this is ridiculous',
    ago(3, -60),
  );
  await message(db, 'c4', 'bot', 'Try again?', ago(3, -59), { confidence: 0.1 });
  await handoff(db, 'c4', { reason: 'negative_sentiment', triggeredAt: ago(3), topic: 'billing' });

  await handoff(db, 'c-old', { reason: 'requested', triggeredAt: ago(20), replyAfter: 600, resolved: true });
  await handoff(db, 'c-ancient', { reason: 'sensitive_topic', triggeredAt: ago(60), replyAfter: 5 });

  await outbox(db, 'pending');
  await outbox(db, 'pending');
  await outbox(db, 'done');
}

describe('desk stats', () => {
  let opened: OpenedDatabase;
  beforeAll(async () => {
    opened = openDatabase(':memory:');
    await migrateToLatest(opened.db);
    await seed(opened.db);
  });
  afterAll(() => opened.close());

  it('computes the last 7 days exactly', async () => {
    const stats = await computeDeskStats({ db: opened.db, now }, 7);
    expect(stats).toEqual({
      window: '7d',
      from: ago(7),
      to: NOW.toISOString(),
      conversations: 10,
      handedOffConversations: 4,
      handoffRate: 0.4,
      handoffs: 4,
      reasons: [
        { reason: 'low_confidence', count: 2, share: 0.5 },
        { reason: 'negative_sentiment', count: 1, share: 0.25 },
        { reason: 'requested', count: 1, share: 0.25 },
      ],
      wait: { answered: 3, unanswered: 1, medianSeconds: 120, p90Seconds: 264 },
      resolution: { resolvedWithoutTransfer: 1, rate: 0.25 },
      csat: { average: 3, count: 3 },
      repeatInformation: { conversations: 3, repeated: 2, rate: 2 / 3 },
      knowledgeGaps: [
        {
          topic: 'billing',
          handoffs: 2,
          examples: [
            'The discount code SAVE10 does not work, this is ridiculous',
            'Why was I charged twice for my subscription this month?',
          ],
        },
        { topic: 'unknown', handoffs: 1, examples: ['Can I export my invoices to CSV?'] },
      ],
    });
  });

  it('includes older handoffs in the 30-day window but never ones outside it', async () => {
    const stats = await computeDeskStats({ db: opened.db, now }, 30);
    expect(stats).toMatchObject({
      window: '30d',
      conversations: 11,
      handedOffConversations: 5,
      handoffRate: 5 / 11,
      handoffs: 5,
      wait: { answered: 4, unanswered: 1, medianSeconds: 210, p90Seconds: 510 },
      resolution: { resolvedWithoutTransfer: 2, rate: 0.4 },
      csat: { average: 3.25, count: 4 },
      repeatInformation: { conversations: 3, repeated: 2 },
    });
    expect(stats.reasons.find((r) => r.reason === 'requested')?.count).toBe(2);
    expect(stats.reasons.some((r) => r.reason === 'sensitive_topic')).toBe(false);
  });

  it('serves the figures in the Prometheus text format', async () => {
    const app = express();
    let later = 0;
    app.get('/metrics', createMetricsHandler({ db: opened.db, now: () => new Date(NOW.getTime() + later) }));
    const server = app.listen(0);
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const lines = (await res.text()).split('\n');
      for (const line of [
        '# TYPE baton_handoff_rate gauge',
        'baton_handoff_rate{window="7d"} 0.4',
        'baton_handoff_rate{window="30d"} 0.45454545454545453',
        'baton_conversations_total{window="7d"} 10',
        'baton_conversations_total{window="30d"} 11',
        'baton_handoffs_total{reason="requested",window="7d"} 1',
        'baton_handoffs_total{reason="requested",window="30d"} 2',
        'baton_handoffs_total{reason="low_confidence",window="7d"} 2',
        'baton_handoffs_total{reason="agent_takeover",window="7d"} 0',
        'baton_wait_seconds{quantile="0.5",window="7d"} 120',
        'baton_wait_seconds{quantile="0.9",window="7d"} 264',
        'baton_wait_seconds{quantile="0.9",window="30d"} 510',
        'baton_handoffs_unanswered_total{window="7d"} 1',
        'baton_resolution_rate{window="7d"} 0.25',
        'baton_csat_average{window="30d"} 3.25',
        'baton_csat_count{window="7d"} 3',
        'baton_repeat_information_rate{window="7d"} 0.6666666666666666',
        'baton_knowledge_gap_handoffs_total{topic="billing",window="7d"} 2',
        'baton_slack_outbox_pending 2',
      ]) {
        expect(lines).toContain(line);
      }
      // Node's own health is there too, for operators and the abuse suite.
      for (const series of [
        'nodejs_eventloop_lag_p99_seconds',
        'process_resident_memory_bytes',
        'process_open_fds',
      ])
        expect(lines.some((l) => l.startsWith(`${series} `))).toBe(true);
      // A scrape within 5 s of the last shares its snapshot (a scrape flood reads the database once);
      // after that the figures are read again.
      await outbox(opened.db, 'pending');
      const scrape = async () =>
        (
          await (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`)).text()
        ).split('\n');
      later = 4_000;
      expect(await scrape()).toContain('baton_slack_outbox_pending 2');
      later = 5_000;
      expect(await scrape()).toContain('baton_slack_outbox_pending 3');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
