// Baton customer chat page: wires the API client, message store and renderer
// to the DOM in index.html. Loaded as an ES module; no inline script or style.
import { ApiError, createApiClient, createLiveConnection, MAX_MESSAGE_LENGTH } from './chat-client.js';
import { createMessageStore, messageKey, messageVersion } from './message-store.js';
import { canRequestHuman, reconcile, renderMessage, statusText } from './render.js';

const SESSION_KEY = 'baton.session';
const COUNTER_FROM = MAX_MESSAGE_LENGTH - 500;
const TYPING_TIMEOUT_MS = 60000;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

const $ = (id) => /** @type {any} */ (document.getElementById(id));
const ui = {
  status: $('status'),
  statusLabel: $('status-label'),
  handoff: $('handoff'),
  scroller: $('scroller'),
  messages: $('messages'),
  typing: $('typing'),
  queuedCard: $('queued-card'),
  emailForm: $('email-form'),
  emailInput: $('email-input'),
  emailError: $('email-error'),
  emailDone: $('email-done'),
  csatCard: $('csat-card'),
  csatForm: $('csat-form'),
  csatComment: $('csat-comment'),
  csatSubmit: $('csat-submit'),
  csatError: $('csat-error'),
  csatDone: $('csat-done'),
  restart: $('restart'),
  newConversation: $('new-conversation'),
  connection: $('connection'),
  composer: $('composer'),
  composerError: $('composer-error'),
  input: $('input'),
  send: $('send'),
  counter: $('counter'),
};

const api = createApiClient();
const store = createMessageStore();

/** @type {{ conversationId: string, token: string, emailSentTo?: string, csatDone?: boolean } | null} */
let session = null;
let status; // undefined until a conversation exists
let agentName;
let live = null;
let creating = null; // in-flight createConversation promise
let typingAfterSeq = null; // hide the typing indicator once a reply past this seq arrives
let typingTimer = null;
let connectionTimer = null;
let errorTimer = null;

// ---------------------------------------------------------------- session

let memorySession = null; // fallback when localStorage is unavailable
function loadSession() {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    if (!raw) return null;
    const s = JSON.parse(raw);
    if (s && typeof s.conversationId === 'string' && typeof s.token === 'string') return s;
  } catch {
    return memorySession;
  }
  return null;
}
function saveSession() {
  memorySession = session;
  try {
    if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    else localStorage.removeItem(SESSION_KEY);
  } catch {
    // storage blocked (private mode, third-party iframe): keep it in memory only
  }
}

// ---------------------------------------------------------------- rendering

function isNearBottom() {
  const s = ui.scroller;
  return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
}
function scrollToBottom() {
  ui.scroller.scrollTop = ui.scroller.scrollHeight;
}

/** Re-render everything that depends on state; keeps the view pinned to the bottom if it was. */
function render({ forceScroll = false } = {}) {
  const stick = forceScroll || isNearBottom();
  const items = store.list();
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
    version: (m) => `${messageVersion(m)}|${showLabel.get(m)}`,
    render: (m) => renderMessage(document, m, { showLabel: showLabel.get(m), onRetry: retrySend }),
  });
  renderStatus();
  if (stick) scrollToBottom();
}

function renderStatus() {
  ui.status.dataset.status = status ?? 'bot';
  ui.statusLabel.textContent = statusText(status, agentName);
  ui.handoff.hidden = !canRequestHuman(status);

  const queued = status === 'queued';
  ui.queuedCard.hidden = !queued;
  if (queued) {
    const sentTo = session?.emailSentTo;
    ui.emailForm.hidden = !!sentTo;
    ui.emailDone.hidden = !sentTo;
    if (sentTo) ui.emailDone.textContent = `Thanks — we'll email you at ${sentTo}`;
  }

  const resolved = status === 'resolved';
  ui.csatCard.hidden = !resolved;
  ui.restart.hidden = !resolved;
  if (resolved) {
    ui.csatForm.hidden = !!session?.csatDone;
    ui.csatDone.hidden = !session?.csatDone;
  }

  ui.input.disabled = resolved;
  ui.input.placeholder = resolved ? 'This conversation has ended' : 'Type your message…';
  if (status && status !== 'bot') hideTyping();
  updateComposer();
}

// ---------------------------------------------------------------- typing indicator

function showTyping(afterSeq) {
  typingAfterSeq = afterSeq;
  const stick = isNearBottom();
  ui.typing.hidden = false;
  if (stick) scrollToBottom();
  clearTimeout(typingTimer);
  typingTimer = setTimeout(hideTyping, TYPING_TIMEOUT_MS);
}
function hideTyping() {
  typingAfterSeq = null;
  ui.typing.hidden = true;
  clearTimeout(typingTimer);
}

// ---------------------------------------------------------------- conversation state

