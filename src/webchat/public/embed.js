// Embed mode (`/?embed=1`): the chat page inside the widget's iframe on a shop's site (widget.js).
// It tells the widget about new assistant and agent messages (unread badge, `Baton.on('message')`),
// asks it to close on Escape, and takes the shopper's identity, the page URL and custom fields
// (`Baton.identify` / `Baton.setFields`) for the card. Without `?embed=1` none of this runs.
import { state, saveSession, store, ui } from './chat-state.js';
import { connectLive } from './conversation.js';
import { applyAccent, applyTitle } from './page-theme.js';

export const embedMode = new URLSearchParams(location.search).get('embed') === '1';

/** The shop page's origin, learnt from its hello; nothing is posted before it is known. */
let parentOrigin = '';
/** The session saved before this page loaded, if any (its history is not news). */
let loadedSession;
/** The session as last handed to the widget to keep, while our own storage is blocked. */
let mirrored = 'null';

// Where the session lives: in this page's own localStorage (the Baton origin; browsers partition it
// per shop site, so it follows the shopper across that shop's pages and no shop script can read the
// token). Browsers that block storage in third-party frames (Chrome with third-party cookies blocked,
// headless Chromium) throw on it; then the widget keeps a copy in the shop's sessionStorage, which
// still survives reloads and navigation in that tab. That copy is readable by the shop's own scripts:
// the price of resuming at all there, and kept to the tab's lifetime rather than forever.
const ownStorage = (() => {
  try {
    return typeof localStorage.getItem('baton.session') !== 'undefined';
  } catch {
    return false;
  }
})();

/** A session the widget kept for us (see above), if it looks like one. */
function keptSession(value) {
  const ok = value && typeof value.conversationId === 'string' && typeof value.token === 'string';
  return ok ? value : null;
}

function mirrorSession() {
  const now = JSON.stringify(state.session);
  if (ownStorage || now === mirrored || !parentOrigin) return;
  mirrored = now;
  toParent('session', { session: state.session });
}

// How the parent origin is learnt: the widget posts `hello` first, and the browser stamps the message
// with the sender's real origin. It is trusted only if it comes from our direct parent window and
// matches `location.ancestorOrigins` where the browser has it. The server's CSP `frame-ancestors`
// ('self' plus ALLOWED_ORIGINS) already refuses to render this page in any other site's frame, so an
// origin that reaches here is one the operator listed. `document.referrer` is not used: a host page's
// Referrer-Policy may empty it, and it names where the frame was loaded from, not who is there now.
function fromParent(event) {
  if (window.parent === window || event.source !== window.parent) return false;
  const ancestor = location.ancestorOrigins?.[0];
  if (ancestor !== undefined && ancestor !== event.origin) return false;
  return !parentOrigin || event.origin === parentOrigin;
}

function toParent(kind, extra = {}) {
  if (parentOrigin) window.parent.postMessage({ baton: 1, kind, ...extra }, parentOrigin);
}

const line = (v, max) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : undefined);

/** The context the widget sent, shaped as the create-conversation API expects (see schemas.ts). */
function hostContext(msg) {
  const customer = {};
  const name = line(msg.customer?.name, 100);
  const email = line(msg.customer?.email, 254);
  if (name) customer.name = name;
  // An email is taken here though never from a link: only a page on an origin the operator allowed
  // can be our parent, so it is the shop's own signed-in shopper, not a stranger's guess.
  if (email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) customer.email = email;
  const metadata = {};
  for (const [k, v] of Object.entries(msg.fields ?? {}).slice(0, 20)) {
    const key = line(k, 64);
    const value = line(v, 500);
    if (key && value) metadata[key] = value;
  }
  const pageUrl = line(msg.pageUrl, 2000);
  return {
    ...(Object.keys(customer).length ? { customer } : {}),
    ...(pageUrl && /^https?:\/\//.test(pageUrl) ? { pageUrl } : {}),
    ...(Object.keys(metadata).length ? { metadata } : {}),
  };
}

/** Posts assistant and agent messages past the last one announced; the mark is kept in the session. */
function announceNew() {
  const session = state.session;
  if (!session || !parentOrigin) return;
  const stored = store.list().filter((m) => !m.local && typeof m.seq === 'number');
  // A saved session from before embed mode: its history is old news, not unread. A session this page
  // created has announced nothing yet.
  if (typeof session.notifiedSeq !== 'number') {
    if (session !== loadedSession) session.notifiedSeq = 0;
    else if (!stored.length) return;
    else session.notifiedSeq = store.maxSeq;
  }
  const fresh = stored.filter(
    (m) => m.seq > session.notifiedSeq && (m.author === 'bot' || m.author === 'agent') && !m.deleted,
  );
  if (!fresh.length) return;
  for (const m of fresh) {
    toParent('message', {
      message: { seq: m.seq, author: m.author, text: m.text, agentName: m.agent?.name },
    });
  }
  session.notifiedSeq = Math.max(...fresh.map((m) => m.seq));
  saveSession();
}

/** Wraps the page renderer so every render also tells the parent what is new. */
export function startEmbed(renderPage) {
  document.documentElement.dataset.embed = '1';
  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (!msg || msg.baton !== 1 || !fromParent(event)) return;
    if (msg.kind === 'hello') {
      // The widget's look after the shop's overrides, so the send button matches the launcher.
      applyAccent(msg.theme?.color);
      applyTitle(msg.theme?.title);
      parentOrigin = event.origin;
      toParent('ready');
      const kept = keptSession(msg.session);
      if (!state.session && kept) {
        state.session = loadedSession = kept;
        mirrored = JSON.stringify(kept);
        saveSession();
        connectLive({ catchUpFirst: true });
      }
      announceNew();
    } else if (msg.kind === 'context') {
      state.host = hostContext(msg);
    } else if (msg.kind === 'focus') {
      ui.input.focus({ preventScroll: true });
    }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.defaultPrevented) toParent('close');
  });
  let first = true;
  return (opts) => {
    if (first) loadedSession = state.session; // the entry point renders once, right after loading it
    first = false;
    renderPage(opts);
    announceNew();
    mirrorSession();
  };
}
