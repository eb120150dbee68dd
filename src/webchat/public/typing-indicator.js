// The "Assistant is typing…" indicator, and the scroll position it shares with the message list.
import { state, ui } from './chat-state.js';

const TYPING_TIMEOUT_MS = 60000;

let typingTimer = null;

export function isNearBottom() {
  const s = ui.scroller;
  return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
}
export function scrollToBottom() {
  ui.scroller.scrollTop = ui.scroller.scrollHeight;
}

export function showTyping(afterSeq) {
  state.typingAfterSeq = afterSeq;
  const stick = isNearBottom();
  ui.typing.hidden = false;
  if (stick) scrollToBottom();
  clearTimeout(typingTimer);
  typingTimer = setTimeout(hideTyping, TYPING_TIMEOUT_MS);
}
export function hideTyping() {
  state.typingAfterSeq = null;
  ui.typing.hidden = true;
  clearTimeout(typingTimer);
}
export function stopTypingIfAny() {
  if (!ui.typing.hidden) hideTyping();
}
