// The conversation itself: created on first use, resumed from the saved session, and
// forgotten when its token expires, it is gone, or the customer starts a new one.
import { ApiError } from './chat-client.js';
import { api, render, saveSession, state, store } from './chat-state.js';
import { resetCsatCard } from './csat-card.js';
import { resetEmailCard } from './email-card.js';
import { applyConversation, startLive, stopLive } from './live-updates.js';
import { hideTyping } from './typing-indicator.js';

/** Follows the saved conversation live; if the server gives up on it, the page starts afresh. */
export function connectLive({ catchUpFirst }) {
  startLive({ catchUpFirst, onSessionLost: () => resetConversation({ keepPending: true }) });
}

/** Forget the conversation (token expired, conversation gone, or "Start a new conversation"). */
export function resetConversation({ keepPending = false } = {}) {
  stopLive();
  const pending = keepPending ? store.list().filter((m) => m.local) : [];
  store.clear();
  for (const p of pending) {
    store.addPending(p.clientMessageId, p.text, p.createdAt);
    if (p.state === 'failed') store.markFailed(p.clientMessageId, p.error);
  }
  state.session = null;
  saveSession();
  state.status = undefined;
  state.agentName = undefined;
  state.agentAvatarUrl = undefined;
  hideTyping();
  resetCsatCard();
  resetEmailCard();
  render();
}

/** The conversation to write to, creating it on first use. */
export async function ensureConversation() {
  if (state.session) return state.session;
  if (!state.creating) {
    state.creating = (async () => {
      const params = new URLSearchParams(location.search);
      const body = { pageUrl: params.get('pageUrl') || document.referrer || location.href };
      // A name may come with the link; an email address never does: a link anyone can send would
      // otherwise decide where the agent's replies are emailed. The customer types it themselves.
      const name = params.get('name');
      if (name) body.customer = { name };
      const r = await createWithHostContext(body);
      if (!r?.conversation?.id || !r.token) throw new ApiError(503, 'bad_response', 'Unexpected response');
      state.session = { conversationId: r.conversation.id, token: r.token };
      saveSession();
      applyConversation(r.conversation);
      connectLive({ catchUpFirst: false });
      render();
      return state.session;
    })().finally(() => {
      state.creating = null;
    });
  }
  return state.creating;
}

/**
 * In embed mode the shop page's context (embed.js) joins the body. It is checked there, but if the
 * server still refuses it, the chat starts without it: a bad custom field must not stop a customer.
 */
async function createWithHostContext(body) {
  const host = state.host;
  if (!host) return api.createConversation(body);
  const customer = { ...body.customer, ...host.customer };
  const withHost = { ...body, ...host, ...(Object.keys(customer).length ? { customer } : {}) };
  try {
    return await api.createConversation(withHost);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 400) throw err;
    return api.createConversation(body);
  }
}
