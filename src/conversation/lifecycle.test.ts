import { describe, expect, it } from 'vitest';
import type { ConversationStatus } from './conversation.js';
import { type LifecycleEventKind, transition } from './lifecycle.js';
import { context, events, stateFor } from './lifecycle-fixtures.js';

/** Every (status, event) pair: the status it leads to, or the refusal code. */
const TABLE: Record<LifecycleEventKind, Record<ConversationStatus, string>> = {
  customer_message: { bot: 'bot', waiting: 'waiting', queued: 'queued', claimed: 'claimed', resolved: 'bot' },
  trigger: {
    bot: 'waiting',
    waiting: '!not_with_assistant',
    queued: '!not_with_assistant',
    claimed: '!not_with_assistant',
    resolved: '!not_with_assistant',
  },
  request: { bot: 'waiting', waiting: 'waiting', queued: 'queued', claimed: 'claimed', resolved: 'waiting' },
  takeover: {
    bot: 'claimed',
    waiting: '!not_with_assistant',
    queued: '!not_with_assistant',
    claimed: '!not_with_assistant',
    resolved: '!not_with_assistant',
  },
  claim: {
    bot: '!no_handoff',
    waiting: 'claimed',
    queued: 'claimed',
    claimed: '!already_claimed',
    resolved: '!already_claimed',
  },
  late_relay: { bot: 'bot', waiting: 'waiting', queued: 'queued', claimed: 'claimed', resolved: 'resolved' },
  agent_reply: {
    bot: '!no_handoff',
    waiting: '!not_claimed',
    queued: '!not_claimed',
    claimed: 'claimed',
    resolved: '!closed',
  },
  transfer_to_agent: {
    bot: '!not_claimed',
    waiting: '!not_claimed',
    queued: '!not_claimed',
    claimed: 'claimed',
    resolved: '!not_claimed',
  },
  transfer_to_channel: {
    bot: '!closed',
    waiting: '!not_claimed',
    queued: '!not_claimed',
    claimed: 'waiting',
    resolved: '!closed',
  },
  card_posted: {
    bot: '!no_handoff',
    waiting: 'waiting',
    queued: 'queued',
    claimed: 'claimed',
    resolved: 'resolved',
  },
  card_failed: {
    bot: '!no_handoff',
    waiting: 'queued',
    queued: 'queued',
    claimed: 'claimed',
    resolved: 'resolved',
  },
  email_left: { bot: 'bot', waiting: 'waiting', queued: 'queued', claimed: 'claimed', resolved: 'resolved' },
  resolve: {
    bot: '!no_handoff',
    waiting: '!not_claimed',
    queued: '!not_claimed',
    claimed: 'resolved',
    resolved: '!closed',
  },
  rate: {
    bot: '!not_resolved',
    waiting: '!not_resolved',
    queued: '!not_resolved',
    claimed: '!not_resolved',
    resolved: 'resolved',
  },
  escalate: {
    bot: '!not_waiting',
    waiting: 'waiting',
    queued: '!not_waiting',
    claimed: '!not_waiting',
    resolved: '!not_waiting',
  },
};

describe('the conversation lifecycle: every (status, event) pair', () => {
  const statuses: ConversationStatus[] = ['bot', 'waiting', 'queued', 'claimed', 'resolved'];
  for (const [kind, row] of Object.entries(TABLE) as [
    LifecycleEventKind,
    Record<ConversationStatus, string>,
  ][]) {
    for (const status of statuses) {
      const expected = row[status];
      it(`${status} + ${kind} -> ${expected}`, () => {
        const result = transition(stateFor(status), events[kind], context);
        if (expected.startsWith('!')) {
          expect(result).toMatchObject({ ok: false, refusal: { code: expected.slice(1) } });
        } else {
          expect(result).toMatchObject({ ok: true, status: expected });
        }
      });
    }
  }
});
