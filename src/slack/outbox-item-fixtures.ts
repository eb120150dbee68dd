import type { OutboxItem } from '../storage/outbox-repository.js';

/** For tests: outbox items in channel C1, never tried, due at `notBefore`. */
const fresh = { attempts: 0, maybeSent: false, channel: 'C1' } as const;

/** A customer line for handoff `h`'s thread. */
export const threadLine = (id: number, notBefore = 0): OutboxItem => ({
  ...fresh,
  id,
  notBefore,
  kind: 'thread_message',
  conversationId: 'c',
  handoffId: 'h',
  messageId: `m${id}`,
});

/** Handoff `h2`'s card. */
export const handoffCard = (id: number, notBefore = 0): OutboxItem => ({
  ...fresh,
  id,
  notBefore,
  kind: 'handoff_card',
  conversationId: 'c2',
  handoffId: 'h2',
});
