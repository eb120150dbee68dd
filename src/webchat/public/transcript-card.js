// "Email me this conversation": a link below the conversation (there once the conversation has a
// message, and still there after the rating card), opening a small card for the address. The address
// is only ever what the customer types or accepts: the field is prefilled from what they gave before
// (the shop's identify, the follow-up card, an earlier transcript), never sent on its own.
import { ApiError } from './chat-client.js';
import { describeError, hideFieldError, showFieldError } from './chat-errors.js';
import { api, render, saveSession, state, store } from './chat-state.js';
import { say, t } from './page-text.js';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const $ = (id) => /** @type {any} */ (document.getElementById(id));

/** 'closed' (the link), 'open' (the form) or 'done' (the confirmation, with the link to send again). */
let view = 'closed';
let doneTo = '';
/** Kept across retries of one submission, so a request whose answer was lost is not queued twice. */
let requestId = null;
// The address the id was made for: an edited address is a new request, never a repeat of the old one.
let requestFor = null;
let forConversation = null;

export function renderTranscriptCard() {
  const id = state.session?.conversationId ?? null;
  if (id !== forConversation) {
    forConversation = id;
    view = 'closed';
    requestId = null;
  }
  $('transcript').hidden = !id || store.maxSeq === 0;
  $('transcript-offer').hidden = view === 'open';
  // Below the confirmation, the link offers another copy rather than repeating the card's title.
  $('transcript-offer').textContent = view === 'done' ? t.transcriptAgain : t.transcriptOffer;
  $('transcript-card').hidden = view === 'closed';
  $('transcript-form').hidden = view !== 'open';
  $('transcript-done').hidden = view !== 'done';
  if (view === 'done') $('transcript-done').textContent = say('transcriptDone', { email: doneTo });
}

function knownEmail() {
  return state.session?.transcriptEmail || state.host?.customer?.email || state.session?.emailSentTo || '';
}

function openCard() {
  view = 'open';
  requestId = null;
  $('transcript-form').reset();
  hideFieldError($('transcript-error'));
  $('transcript-email').removeAttribute('aria-invalid');
  $('transcript-email').value = knownEmail();
  render();
  $('transcript-email').focus();
}

function closeCard() {
  view = 'closed';
  render();
  $('transcript-offer').focus();
}

function refusal(err) {
  if (!(err instanceof ApiError)) return describeError(err);
  if (err.status === 503) return t.transcriptUnavailable;
  if (err.status === 429)
    return err.retryAfter ? say('transcriptTooMany', { n: Math.ceil(err.retryAfter / 60) }) : t.tooFast;
  if (err.status === 400) return t.emailCheck;
  return describeError(err);
}

async function submit(event) {
  event.preventDefault();
  const input = $('transcript-email');
  const error = $('transcript-error');
  const email = input.value.trim();
  if (!EMAIL_RE.test(email)) {
    input.setAttribute('aria-invalid', 'true');
    showFieldError(error, t.emailInvalid);
    input.focus();
    return;
  }
  input.removeAttribute('aria-invalid');
  hideFieldError(error);
  const s = state.session;
  if (!s) return;
  const button = $('transcript-form').querySelector('button[type="submit"]');
  button.disabled = true;
  if (requestFor !== email) requestId = null;
  requestId ??= crypto.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  requestFor = email;
  try {
    await api.requestTranscript(s.conversationId, s.token, email, requestId);
    s.transcriptEmail = email;
    saveSession();
    view = 'done';
    doneTo = email;
    requestId = null;
    render();
    $('transcript-done').focus();
  } catch (err) {
    // Only a failure that may not have reached the server keeps the id for the retry.
    if (!(err instanceof ApiError && err.network)) requestId = null;
    showFieldError(error, refusal(err));
  } finally {
    button.disabled = false;
  }
}

export function wireTranscriptCard() {
  $('transcript-offer').addEventListener('click', openCard);
  $('transcript-cancel').addEventListener('click', closeCard);
  $('transcript-form').addEventListener('submit', (e) => void submit(e));
}
