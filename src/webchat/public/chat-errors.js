// Error lines: the one above the composer (optionally counting down) and the ones in the cards.
import { ApiError } from './chat-client.js';
import { ui } from './chat-state.js';
import { t } from './page-text.js';

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
    if (err.status === 429) return t.tooFast;
    if (err.status === 503 || err.status >= 500) return t.serverTrouble;
    if (err.network) return t.offline;
    // The server's own sentence (a 4xx it explains), in the server's language.
    if (err.message) return err.message;
  }
  return t.somethingWrong;
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