function applyConversation(conversation) {
  if (!conversation || typeof conversation !== 'object') return;
  if (session && conversation.id && conversation.id !== session.conversationId) return;
  if (typeof conversation.status === 'string') status = conversation.status;
  if (conversation.agent?.name) agentName = conversation.agent.name;
  else if (status !== 'claimed' && status !== 'resolved') agentName = undefined;
  if (status === 'resolved') stopTypingIfAny();
}
function stopTypingIfAny() {
  if (!ui.typing.hidden) hideTyping();
}

function onServerMessage(m) {
  store.upsert(m);
  if (
    typingAfterSeq !== null &&
    (m.author === 'bot' || m.author === 'agent') &&
    typeof m.seq === 'number' &&
    m.seq > typingAfterSeq
  ) {
    hideTyping();
  }
}

function startLive({ catchUpFirst }) {
  stopLive();
  if (!session) return;
  const { conversationId, token } = session;
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
      if (live === connection) resetConversation({ keepPending: true });
    },
    onStateChange: (state) => setConnectionState(state),
  });
  live = connection;
}
function stopLive() {
  live?.stop();
  live = null;
  setConnectionState('open');
}

function setConnectionState(state) {
  clearTimeout(connectionTimer);
  if (state === 'reconnecting') {
    // Only bother the customer if it does not come back quickly.
    connectionTimer = setTimeout(() => {
      ui.connection.hidden = false;
    }, 2500);
  } else {
    ui.connection.hidden = true;
  }
}

/** Forget the conversation (token expired, conversation gone, or "Start a new conversation"). */
function resetConversation({ keepPending = false } = {}) {
  stopLive();
  const pending = keepPending ? store.list().filter((m) => m.local) : [];
  store.clear();
  for (const p of pending) {
    store.addPending(p.clientMessageId, p.text, p.createdAt);
    if (p.state === 'failed') store.markFailed(p.clientMessageId, p.error);
  }
  session = null;
  saveSession();
  status = undefined;
  agentName = undefined;
  hideTyping();
  ui.csatForm.reset();
  ui.csatSubmit.disabled = true;
  ui.emailForm.reset();
  hideFieldError(ui.emailError);
  hideFieldError(ui.csatError);
  render();
}

/** The conversation to write to, creating it on first use. */
async function ensureConversation() {
  if (session) return session;
  if (!creating) {
    creating = (async () => {
      const params = new URLSearchParams(location.search);
      const body = { pageUrl: params.get('pageUrl') || document.referrer || location.href };
      const name = params.get('name');
      const email = params.get('email');
      if (name || email) {
        body.customer = {};
        if (name) body.customer.name = name;
        if (email) body.customer.email = email;
      }
      const r = await api.createConversation(body);
      if (!r?.conversation?.id || !r.token) throw new ApiError(503, 'bad_response', 'Unexpected response');
      session = { conversationId: r.conversation.id, token: r.token };
      saveSession();
      applyConversation(r.conversation);
      startLive({ catchUpFirst: false });
      render();
      return session;
    })().finally(() => {
      creating = null;
    });
  }
  return creating;
}

// ---------------------------------------------------------------- errors

