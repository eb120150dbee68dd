// Error lines: the one above the composer (optionally counting down) and the ones in the cards.
import { ApiError } from './chat-client.js';
import { ui } from './chat-state.js';

let errorTimer = null;

export function showComposerError(text, { seconds } = {}) {
  clearInterval(errorTimer);
  ui.composerError.hidden = false;
  if (seconds && seconds > 0) {
    let left = Math.ceil(seconds);
    const tick = () => {
      if (left <= 0) {
        clearComposerError();
        return;
      }
      ui.composerError.textContent = text(left);
      left--;
    };
    tick();
    errorTimer = setInterval(tick, 1000);
  } else {
    ui.composerError.textContent = typeof text === 'function' ? text(0) : text;
  }
}
export function clearComposerError() {
  clearInterval(errorTimer);
  ui.composerError.hidden = true;
  ui.composerError.textContent = '';
}

export function describeError(err) {
  if (err instanceof ApiError) {
    if (err.status === 429) return 'You’re sending messages too fast — please wait a moment and try again.';
    if (err.status === 503 || err.status >= 500)
      return 'We’re having trouble right now. Please try again in a moment.';
    if (err.network) return 'You appear to be offline. Check your connection and try again.';
    if (err.message) return err.message;
  }
  return 'Something went wrong. Please try again.';
}

export function showFieldError(node, text) {
  node.textContent = text;
  node.hidden = false;
  node.scrollIntoView({ block: 'nearest' });
}
export function hideFieldError(node) {
  node.textContent = '';
  node.hidden = true;
}
