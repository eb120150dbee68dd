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
/**
 * The agent messages at least half in view now, as nodes: a re-rendered reply is a new node with the
 * same seq, and the old one leaving must not take the new one's place off the screen.
 */
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
  const newlySeen = [...wanted.seen].filter((seq) => !sent.seen.has(seq)).slice(0, 100);
  if (newlySeen.length) body.seen = newlySeen;
  if (!Object.keys(body).length) return;
  const settle = () => {
    sent.delivered = Math.max(sent.delivered, body.delivered ?? 0);
    for (const seq of newlySeen) sent.seen.add(seq);
  };
  api.sendReceipts(session.conversationId, session.token, body).then(
    () => {
      settle();
      schedule();
    },
    (error) => {
      // Offline, or the server busy: tried again, so a reply is never left without its mark. A receipt
      // refused as such (the conversation gone, the token no longer valid) is not sent again.
      const status = error?.status;
      if (typeof status === 'number' && status >= 400 && status < 500 && status !== 429) settle();
      else schedule(RETRY_MS);
    },
  );
}

function schedule(delay = 250) {
  if (!timer) timer = setTimeout(flush, delay);
}

function noteSeen() {
  if (document.visibilityState !== 'visible') return;
  for (const li of onScreen) if (li.isConnected) wanted.seen.add(Number(li.dataset.seq));
  schedule();
}

function watch(li) {
  if (!observer) {
    if (typeof IntersectionObserver !== 'function') return;
    observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          if (e.isIntersecting && e.target.isConnected) onScreen.add(e.target);
          else {
            onScreen.delete(e.target);
            // A node replaced by a re-render is watched no longer.
            if (!e.target.isConnected) observer.unobserve(e.target);
          }
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
