// Where the customer's own messages are on their way: sending, failed (with Retry), sent. Pure: no DOM.
import { messageKey } from './message-store.js';

/**
 * Where a customer's message is on its way: `sending` (the POST is out), `failed` (it did not
 * arrive; Retry sends it again under the same clientMessageId), `sent` (the server stored it: it has
 * an id and seq, whether from the POST answer, the stream, a catch-up or the history after a
 * reload). Undefined for everyone else's messages.
 * @returns {'sending' | 'failed' | 'sent' | undefined}
 */
export function deliveryState(m) {
  if (!m || m.author !== 'customer') return undefined;
  if (m.local) return m.state === 'failed' ? 'failed' : 'sending';
  return 'sent';
}

/**
 * The one message that carries the quiet "sent" check: the customer's latest message, when it is
 * stored. Like Intercom's status line under the last message (not WhatsApp's tick on each), it answers
 * "did my last message get through?" without a column of ticks; earlier ones are sent by implication,
 * and a failed or sending message always shows its own state. Null when there is none to mark.
 * @param {ReadonlyArray<any>} list the store's `list()`
 */
export function sentMarkKey(list) {
  for (let i = list.length - 1; i >= 0; i--) {
    const m = list[i];
    if (m.author !== 'customer') continue;
    return deliveryState(m) === 'sent' ? messageKey(m) : null;
  }
  return null;
}
