import { applyInTransaction, lifecycleContext } from '../conversation/apply-event.js';
import { publishCommitted } from '../conversation/commit-effects.js';
import { setSlackTs } from '../conversation/message-repository.js';
import { setReplyTs } from './delivery-marks-repository.js';
import type { ServiceDeps } from '../ports.js';
import type { Db } from '../storage/database.js';
import type { OutboxItem } from '../storage/outbox-repository.js';

/**
 * What Slack's answer to a post means for the conversation. The Slack worker reports; these rules decide:
 * a posted card records its thread (and catches up, or calls the routed agents), a copilot reply's post
 * becomes what its delivery marks go on, a card Slack refused for
 * good moves the customer to the honest email follow-up.
 */
export function createCardOutcomes(deps: ServiceDeps) {
  return {
    async delivered(trx: Db, item: OutboxItem, ts: string): Promise<() => void> {
      if (item.kind === 'thread_message') {
        await setSlackTs(trx, item.messageId, ts);
        return () => {};
      }
      // A copilot reply's post in the thread: its delivery marks go on it from now on.
      if (item.kind === 'thread_notice' && item.notice.notice === 'agent_sent' && item.notice.messageId) {
        await setReplyTs(trx, item.notice.messageId, ts);
        return () => {};
      }
      if (item.kind !== 'handoff_card') return () => {};
      const target = { conversationId: item.conversationId, handoffId: item.handoffId };
      const event = { kind: 'card_posted', channel: item.channel, ts } as const;
      const context = await lifecycleContext(deps, item.conversationId, event);
      const { after } = await applyInTransaction(trx, deps, target, event, context);
      return () => {
        if (after) publishCommitted(deps, item.conversationId, after);
      };
    },

    async failed(trx: Db, item: OutboxItem, code: string): Promise<() => void> {
      if (item.kind !== 'handoff_card') return () => {};
      deps.log.error(
        { conversationId: item.conversationId, handoffId: item.handoffId, code },
        'handoff card could not be posted',
      );
      const target = { conversationId: item.conversationId, handoffId: item.handoffId };
      const event = { kind: 'card_failed', code } as const;
      const context = await lifecycleContext(deps, item.conversationId, event);
      const { after } = await applyInTransaction(trx, deps, target, event, context);
      return () => {
        if (after) publishCommitted(deps, item.conversationId, after);
      };
    },
  };
}
