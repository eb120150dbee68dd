// The line under the waiting notice while a person is being fetched: the queue ahead and how long a
// person usually takes (the conversation's `wait`, docs/api.md). The stream says when the status
// changes but carries no wait; this reads the history (cheap, the server caches the figure) when the
// wait starts and every half minute while it lasts, so the queue moves and a promise the server
// withdraws disappears here too.
import { api, render, state, store } from './chat-state.js';
import { applyConversation, onServerMessage } from './live-updates.js';
import { say, t } from './page-text.js';

const REFRESH_MS = 30_000;

let timer = null;
let lastRead = 0;
/** When this spell of waiting began here: until the wait is known, the line stays empty (one announcement, not two). */
let waitingSince = 0;

/** What to tell a waiting customer; no number unless the server gave one. */
export function waitText(wait) {
  const parts = [];
  const ahead = Number.isInteger(wait?.ahead) ? wait.ahead : 0;
  if (ahead > 0 && !wait.afterHours)
    parts.push(ahead === 1 ? t.waitAheadOne : say('waitAheadMany', { n: ahead }));
  if (wait?.afterHours) parts.push(t.waitAfterHours);
  else if (Number.isInteger(wait?.minutes) && wait.minutes >= 1)
    parts.push(wait.minutes === 1 ? t.waitMinutesOne : say('waitMinutesMany', { n: wait.minutes }));
  else if (wait?.overAnHour) parts.push(t.waitOverAnHour);
  else parts.push(t.waitUnknown);
  return parts.join(' ');
}

export function renderWaitLine() {
  const line = document.getElementById('wait-line');
  if (!line) return;
  const waiting = state.status === 'waiting' && !!state.session;
  if (!waiting) waitingSince = 0;
  else if (!waitingSince) waitingSince = Date.now();
  const known = !!state.wait || lastRead >= waitingSince;
  const text = waiting && known ? waitText(state.wait) : '';
  // Written only when it changes: the line is a live region, and a repeat would be read out again.
  if (line.textContent !== text) line.textContent = text;
  line.hidden = !text;
  if (!waiting) {
    clearTimeout(timer);
    timer = null;
  } else if (!timer) {
    // Soon when the wait is not known yet (the stream said "waiting"), then every REFRESH_MS.
    timer = setTimeout(refresh, known ? REFRESH_MS : 300);
  }
}

async function refresh() {
  const s = state.session;
  if (!s || state.status !== 'waiting') {
    timer = null;
    return;
  }
  lastRead = Date.now();
  try {
    const r = await api.getMessages(s.conversationId, s.token, store.maxSeq);
    if (state.session === s) {
      applyConversation(r.conversation);
      for (const m of r.messages ?? []) onServerMessage(m);
    }
  } catch {
    // A lost session or network is the stream's business (it reconnects or starts afresh); try later.
  }
  timer = null;
  render();
}
