// The live stream of one conversation: snapshots, messages and status changes from the
// server, and the "Reconnecting…" banner when the stream drops for more than a moment.
import { createLiveConnection } from './chat-client.js';
import { api, render, state, store, ui } from './chat-state.js';
import { hideTyping, stopTypingIfAny } from './typing-indicator.js';

let connectionTimer = null;

export function applyConversation(conversation) {
  if (!conversation || typeof conversation !== 'object') return;
  if (state.session && conversation.id && conversation.id !== state.session.conversationId) return;
  if (typeof conversation.status === 'string') state.status = conversation.status;
  if (conversation.agent?.name) state.agentName = conversation.agent.name;
  else if (state.status !== 'claimed' && state.status !== 'resolved') state.agentName = undefined;
  if (state.status === 'resolved') stopTypingIfAny();
}

export function onServerMessage(m) {
  store.upsert(m);
  if (
    state.typingAfterSeq !== null &&
    (m.author === 'bot' || m.author === 'agent') &&
    typeof m.seq === 'number' &&
    m.seq > state.typingAfterSeq
  ) {
    hideTyping();
  }
}

/** Opens the stream for the saved session; `onSessionLost` runs when the server refuses it for good. */
export function startLive({ catchUpFirst, onSessionLost }) {
  stopLive();
  if (!state.session) return;
  const { conversationId, token } = state.session;
  const connection = createLiveConnection({
    api,
    conversationId,
    token,
    catchUpFirst,
    getAfter: () => store.maxSeq,
    onSnapshot: (r) => {
      applyConversation(r.conversation);
      for (const m of r.messages ?? []) onServerMessage(m);
      render();
    },
    onMessage: (m) => {
      onServerMessage(m);
      render();
    },
    onStatus: (s) => {
      applyConversation(s);
      render();
    },
    onFatal: () => {
      if (state.live === connection) onSessionLost();
    },
    onStateChange: (s) => setConnectionState(s),
  });
  state.live = connection;
}
export function stopLive() {
  state.live?.stop();
  state.live = null;
  setConnectionState('open');
}

function setConnectionState(connectionState) {
  clearTimeout(connectionTimer);
  if (connectionState === 'reconnecting') {
    // Only bother the customer if it does not come back quickly.
    connectionTimer = setTimeout(() => {
      ui.connection.hidden = false;
    }, 2500);
  } else {
    ui.connection.hidden = true;
  }
}
