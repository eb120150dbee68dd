// The card shown while the conversation is queued: the customer leaves an email address
// and the team replies there.
import { ApiError } from './chat-client.js';
import { describeError, hideFieldError, showFieldError } from './chat-errors.js';
import { api, render, saveSession, state, ui } from './chat-state.js';
import { say, t } from './page-text.js';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

export function renderEmailCard() {
  const queued = state.status === 'queued';
  ui.queuedCard.hidden = !queued;
  if (queued) {
    const sentTo = state.session?.emailSentTo;
    ui.emailForm.hidden = !!sentTo;
    ui.emailDone.hidden = !sentTo;
    if (sentTo) ui.emailDone.textContent = say('emailDone', { email: sentTo });
  }
}

export function resetEmailCard() {
  ui.emailForm.reset();
  hideFieldError(ui.emailError);
}

async function submitEmail(event) {
  event.preventDefault();
  const email = ui.emailInput.value.trim();
  if (!EMAIL_RE.test(email)) {
    ui.emailInput.setAttribute('aria-invalid', 'true');
    showFieldError(ui.emailError, t.emailInvalid);
    ui.emailInput.focus();
    return;
  }
  ui.emailInput.removeAttribute('aria-invalid');
  hideFieldError(ui.emailError);
  if (!state.session) return;
  const button = ui.emailForm.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    await api.submitEmail(state.session.conversationId, state.session.token, email);
    state.session.emailSentTo = email;
    saveSession();
    render();
  } catch (err) {
    showFieldError(
      ui.emailError,
      err instanceof ApiError && err.status === 400 ? t.emailCheck : describeError(err),
    );
  } finally {
    button.disabled = false;
  }
}

export function wireEmailCard() {
  ui.emailForm.addEventListener('submit', (e) => void submitEmail(e));
  ui.emailInput.addEventListener('input', () => {
    if (!ui.emailError.hidden && EMAIL_RE.test(ui.emailInput.value.trim())) {
      ui.emailInput.removeAttribute('aria-invalid');
      hideFieldError(ui.emailError);
    }
  });
}
