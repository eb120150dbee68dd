// The header: who is answering (assistant, waiting, an agent's name…) and the
// "Talk to a person" button that asks for a handoff.
import { ApiError } from './chat-client.js';
import { clearComposerError, describeError, showComposerError } from './chat-errors.js';
import { api, render, state, ui } from './chat-state.js';
import { ensureConversation, resetConversation } from './conversation.js';
import { applyConversation } from './live-updates.js';
import { canRequestHuman, statusText } from './render.js';
import { hideTyping } from './typing-indicator.js';

export function renderHeader() {
  ui.status.dataset.status = state.status ?? 'bot';
  ui.statusLabel.textContent = statusText(state.status, state.agentName);
  ui.handoff.hidden = !canRequestHuman(state.status);
}

async function requestHandoff() {
  // The button hides once a person is asked for; a keyboard user's focus goes on to the composer
  // instead of falling back to the start of the page.
  const hadFocus = document.activeElement === ui.handoff;
  ui.handoff.disabled = true;
  clearComposerError();
  try {
    const s = await ensureConversation();
    let r;
    try {
      r = await api.handoff(s.conversationId, s.token);
    } catch (err) {
      if (!(err instanceof ApiError && err.sessionInvalid)) throw err;
      resetConversation({ keepPending: true });
      const fresh = await ensureConversation();
      r = await api.handoff(fresh.conversationId, fresh.token);
    }
    hideTyping();
    applyConversation(r?.conversation ?? { status: 'waiting' });
    render({ forceScroll: true });
    if (hadFocus && ui.handoff.hidden) ui.input.focus({ preventScroll: true });
  } catch (err) {
    showComposerError(describeError(err));
  } finally {
    ui.handoff.disabled = false;
  }
}

export function wireHandoffButton() {
  ui.handoff.addEventListener('click', () => void requestHandoff());
}
