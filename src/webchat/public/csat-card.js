// The card shown once the conversation is resolved: a 1–5 rating with an optional comment,
// and the "Start a new conversation" link below it.
import { describeError, hideFieldError, showFieldError } from './chat-errors.js';
import { api, render, saveSession, state, ui } from './chat-state.js';

export function renderCsatCard() {
  const resolved = state.status === 'resolved';
  ui.csatCard.hidden = !resolved;
  ui.restart.hidden = !resolved;
  if (resolved) {
    ui.csatForm.hidden = !!state.session?.csatDone;
    ui.csatDone.hidden = !state.session?.csatDone;
  }
}

export function resetCsatCard() {
  ui.csatForm.reset();
  ui.csatSubmit.disabled = true;
  hideFieldError(ui.csatError);
}

function selectedScore() {
  const checked = ui.csatForm.querySelector('input[name="score"]:checked');
  return checked ? Number(checked.value) : 0;
}

async function submitCsat(event) {
  event.preventDefault();
  const score = selectedScore();
  if (!score || !state.session) return;
  ui.csatSubmit.disabled = true;
  hideFieldError(ui.csatError);
  try {
    await api.submitCsat(
      state.session.conversationId,
      state.session.token,
      score,
      ui.csatComment.value.trim(),
    );
    state.session.csatDone = true;
    saveSession();
    render();
    ui.csatDone.focus?.();
  } catch (err) {
    showFieldError(ui.csatError, describeError(err));
    ui.csatSubmit.disabled = false;
  }
}

export function wireCsatCard() {
  ui.csatForm.addEventListener('change', () => {
    ui.csatSubmit.disabled = !selectedScore();
  });
  ui.csatForm.addEventListener('submit', (e) => void submitCsat(e));
}