function showComposerError(text, { seconds } = {}) {
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
function clearComposerError() {
  clearInterval(errorTimer);
  ui.composerError.hidden = true;
  ui.composerError.textContent = '';
}

function describeError(err) {
  if (err instanceof ApiError) {
    if (err.status === 429) return 'You’re sending messages too fast — please wait a moment and try again.';
    if (err.status === 503 || err.status >= 500)
      return 'We’re having trouble right now. Please try again in a moment.';
    if (err.network) return 'You appear to be offline. Check your connection and try again.';
    if (err.message) return err.message;
  }
  return 'Something went wrong. Please try again.';
}

function showFieldError(node, text) {
  node.textContent = text;
  node.hidden = false;
  node.scrollIntoView({ block: 'nearest' });
}
function hideFieldError(node) {
  node.textContent = '';
  node.hidden = true;
}

// ---------------------------------------------------------------- sending

function updateComposer() {
  const text = ui.input.value;
  const len = text.length;
  const over = len > MAX_MESSAGE_LENGTH;
  ui.counter.hidden = len < COUNTER_FROM;
  ui.counter.textContent = over
    ? `${len.toLocaleString()} / ${MAX_MESSAGE_LENGTH.toLocaleString()} — ${(len - MAX_MESSAGE_LENGTH).toLocaleString()} over the limit`
    : `${len.toLocaleString()} / ${MAX_MESSAGE_LENGTH.toLocaleString()}`;
  ui.counter.classList.toggle('counter--over', over);
  ui.send.disabled = ui.input.disabled || text.trim() === '' || over;
}

function submitComposer() {
  const text = ui.input.value;
  if (ui.input.disabled || text.trim() === '' || text.length > MAX_MESSAGE_LENGTH) return;
  const clientMessageId = crypto.randomUUID();
  store.addPending(clientMessageId, text.trim());
  ui.input.value = '';
  updateComposer();
  clearComposerError();
  render({ forceScroll: true });
  void deliver(clientMessageId);
}

function retrySend(clientMessageId) {
  void deliver(clientMessageId);
}

async function deliver(clientMessageId, { sessionRetried = false } = {}) {
  const pending = store.getPending(clientMessageId);
  if (!pending) return;
  store.addPending(clientMessageId, pending.text); // back to "sending…"
  render();
  const expectReply = status === undefined || status === 'bot';
  if (expectReply) showTyping(Number.POSITIVE_INFINITY);
  try {
    const s = await ensureConversation();
    const r = await api.sendMessage(s.conversationId, s.token, pending.text, clientMessageId);
    const message = r?.message;
    if (message) {
      onServerMessage({ ...message, clientMessageId: message.clientMessageId ?? clientMessageId });
      if (expectReply && typingAfterSeq !== null && typeof message.seq === 'number') {
        // A reply may already have arrived over the stream before this answer.
        const replied = store
          .list()
          .some((m) => (m.author === 'bot' || m.author === 'agent') && m.seq > message.seq);
        if (replied || status !== 'bot') hideTyping();
        else typingAfterSeq = message.seq;
      }
    } else {
      store.removePending(clientMessageId);
    }
    render();
  } catch (err) {
    hideTyping();
    if (err instanceof ApiError && err.sessionInvalid && !sessionRetried) {
      // The saved conversation is gone: start a fresh one and send there.
      resetConversation({ keepPending: true });
      return deliver(clientMessageId, { sessionRetried: true });
    }
    if (err instanceof ApiError && err.status === 413) {
      store.removePending(clientMessageId);
      if (!ui.input.value) ui.input.value = pending.text;
      updateComposer();
      showComposerError(
        `Your message is too long — please keep it under ${MAX_MESSAGE_LENGTH.toLocaleString()} characters.`,
      );
    } else if (err instanceof ApiError && err.status === 429) {
      store.markFailed(clientMessageId);
      const wait = err.retryAfter ?? 10;
      showComposerError((n) => `You're sending messages too fast — try again in ${n} s`, {
        seconds: wait,
      });
    } else if (err instanceof ApiError && err.network) {
      store.markFailed(clientMessageId);
    } else {
      store.markFailed(clientMessageId);
      showComposerError(describeError(err));
    }
    render();
  }
}

// ---------------------------------------------------------------- handoff, email, CSAT

async function requestHandoff() {
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
  } catch (err) {
    showComposerError(describeError(err));
  } finally {
    ui.handoff.disabled = false;
  }
}

async function submitEmail(event) {
  event.preventDefault();
  const email = ui.emailInput.value.trim();
  if (!EMAIL_RE.test(email)) {
    ui.emailInput.setAttribute('aria-invalid', 'true');
    showFieldError(ui.emailError, 'Please enter a valid email address, like name@example.com.');
    ui.emailInput.focus();
    return;
  }
  ui.emailInput.removeAttribute('aria-invalid');
  hideFieldError(ui.emailError);
  if (!session) return;
  const button = ui.emailForm.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    await api.submitEmail(session.conversationId, session.token, email);
    session.emailSentTo = email;
    saveSession();
    render();
  } catch (err) {
    showFieldError(
      ui.emailError,
      err instanceof ApiError && err.status === 400 ? 'Please check your email address.' : describeError(err),
    );
  } finally {
    button.disabled = false;
  }
}

function selectedScore() {
  const checked = ui.csatForm.querySelector('input[name="score"]:checked');
  return checked ? Number(checked.value) : 0;
}

async function submitCsat(event) {
  event.preventDefault();
  const score = selectedScore();
  if (!score || !session) return;
  ui.csatSubmit.disabled = true;
  hideFieldError(ui.csatError);
  try {
    await api.submitCsat(session.conversationId, session.token, score, ui.csatComment.value.trim());
    session.csatDone = true;
    saveSession();
    render();
    ui.csatDone.focus?.();
  } catch (err) {
    showFieldError(ui.csatError, describeError(err));
    ui.csatSubmit.disabled = false;
  }
}

// ---------------------------------------------------------------- wiring

ui.composer.addEventListener('submit', (e) => {
  e.preventDefault();
  submitComposer();
});
ui.input.addEventListener('input', updateComposer);
ui.input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
    e.preventDefault();
    submitComposer();
  }
});
ui.handoff.addEventListener('click', () => void requestHandoff());
ui.emailForm.addEventListener('submit', (e) => void submitEmail(e));
ui.emailInput.addEventListener('input', () => {
  if (!ui.emailError.hidden && EMAIL_RE.test(ui.emailInput.value.trim())) {
    ui.emailInput.removeAttribute('aria-invalid');
    hideFieldError(ui.emailError);
  }
});
ui.csatForm.addEventListener('change', () => {
  ui.csatSubmit.disabled = !selectedScore();
});
ui.csatForm.addEventListener('submit', (e) => void submitCsat(e));
ui.newConversation.addEventListener('click', () => {
  resetConversation();
  clearComposerError();
  ui.input.focus();
});
window.addEventListener('online', () => live?.reconnectNow());

session = loadSession();
render({ forceScroll: true });
if (session) startLive({ catchUpFirst: true });
ui.input.focus({ preventScroll: true });
