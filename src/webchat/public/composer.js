// The message composer: the length counter and send button, sending (with the typing
// indicator while the assistant answers), retries, and what each failure tells the customer.
import { ApiError, MAX_MESSAGE_LENGTH } from './chat-client.js';
import { clearComposerError, describeError, showComposerError } from './chat-errors.js';
import { api, render, state, store, ui } from './chat-state.js';
import { ensureConversation, resetConversation } from './conversation.js';
import { onServerMessage } from './live-updates.js';
import { lang, say } from './page-text.js';
import { hideTyping, showTyping } from './typing-indicator.js';

const COUNTER_FROM = MAX_MESSAGE_LENGTH - 500;

export function updateComposer() {
  const text = ui.input.value;
  const len = text.length;
  const over = len > MAX_MESSAGE_LENGTH;
  ui.counter.hidden = len < COUNTER_FROM;
  const count = len.toLocaleString(lang);
  const max = MAX_MESSAGE_LENGTH.toLocaleString(lang);
  ui.counter.textContent = over
    ? say('counterOver', { count, max, over: (len - MAX_MESSAGE_LENGTH).toLocaleString(lang) })
    : `${count} / ${max}`;
  ui.counter.classList.toggle('counter--over', over);
  ui.send.disabled = ui.input.disabled || text.trim() === '' || over;
}

function submitComposer() {
  const text = ui.input.value;
  if (ui.input.disabled || text.trim() === '' || text.length > MAX_MESSAGE_LENGTH) return;
  const clientMessageId = crypto.randomUUID();
  store.addPending(clientMessageId, text.trim());
  ui.input.value = '';
  updateComposer();
  clearComposerError();
  render({ forceScroll: true });
  void deliver(clientMessageId);
}

export function retrySend(clientMessageId) {
  void deliver(clientMessageId);
}

/**
 * Back online: send again what failed meanwhile, oldest first. The same clientMessageId goes with
 * it, so one that did reach the server before the line dropped is not stored twice.
 */
export function retryFailedSends() {
  for (const m of store.list()) if (m.local && m.state === 'failed') void deliver(m.clientMessageId);
}

async function deliver(clientMessageId, { sessionRetried = false } = {}) {
  const pending = store.getPending(clientMessageId);
  if (!pending) return;
  store.addPending(clientMessageId, pending.text); // back to "sending…"
  render();
  const expectReply = state.status === undefined || state.status === 'bot';
  if (expectReply) showTyping(Number.POSITIVE_INFINITY);
  try {
    const s = await ensureConversation();
    const r = await api.sendMessage(s.conversationId, s.token, pending.text, clientMessageId);
    const message = r?.message;
    if (message) {
      onServerMessage({ ...message, clientMessageId: message.clientMessageId ?? clientMessageId });
      if (expectReply && state.typingAfterSeq !== null && typeof message.seq === 'number') {
        // A reply may already have arrived over the stream before this answer.
        const replied = store
          .list()
          .some((m) => (m.author === 'bot' || m.author === 'agent') && m.seq > message.seq);
        if (replied || state.status !== 'bot') hideTyping();
        else state.typingAfterSeq = message.seq;
      }
    } else {
      store.removePending(clientMessageId);
    }
    render();
  } catch (err) {
    hideTyping();
    if (err instanceof ApiError && err.sessionInvalid && !sessionRetried) {
      // The saved conversation is gone: start a fresh one and send there.
      resetConversation({ keepPending: true });
      return deliver(clientMessageId, { sessionRetried: true });
    }
    if (err instanceof ApiError && err.status === 413) {
      store.removePending(clientMessageId);
      if (!ui.input.value) ui.input.value = pending.text;
      updateComposer();
      showComposerError(say('tooLong', { max: MAX_MESSAGE_LENGTH.toLocaleString(lang) }));
    } else if (err instanceof ApiError && err.status === 429) {
      store.markFailed(clientMessageId);
      const wait = err.retryAfter ?? 10;
      showComposerError((n) => say('tooFastWait', { n }), {
        seconds: wait,
      });
    } else if (err instanceof ApiError && err.network) {
      store.markFailed(clientMessageId);
    } else {
      store.markFailed(clientMessageId);
      showComposerError(describeError(err));
    }
    render();
  }
}

export function wireComposer() {
  ui.composer.addEventListener('submit', (e) => {
    e.preventDefault();
    submitComposer();
  });
  ui.input.addEventListener('input', updateComposer);
  ui.input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submitComposer();
    }
  });
}
