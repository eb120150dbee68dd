// Tells Baton which agent replies this page received and which it showed on screen, so the agent sees
// ✓ (delivered) and 👀 (seen) on their reply in Slack. "Seen" means really shown: the tab visible, the
// chat open (a closed widget hides this frame, so nothing in it is on screen) and at least half of the
// message inside the view. A receipt names the highest seq received and each seq shown (not the highest:
// a long reply above one in view may never have been on screen). Baton marks each reply once.
import { api, state, store, ui } from './chat-state.js';

const RETRY_MS = 5000;

let conversationId = '';
let sent = { delivered: 0, seen: new Set() };
let wanted = { delivered: 0, seen: new Set() };
/** The seqs of agent messages at least half in view now. */
const onScreen = new Set();
let timer;
let observer;

function resetFor(id) {
  conversationId = id;
  sent = { delivered: 0, seen: new Set() };
  wanted = { delivered: 0, seen: new Set() };
  onScreen.clear();
}

function flush() {
  timer = undefined;
  const session = state.session;
  if (!session || session.conversationId !== conversationId) return;
  const body = {};
  if (wanted.delivered > sent.delivered) body.delivered = wanted.delivered;
  if (wanted.seen > sent.seen) body.seen = wanted.seen;
  if (!Object.keys(body).length) return;
  const sending = { ...wanted };
  api.sendReceipts(session.conversationId, session.token, body).then(
    () => {
      sent = {
        delivered: Math.max(sent.delivered, sending.delivered),
        seen: Math.max(sent.seen, sending.seen),
      };
      schedule();
    },
    // Offline or refused: tried again, so a reply is never left without its mark.
    () => schedule(RETRY_MS),
  );
}

function schedule(delay = 250) {
  if (!timer) timer = setTimeout(flush, delay);
}

function noteSeen() {
  if (document.visibilityState !== 'visible') return;
  for (const seq of onScreen) wanted.seen.add(seq);
  schedule();
}

function watch(li) {
  if (!observer) {
    if (typeof IntersectionObserver !== 'function') return;
    observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          const seq = Number(/** @type {HTMLElement} */ (e.target).dataset.seq);
          if (e.isIntersecting) onScreen.add(seq);
          else onScreen.delete(seq);
        }
        noteSeen();
      },
      { threshold: 0.5 },
    );
  }
  observer.observe(li);
}

/** After each render: what the store holds is delivered; agent replies on the page are watched. */
export function trackReceipts() {
  const session = state.session;
  if (!session) return;
  if (session.conversationId !== conversationId) resetFor(session.conversationId);
  for (const m of store.list())
    if (m.author === 'agent' && !m.local && typeof m.seq === 'number' && !m.deleted)
      wanted.delivered = Math.max(wanted.delivered, m.seq);
  for (const li of ui.messages.querySelectorAll('.msg--agent[data-seq]')) {
    // A re-rendered reply is a new node: watched again.
    if (li.dataset.watched) continue;
    li.dataset.watched = '1';
    watch(li);
  }
  schedule();
}

document.addEventListener('visibilitychange', noteSeen);
