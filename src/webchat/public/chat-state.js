// Shared state of the chat page: the DOM nodes, the API client, the message store, the
// current conversation and the saved session. Every other module reads and writes these.
import { createApiClient } from './chat-client.js';
import { createMessageStore } from './message-store.js';

const SESSION_KEY = 'baton.session';

const $ = (id) => /** @type {any} */ (document.getElementById(id));
export const ui = {
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

export const api = createApiClient();
export const store = createMessageStore();

export const state = {
  /** @type {{ conversationId: string, token: string, emailSentTo?: string, csatDone?: boolean, notifiedSeq?: number } | null} */
  session: null,
  status: undefined, // undefined until a conversation exists
  agentName: undefined,
  agentAvatarUrl: undefined, // the agent's Slack picture (checked by the server), for the header
  live: null,
  creating: null, // in-flight createConversation promise
  typingAfterSeq: null, // hide the typing indicator once a reply past this seq arrives
  /** @type {{ customer?: { name?: string, email?: string }, pageUrl?: string, metadata?: Record<string, string> } | null} */
  host: null, // embed mode: what the shop page told us (embed.js), sent when the conversation is created
};

// ---------------------------------------------------------------- rendering

let renderer = () => {};

/** Sets the function `render` calls (chat-view.js); the entry point does this once. */
export function setRenderer(fn) {
  renderer = fn;
}

/** Re-render everything that depends on state; keeps the view pinned to the bottom if it was. */
export function render(opts) {
  renderer(opts);
}

// ---------------------------------------------------------------- session

let memorySession = null; // fallback when localStorage is unavailable
export function loadSession() {
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
export function saveSession() {
  memorySession = state.session;
  try {
    if (state.session) localStorage.setItem(SESSION_KEY, JSON.stringify(state.session));
    else localStorage.removeItem(SESSION_KEY);
  } catch {
    // storage blocked (private mode, third-party iframe): keep it in memory only
  }
}
