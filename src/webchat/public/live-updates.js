// The live stream of one conversation: snapshots, messages and status changes from the
// server, and the banner when the stream drops for more than a moment or the browser goes offline.
import { createLiveConnection } from './chat-client.js';
import { api, render, state, store, ui } from './chat-state.js';
import { t } from './page-text.js';
import { hideTyping, stopTypingIfAny } from './typing-indicator.js';

let connectionTimer = null;
let streamState = 'open';
let offline = false;
let onBack = () => {};

/** Sets what runs when the stream is back after a drop (the entry point resends failed messages). */
export function whenStreamReturns(fn) {
  onBack = fn;
}

export function applyConversation(conversation) {
  if (!conversation || typeof conversation !== 'object') return;
  if (state.session && conversation.id && conversation.id !== state.session.conversationId) return;
  if (typeof conversation.status === 'string') state.status = conversation.status;
  // The wait travels with the conversation's view (GET /messages, POST /handoff), never on the stream.
  if (conversation.wait && typeof conversation.wait === 'object') state.wait = conversation.wait;
  else if (state.status !== 'waiting') state.wait = undefined;
  if (conversation.agent?.name) {
    state.agentName = conversation.agent.name;
    state.agentAvatarUrl = conversation.agent.avatarUrl;
  } else if (state.status !== 'claimed' && state.status !== 'resolved') {
    state.agentName = undefined;
    state.agentAvatarUrl = undefined;
  }
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
  streamState = 'open'; // stopped on purpose: nothing came back, nothing to resend
  paintBanner();
}

/** The browser says it lost (or regained) the network: say so at once, not after the grace time. */
export function setOffline(value) {
  offline = value;
  paintBanner();
}

function setConnectionState(connectionState) {
  const back = streamState === 'reconnecting' && connectionState === 'open';
  streamState = connectionState;
  paintBanner();
  // The browser's `online` event is not the only sign: a frame may not get it, a server may come back.
  if (back) onBack();
}

function paintBanner() {
  clearTimeout(connectionTimer);
  const show = (text) => {
    ui.connection.textContent = text;
    ui.connection.hidden = false;
  };
  if (offline) show(t.offlineBanner);
  // Only bother the customer about a dropped stream if it does not come back quickly.
  else if (streamState === 'reconnecting') connectionTimer = setTimeout(() => show(t.reconnecting), 2500);
  else ui.connection.hidden = true;
}
