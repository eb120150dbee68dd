// Renders the page from state: the message list (grouped by speaker), the header, the
// cards and the composer's locked or open state.
import { state, store, ui } from './chat-state.js';
import { retrySend, updateComposer } from './composer.js';
import { renderCsatCard } from './csat-card.js';
import { renderEmailCard } from './email-card.js';
import { paintHeaderAvatar } from './agent-avatar.js';
import { placeSentMark } from './delivery-mark.js';
import { sentMarkKey } from './message-delivery.js';
import { messageKey, messageVersion } from './message-store.js';
import { trackReceipts } from './read-receipts.js';
import { t } from './page-text.js';
import { reconcile, renderMessage } from './render.js';
import { renderHeader } from './status-header.js';
import { hideTyping, isNearBottom, scrollToBottom } from './typing-indicator.js';
import { renderTranscriptCard } from './transcript-card.js';
import { renderWaitLine } from './wait-line.js';

/** Re-render everything that depends on state; keeps the view pinned to the bottom if it was. */
export function renderPage({ forceScroll = false } = {}) {
  const stick = forceScroll || isNearBottom();
  const items = store.list();
  // Offline, a message that failed for want of a network is not "Not sent" but waiting to be sent.
  const offline = navigator.onLine === false;
  const ctxFor = [];
  let prev = null;
  for (const m of items) {
    const sameSpeaker =
      prev &&
      prev.author === m.author &&
      m.author !== 'system' &&
      !prev.deleted &&
      (prev.agent?.name ?? '') === (m.agent?.name ?? '');
    ctxFor.push(!sameSpeaker);
    prev = m;
  }
  const showLabel = new Map(items.map((m, i) => [m, ctxFor[i]]));
  reconcile(ui.messages, items, {
    key: messageKey,
    version: (m) => `${messageVersion(m)}|${showLabel.get(m)}|${offline}`,
    render: (m) => renderMessage(document, m, { showLabel: showLabel.get(m), onRetry: retrySend, offline }),
  });
  placeSentMark(ui.messages, sentMarkKey(items));
  trackReceipts();
  renderStatus();
  if (stick) scrollToBottom();
}

function renderStatus() {
  renderHeader();
  const claimed = state.status === 'claimed' && state.agentName;
  paintHeaderAvatar(
    ui.status,
    claimed ? { name: state.agentName, avatarUrl: state.agentAvatarUrl } : undefined,
  );
  renderEmailCard();
  renderCsatCard();
  renderWaitLine();
  renderTranscriptCard();

  const resolved = state.status === 'resolved';
  ui.input.disabled = resolved;
  ui.input.placeholder = resolved ? t.placeholderEnded : t.placeholder;
  if (state.status && state.status !== 'bot') hideTyping();
  updateComposer();
}
