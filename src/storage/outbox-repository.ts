import { type Selectable, sql } from 'kysely';
import { z } from 'zod';
import type { ThreadNotice } from '../conversation/effects.js';
import { countByState } from './count-by-state.js';
import type { Db } from './database.js';
import { preparedQuery } from './prepared-query.js';
import type { SlackOutboxTable } from './tables.js';

/** What one outbox row asks the Slack worker to do; each kind carries exactly the data it needs. */
export type OutboxIntent =
  | { kind: 'handoff_card'; channel: string; conversationId: string; handoffId: string }
  | { kind: 'card_update'; channel: string; conversationId: string; handoffId: string }
  | { kind: 'thread_message'; channel: string; conversationId: string; handoffId: string; messageId: string }
  | {
      kind: 'thread_notice';
      channel: string;
      conversationId: string;
      handoffId: string;
      notice: ThreadNotice;
    }
  /** Text written by Baton itself (mentions and links on purpose), posted in a channel. */
  | { kind: 'channel_notice'; channel: string; text: string }
  /** A direct message to an agent routing picked; `channel` is the agent's user id. */
  | { kind: 'dm'; channel: string; handoffId: string }
  /** A copilot suggestion for the claiming agent, by direct message; `channel` is the agent's user id. */
  | { kind: 'copilot'; channel: string; handoffId: string; suggestionId: string }
  /** A delivery mark (a reaction) added to or taken off an agent's reply (delivery-mark-rules.ts). */
  | {
      kind: 'reaction';
      channel: string;
      conversationId: string;
      messageId: string;
      name: string;
      op: 'add' | 'remove';
    }
  /** Tells the agent in the thread that their reply has not reached the customer, and why. */
  | { kind: 'delivery_notice'; channel: string; conversationId: string; messageId: string; reason: string };

export type OutboxKind = OutboxIntent['kind'];

/** A stored row: its intent, or why it cannot be read (kept and marked failed, never guessed at). */
export type OutboxItem = {
  id: number;
  attempts: number;
  notBefore: number;
  /** A call was started for it before: it may have reached Slack, so look for the marker first. */
  maybeSent: boolean;
} & (OutboxIntent | { kind: 'unreadable'; channel: string; why: string });

const threadNotice = z.discriminatedUnion('notice', [
  z.object({ notice: z.literal('claimed'), agentId: z.string().regex(/^[UW][A-Z0-9]+$/) }),
  z.object({ notice: z.literal('resolved'), by: z.string() }),
  z.object({ notice: z.literal('rated'), score: z.number(), comment: z.string().optional() }),
  z.object({
    notice: z.literal('agent_sent'),
    by: z.string(),
    text: z.string(),
    messageId: z.string().optional(),
  }),
  z.object({
    notice: z.literal('escalated'),
    level: z.number(),
    waitedMinutes: z.number(),
    mention: z.array(z.string()),
    here: z.boolean().optional(),
  }),
]);
const ids = { channel: z.string(), conversationId: z.string(), handoffId: z.string() };
const intentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('handoff_card'), ...ids }),
  z.object({ kind: z.literal('card_update'), ...ids }),
  z.object({ kind: z.literal('thread_message'), ...ids, messageId: z.string() }),
  z.object({ kind: z.literal('thread_notice'), ...ids, notice: threadNotice }),
  z.object({ kind: z.literal('channel_notice'), channel: z.string(), text: z.string() }),
  z.object({ kind: z.literal('dm'), channel: z.string(), handoffId: z.string() }),
  z.object({
    kind: z.literal('copilot'),
    channel: z.string(),
    handoffId: z.string(),
    suggestionId: z.string(),
  }),
  z.object({
    kind: z.literal('reaction'),
    channel: z.string(),
    conversationId: z.string(),
    messageId: z.string(),
    name: z.string().regex(/^[a-z0-9_+-]+$/),
    op: z.enum(['add', 'remove']),
  }),
  z.object({
    kind: z.literal('delivery_notice'),
    channel: z.string(),
    conversationId: z.string(),
    messageId: z.string(),
    reason: z.string(),
  }),
]);

/** Only kind-specific data goes to the JSON payload; ids have their own columns. */
function payloadOf(intent: OutboxIntent): Record<string, unknown> {
  if (intent.kind === 'thread_notice') return { notice: intent.notice };
  if (intent.kind === 'channel_notice') return { text: intent.text };
  if (intent.kind === 'copilot') return { suggestionId: intent.suggestionId };
  if (intent.kind === 'reaction') return { name: intent.name, op: intent.op };
  if (intent.kind === 'delivery_notice') return { reason: intent.reason };
  return {};
}

export async function enqueueOutbox(db: Db, intent: OutboxIntent, now: string): Promise<number> {
  const row = await db
    .insertInto('slack_outbox')
    .values({
      channel: intent.channel,
      kind: intent.kind,
      conversation_id: 'conversationId' in intent ? intent.conversationId : null,
      handoff_id: 'handoffId' in intent ? intent.handoffId : null,
      message_id: 'messageId' in intent ? intent.messageId : null,
      payload: JSON.stringify(payloadOf(intent)),
      state: 'pending',
      attempts: 0,
      not_before: 0,
      result_ts: null,
      error: null,
      created_at: now,
      done_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function toItem(r: Selectable<SlackOutboxTable>): OutboxItem {
  const meta = { id: r.id, attempts: r.attempts, notBefore: r.not_before, maybeSent: r.sending === 1 };
  let payload: unknown;
  try {
    payload = JSON.parse(r.payload);
  } catch {
    return { ...meta, kind: 'unreadable', channel: r.channel, why: 'payload is not JSON' };
  }
  const parsed = intentSchema.safeParse({
    ...(payload && typeof payload === 'object' ? payload : {}),
    kind: r.kind,
    channel: r.channel,
    conversationId: r.conversation_id ?? undefined,
    handoffId: r.handoff_id ?? undefined,
    messageId: r.message_id ?? undefined,
  });
  if (!parsed.success)
    return { ...meta, kind: 'unreadable', channel: r.channel, why: `not a valid ${r.kind} item` };
  return { ...meta, ...parsed.data };
}

/** Run for every post Slack accepts. */
const outboxDone = preparedQuery((db: Db, resultTs: string | null, now: string, id: number) =>
  db
    .updateTable('slack_outbox')
    .set({ state: sql.lit('done'), result_ts: resultTs, done_at: now })
    .where('id', '=', id),
);

export async function markOutboxDone(db: Db, id: number, resultTs: string | undefined, now: string) {
  await outboxDone(db, resultTs ?? null, now, id);
}

export async function markOutboxFailed(db: Db, id: number, error: string, now: string) {
  await db
    .updateTable('slack_outbox')
    .set({ state: 'failed', error, done_at: now })
    .where('id', '=', id)
    .execute();
}

/** Defers an item; a failed attempt counts towards the cap, a rate-limit wait (nothing was sent) does not. */
export async function deferOutbox(db: Db, id: number, notBefore: number, error: string, countAttempt = true) {
  await db
    .updateTable('slack_outbox')
    .set((eb) => ({ not_before: notBefore, error, attempts: eb('attempts', '+', countAttempt ? 1 : 0) }))
    .where('id', '=', id)
    .execute();
}

export async function countPendingOutbox(db: Db): Promise<number> {
  return countByState(db, 'slack_outbox', 'pending');
}

export interface FailedOutboxItem {
  id: number;
  kind: string;
  channel: string;
  error: string | null;
  doneAt: string | null;
}

/** Posts given up on (permanent Slack errors, or out of attempts): shown to admins, never retried blindly. */
export async function failedOutbox(
  db: Db,
  limit: number,
): Promise<{ total: number; recent: FailedOutboxItem[] }> {
  const recent = await db
    .selectFrom('slack_outbox')
    .select(['id', 'kind', 'channel', 'error', 'done_at as doneAt'])
    .where('state', '=', 'failed')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return { total: await countByState(db, 'slack_outbox', 'failed'), recent };
}

/** Flags (or, once Slack said the post was not made, unflags) the items one post carries. */
export async function setOutboxSending(db: Db, ids: number[], sending: boolean): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('slack_outbox')
    .set({ sending: sending ? 1 : 0 })
    .where('id', 'in', ids)
    .execute();
}
