// The agent view of Baton's local Slack workspace. Plain DOM, no framework: state lives
// in `S`, every refresh re-renders the affected pane from JSON the /ui/* routes return.
import { el, plain, renderBlocks, renderMrkdwn, stateValues } from './blocks.js';
import { encodeOutgoing, escapeText, toEditable } from './mrkdwn.js';

const USER_KEY = 'baton.sandbox.user';
const HANDOFF_NAME = 'support-handoffs';
const GROUP_WINDOW_S = 5 * 60;

const S = {
  user: localStorage.getItem(USER_KEY) || '',
  workspace: null,
  users: [],
  channels: [],
  route: { kind: 'channel', channel: '', thread: '' },
  messages: [],
  ephemerals: [],
  thread: null,
  home: null,
  modal: null,
  /** view id → JSON of the view the person closed; shown again only if it changes. */
  dismissedModals: new Map(),
  dismissedEphemerals: new Set(),
  /** Notes only this page shows (e.g. a slash command that failed), shaped like ephemerals. */
  notes: [],
  modalErrors: {},
  editing: null,
  loadedChannel: '',
};

const $ = (id) => document.getElementById(id);

// ---------- HTTP ----------

async function api(path, body) {
  const init =
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const res = await fetch(path, init);
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(json?.error?.message || `HTTP ${res.status}`);
    err.code = json?.error?.code;
    throw err;
  }
  return json;
}

function deliveryProblem(delivery, what) {
  if (!delivery || delivery.ok) return '';
  if (delivery.error === 'bot_not_in_channel') return '';
  const why = delivery.error ? delivery.error.replaceAll('_', ' ') : `status ${delivery.status}`;
  return `${what}: Baton didn't accept it (${why})`;
}

// ---------- toasts ----------

function toast(message, kind = 'error') {
  const t = el('div', `toast toast-${kind}`, message);
  $('toasts').append(t);
  setTimeout(() => t.classList.add('toast-out'), 4500);
  setTimeout(() => t.remove(), 5000);
}

// ---------- people and names ----------

const PALETTE = ['#e8912d', '#2eb67d', '#36c5f0', '#e01e5a', '#8e44ad', '#1d9bd1', '#d4a017', '#c2185b'];

function userById(id) {
  return S.users.find((u) => u.id === id);
}

function userName(id) {
  const u = userById(id);
  return u ? u.displayName || u.realName || u.name : id;
}

function channelName(id) {
  const c = S.channels.find((ch) => ch.id === id);
  return c ? c.name : id;
}

function initials(name) {
  const parts = String(name).trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}

function avatar(id, bot, size = '') {
  const u = userById(id);
  const a = el('span', `avatar${size ? ` avatar-${size}` : ''}${bot ? ' avatar-bot' : ''}`);
  a.textContent = bot ? 'B' : initials(u?.realName || u?.name || id);
  if (!bot) {
    let h = 0;
    for (const ch of String(id)) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    a.style.backgroundColor = PALETTE[h % PALETTE.length];
  }
  a.setAttribute('aria-hidden', 'true');
  return a;
}

const humans = () => S.users.filter((u) => !u.isBot);
const me = () => userById(S.user);
const isBotMessage = (m) => Boolean(m.bot_id) || m.user === S.workspace?.botUserId;

function ctxFor(onButton, disabledReason) {
  return { userName, channelName, onButton, buttonsDisabled: disabledReason };
}

// ---------- time ----------

function tsDate(ts) {
  return new Date(Number.parseFloat(ts) * 1000);
}

function timeEl(ts) {
  const d = tsDate(ts);
  const t = el('time', 'msg-time', d.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' }));
  t.dateTime = d.toISOString();
  t.title = d.toLocaleString();
  return t;
}

// ---------- routing ----------

function defaultChannel() {
  const byName = S.channels.find((c) => c.name === HANDOFF_NAME);
  return byName?.id || S.workspace?.handoffChannelId || S.channels[0]?.id || '';
}

function parseHash() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'home') return { kind: 'home', channel: S.route.channel, thread: '' };
  return { kind: 'channel', channel: parts[0] || '', thread: parts[1] || '' };
}

function go(hash) {
  if (location.hash === hash) void onRoute();
  else location.hash = hash;
}

async function onRoute() {
  const r = parseHash();
  if (r.kind === 'channel' && !r.channel) r.channel = S.route.channel || defaultChannel();
  const wasHome = S.route.kind === 'home';
  S.route = r;
  if (r.kind === 'home') {
    document.body.classList.add('on-home');
    if (!wasHome || !S.home) await openHome();
  } else {
    document.body.classList.remove('on-home');
    if (!r.thread) S.thread = null;
    await refresh();
  }
}

// ---------- refresh ----------

let refreshing = null;
let refreshAgain = false;

async function refresh() {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      refreshAgain = false;
      try {
        await refreshOnce();
      } catch (err) {
        toast(err.message);
      }
    } while (refreshAgain);
  })();
  try {
    await refreshing;
  } finally {
    refreshing = null;
  }
}

async function refreshOnce() {
  if (!S.user) return;
  if (S.route.kind === 'home') {
    const home = await api(`/ui/home?user=${encodeURIComponent(S.user)}`);
    S.workspace = home.workspace;
    S.home = home.view;
    S.modal = home.modal;
    renderHome();
    renderModal();
    return;
  }
  const channel = S.route.channel || defaultChannel();
  const q = `user=${encodeURIComponent(S.user)}&channel=${encodeURIComponent(channel)}`;
  const state = await api(`/ui/state?${q}`);
  Object.assign(S, {
    workspace: state.workspace,
    users: state.users,
    channels: state.channels,
    messages: state.messages,
    ephemerals: state.ephemerals,
    modal: state.modal,
  });
  if (S.route.thread) {
    try {
      S.thread = await api(`/ui/thread?${q}&ts=${encodeURIComponent(S.route.thread)}`);
    } catch (err) {
      S.thread = null;
      toast(err.message);
    }
  } else {
    S.thread = null;
  }
  renderSidebar();
  renderChannel(channel !== S.loadedChannel);
  S.loadedChannel = channel;
  renderThread();
  renderModal();
}

// ---------- sidebar ----------

function renderSidebar() {
  $('ws-name').textContent = S.workspace?.name ?? 'Baton local workspace';
  const list = $('channel-list');
  const dms = $('dm-list');
  list.replaceChildren();
  dms.replaceChildren();
  for (const c of S.channels) {
    if (c.isArchived) continue;
    const isDm = c.id.startsWith('D');
    if (isDm && !c.memberIds.includes(S.user)) continue;
    const a = el('a', 'nav-item');
    a.href = `#/${encodeURIComponent(c.id)}`;
    if (isDm) {
      a.append(el('span', 'nav-app-icon', 'B'), el('span', 'nav-label', 'Baton'));
    } else {
      a.append(el('span', 'nav-hash', c.isPrivate ? '🔒' : '#'), el('span', 'nav-label', c.name));
    }
    if (S.route.kind === 'channel' && S.route.channel === c.id) a.classList.add('active');
    const li = el('li');
    li.append(a);
    (isDm ? dms : list).append(li);
  }
  $('dm-section').hidden = dms.childElementCount === 0;
  $('home-link').classList.toggle('active', S.route.kind === 'home');
  renderMe();
}

function renderMe() {
  const u = me();
  $('me-avatar').replaceWith(Object.assign(avatar(S.user, false), { id: 'me-avatar' }));
  $('me-name').textContent = u ? u.realName || u.name : 'Choose a user';
  const status = $('me-status');
  status.textContent = u ? (u.presence === 'active' ? 'Active' : 'Away') : '';
  status.className = `me-status ${u?.presence === 'active' ? 'is-active' : 'is-away'}`;
}

function renderMeMenu() {
  const menu = $('me-menu');
  menu.replaceChildren(el('div', 'menu-title', 'Act as'));
  for (const u of humans()) {
    const item = el('button', `menu-item${u.id === S.user ? ' selected' : ''}`);
    item.type = 'button';
    item.setAttribute('role', 'menuitemradio');
    item.setAttribute('aria-checked', String(u.id === S.user));
    item.dataset.userId = u.id;
    item.append(
      avatar(u.id, false, 'sm'),
      el('span', 'menu-item-name', u.realName || u.name),
      el('span', 'menu-item-handle', `@${u.name}`),
    );
    item.addEventListener('click', () => {
      closeMeMenu();
      switchUser(u.id);
    });
    menu.append(item);
  }
  const u = me();
  if (u) {
    menu.append(el('hr', 'menu-sep'));
    const next = u.presence === 'active' ? 'away' : 'active';
    const toggle = el(
      'button',
      'menu-item',
      next === 'away' ? 'Set yourself as away' : 'Set yourself as active',
    );
    toggle.type = 'button';
    toggle.addEventListener('click', async () => {
      closeMeMenu();
      try {
        await api('/ui/presence', { user: S.user, presence: next });
        await refresh();
      } catch (err) {
        toast(err.message);
      }
    });
    menu.append(toggle);
  }
}

function closeMeMenu() {
  $('me-menu').hidden = true;
  $('me-button').setAttribute('aria-expanded', 'false');
}

function switchUser(id) {
  if (id === S.user) return;
  S.user = id;
  localStorage.setItem(USER_KEY, id);
  S.home = null;
  S.notes = [];
  S.editing = null;
  S.dismissedModals.clear();
  if (S.route.kind === 'home') void openHome();
  else void refresh();
}

// ---------- messages ----------

function canChange(m) {
  return !isBotMessage(m) && m.user === S.user;
}

const directory = () => ({ users: S.users, channels: S.channels });

/**
 * True when the blocks are just the rich_text block Slack derives from a plain `text`
 * post: then the text is the source of truth and renders as mrkdwn.
 */
function derivedFromText(blocks, text) {
  if (blocks.length !== 1 || blocks[0]?.type !== 'rich_text') return false;
  const sections = blocks[0].elements ?? [];
  if (sections.length !== 1 || sections[0]?.type !== 'rich_text_section') return false;
  const parts = sections[0].elements ?? [];
  return parts.every((e) => e.type === 'text' && !e.style) && parts.map((e) => e.text).join('') === text;
}

/** Blocks when the message has real ones, otherwise its text as mrkdwn. */
function contentOf(m, ctx) {
  if (Array.isArray(m.blocks) && m.blocks.length > 0 && !derivedFromText(m.blocks, m.text)) {
    return renderBlocks(m.blocks, ctx);
  }
  return renderMrkdwn(m.text, ctx, 'md msg-text');
}

function messageContent(m, onButton) {
  if (S.editing?.ts === m.ts) return editor(m);
  return contentOf(m, ctxFor(onButton));
}

function editor(m) {
  const form = el('form', 'msg-editor');
  const input = el('textarea', 'msg-editor-input');
  input.value = S.editing.draft;
  input.addEventListener('input', () => {
    S.editing.draft = input.value;
  });
  const save = el('button', 'bk-button bk-primary', 'Save');
  save.type = 'submit';
  const cancel = el('button', 'bk-button', 'Cancel');
  cancel.type = 'button';
  cancel.addEventListener('click', () => {
    S.editing = null;
    rerender();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') cancel.click();
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    try {
      const edit = { user: S.user, channel: m.channel, ts: m.ts, text: encodeOutgoing(text, directory()) };
      const r = await api('/ui/edit', edit);
      S.editing = null;
      const problem = deliveryProblem(r.delivery, 'Edit saved');
      if (problem) toast(problem, 'warn');
      await refresh();
    } catch (err) {
      toast(err.message);
    }
  });
  const row = el('div', 'msg-editor-buttons');
  row.append(cancel, save);
  form.append(input, row);
  queueMicrotask(() => {
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  });
  return form;
}

function hoverMenu(m, inThread) {
  const menu = el('div', 'msg-hover');
  if (!inThread && !m.ephemeral) {
    const reply = el('button', 'hover-btn', '💬');
    reply.type = 'button';
    reply.title = 'Reply in thread';
    reply.addEventListener('click', () => openThread(m.channel, m.ts));
    menu.append(reply);
  }
  if (canChange(m)) {
    const edit = el('button', 'hover-btn', 'Edit');
    edit.type = 'button';
    edit.addEventListener('click', () => {
      S.editing = { ts: m.ts, draft: toEditable(m.text, directory()) };
      rerender();
    });
    const del = el('button', 'hover-btn hover-danger', 'Delete');
    del.type = 'button';
    del.addEventListener('click', async () => {
      if (!window.confirm('Delete this message? This can’t be undone.')) return;
      try {
        await api('/ui/delete', { user: S.user, channel: m.channel, ts: m.ts });
        await refresh();
      } catch (err) {
        toast(err.message);
      }
    });
    menu.append(edit, del);
  }
  return menu.childElementCount > 0 ? menu : null;
}

function clickHandler(channel, messageTs, ephemeral) {
  return async (element) => {
    try {
      const body = { user: S.user, channel, messageTs, actionId: element.action_id };
      if (element.value !== undefined) body.value = String(element.value);
      if (ephemeral) body.ephemeral = true;
      const r = await api('/ui/click', body);
      const problem = deliveryProblem(r.delivery, `“${plain(element.text)}”`);
      if (problem) toast(problem);
    } catch (err) {
      toast(err.message);
    }
  };
}

/** One message row. opts: {inThread, grouped, highlight} */
function messageRow(m, opts = {}) {
  const bot = isBotMessage(m);
  const row = el('div', `msg${opts.grouped ? ' grouped' : ''}${opts.highlight ? ' highlight' : ''}`);
  row.dataset.ts = m.ts;
  const gutter = el('div', 'msg-gutter');
  if (opts.grouped) gutter.append(timeEl(m.ts));
  else gutter.append(avatar(m.user, bot));
  const body = el('div', 'msg-body');
  if (!opts.grouped) {
    const meta = el('div', 'msg-meta');
    meta.append(el('span', 'msg-author', bot ? 'Baton' : userName(m.user)));
    if (bot) meta.append(el('span', 'app-badge', 'APP'));
    meta.append(timeEl(m.ts));
    body.append(meta);
  }
  body.append(messageContent(m, clickHandler(m.channel, m.ts, false)));
  // Slack shows "(edited)" for people's edits, not for an app updating its own message.
  if (m.edited && !bot && S.editing?.ts !== m.ts) body.append(el('span', 'edited', '(edited)'));
  if (!opts.inThread && m.replyCount > 0) body.append(replyBar(m));
  row.append(gutter, body);
  const hover = hoverMenu(m, opts.inThread);
  if (hover) row.append(hover);
  return row;
}

function replyBar(m) {
  const bar = el('button', 'reply-bar');
  bar.type = 'button';
  const faces = el('span', 'reply-faces');
  for (const u of m.replyUsers ?? []) faces.append(avatar(u, u === S.workspace?.botUserId, 'xs'));
  bar.append(faces, el('span', 'reply-count', `${m.replyCount} ${m.replyCount === 1 ? 'reply' : 'replies'}`));
  if (m.latestReply)
    bar.append(
      el(
        'span',
        'reply-last',
        `Last reply ${tsDate(m.latestReply).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' })}`,
      ),
    );
  bar.addEventListener('click', () => openThread(m.channel, m.ts));
  return bar;
}

function ephemeralRow(e) {
  const row = el('div', 'msg ephemeral');
  row.dataset.ts = e.ts;
  const gutter = el('div', 'msg-gutter');
  gutter.append(avatar(e.user, true));
  const body = el('div', 'msg-body');
  const meta = el('div', 'msg-meta');
  meta.append(el('span', 'msg-author', 'Baton'), el('span', 'app-badge', 'APP'), timeEl(e.ts));
  body.append(meta);
  const onButton = e.local ? null : clickHandler(e.channel, e.ts, true);
  const ctx = ctxFor(onButton, e.local ? 'This note was made by the page, not by Baton' : undefined);
  body.append(contentOf(e, ctx));
  const foot = el('div', 'ephemeral-foot');
  foot.append(el('span', 'ephemeral-eye'), el('span', '', 'Only visible to you'));
  const dismiss = el('button', 'link-button', 'Dismiss');
  dismiss.type = 'button';
  dismiss.addEventListener('click', () => {
    S.dismissedEphemerals.add(e.ts);
    rerender();
  });
  foot.append(dismiss);
  body.append(foot);
  row.append(gutter, body);
  return row;
}

function visibleEphemerals(list, threadTs) {
  const notes = S.notes.filter(
    (n) => n.channel === (S.route.channel || defaultChannel()) && (n.thread_ts || '') === (threadTs || ''),
  );
  return [...list, ...notes].filter((e) => !S.dismissedEphemerals.has(e.ts));
}

/** Messages and ephemerals interleaved by time, with Slack-style grouping of consecutive posts. */
function renderList(container, messages, ephemerals, opts) {
  const items = [...messages.map((m) => ({ m })), ...ephemerals.map((e) => ({ e }))];
  items.sort((a, b) => Number.parseFloat((a.m ?? a.e).ts) - Number.parseFloat((b.m ?? b.e).ts));
  const frag = document.createDocumentFragment();
  let prev = null;
  let lastDay = '';
  for (const item of items) {
    const ts = (item.m ?? item.e).ts;
    const day = tsDate(ts).toDateString();
    if (!opts.inThread && day !== lastDay) {
      frag.append(dayDivider(ts));
      prev = null;
    }
    lastDay = day;
    if (item.e) {
      frag.append(ephemeralRow(item.e));
      prev = null;
      continue;
    }
    const m = item.m;
    const grouped =
      prev !== null &&
      !opts.noGroupTs?.includes(m.ts) &&
      prev.user === m.user &&
      isBotMessage(prev) === isBotMessage(m) &&
      !(prev.replyCount > 0) &&
      Number.parseFloat(m.ts) - Number.parseFloat(prev.ts) < GROUP_WINDOW_S;
    frag.append(messageRow(m, { inThread: opts.inThread, grouped, highlight: opts.highlight === m.ts }));
    prev = m;
  }
  container.replaceChildren(frag);
}

function dayDivider(ts) {
  const d = tsDate(ts);
  const today = new Date().toDateString() === d.toDateString();
  const div = el('div', 'day-divider');
  div.append(
    el(
      'span',
      '',
      today ? 'Today' : d.toLocaleDateString([], { weekday: 'long', month: 'long', day: 'numeric' }),
    ),
  );
  return div;
}

function stickyRender(container, render, forceBottom) {
  const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 48;
  const top = container.scrollTop;
  render();
  if (forceBottom || atBottom) container.scrollTop = container.scrollHeight;
  else container.scrollTop = top;
}

function renderChannel(switched) {
  const channel = S.channels.find((c) => c.id === (S.route.channel || defaultChannel()));
  const isDm = channel?.id.startsWith('D');
  $('main-title').textContent = isDm ? 'Baton' : `#${channel?.name ?? ''}`;
  $('main-sub').textContent = isDm
    ? 'Direct message with the Baton app'
    : `${channel?.memberIds.length ?? 0} members`;
  $('composer-input').placeholder = isDm ? 'Message Baton' : `Message #${channel?.name ?? ''}`;
  const box = $('messages');
  stickyRender(
    box,
    () => {
      renderList(box, S.messages, visibleEphemerals(S.ephemerals, ''), { inThread: false });
      if (S.messages.length === 0) box.prepend(emptyState(channel));
    },
    switched,
  );
}

function emptyState(channel) {
  const div = el('div', 'empty');
  div.append(el('div', 'empty-title', `This is the very beginning of #${channel?.name ?? ''}`));
  div.append(
    el('div', 'empty-sub', 'Handoff cards from Baton show up here. Try a slash command like /baton.'),
  );
  return div;
}

// ---------- thread ----------

function openThread(channel, ts) {
  go(`#/${encodeURIComponent(channel)}/${encodeURIComponent(ts)}`);
}

function renderThread() {
  const pane = $('thread');
  const t = S.thread;
  pane.hidden = !t;
  document.body.classList.toggle('thread-open', Boolean(t));
  if (!t) return;
  const switched = pane.dataset.threadTs !== t.threadTs;
  pane.dataset.threadTs = t.threadTs;
  $('thread-sub').textContent = `#${t.channel.name}`;
  const box = $('thread-messages');
  stickyRender(
    box,
    () => {
      const [root, ...replies] = t.messages;
      const frag = document.createDocumentFragment();
      if (root)
        frag.append(
          messageRow(root, {
            inThread: true,
            highlight: t.highlight === root.ts && replies.length > 0 && t.highlight !== t.threadTs,
          }),
        );
      if (replies.length > 0) {
        const sep = el('div', 'thread-sep');
        sep.append(el('span', '', `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`));
        frag.append(sep);
      }
      const list = el('div', 'thread-replies');
      renderList(list, replies, visibleEphemerals(t.ephemerals, t.threadTs), {
        inThread: true,
        highlight: t.highlight,
      });
      frag.append(list);
      box.replaceChildren(frag);
    },
    switched,
  );
  if (switched) $('reply-input').focus();
}

// ---------- App Home ----------

async function openHome() {
  if (!S.user) return;
  renderSidebar();
  $('main-title').textContent = 'Baton';
  $('main-sub').textContent = 'App Home';
  try {
    const r = await api('/ui/home', { user: S.user });
    S.home = r.view;
    const problem = deliveryProblem(r.delivery, 'Opening App Home');
    if (problem) toast(problem, 'warn');
  } catch (err) {
    toast(err.message);
  }
  await refresh();
}

function viewClickHandler(viewId) {
  return async (element) => {
    try {
      const r = await api('/ui/click-view', { user: S.user, viewId, actionId: element.action_id });
      const problem = deliveryProblem(r.delivery, `“${plain(element.text)}”`);
      if (problem) toast(problem);
    } catch (err) {
      toast(err.message);
    }
  };
}

function renderHome() {
  renderSidebar();
  $('main-title').textContent = 'Baton';
  $('main-sub').textContent = 'App Home';
  const box = $('home');
  const v = S.home;
  if (!v) {
    box.replaceChildren(el('div', 'empty', 'Baton hasn’t published an App Home for you yet.'));
    return;
  }
  const can = S.workspace?.viewButtons;
  const ctx = ctxFor(
    can ? viewClickHandler(v.id) : null,
    can ? undefined : 'Buttons in App Home aren’t supported by this local workspace yet',
  );
  const card = el('div', 'home-card');
  card.append(renderBlocks(v.view.blocks ?? [], ctx));
  box.replaceChildren(card);
}

// ---------- modals ----------

let shownModal = '';

function renderModal() {
  const root = $('modal-root');
  const v = S.modal;
  const fingerprint = v ? JSON.stringify(v.view) : '';
  const hidden = !v || S.dismissedModals.get(v.id) === fingerprint;
  if (hidden) {
    root.replaceChildren();
    shownModal = '';
    return;
  }
  const key = `${v.id}\u0000${fingerprint}\u0000${JSON.stringify(v.errors ?? {})}`;
  if (key === shownModal) return; // keep what the person typed
  shownModal = key;
  const inputs = new Map();
  const errors = { ...(v.errors ?? {}), ...(S.modalErrors[v.id] ?? {}) };
  const can = S.workspace?.viewButtons;
  const ctx = {
    ...ctxFor(
      can ? viewClickHandler(v.id) : null,
      can ? undefined : 'Buttons in modals aren’t supported by this local workspace yet',
    ),
    inputs,
    errors,
  };
  const overlay = el('div', 'modal-overlay');
  const dialog = el('form', 'modal');
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.noValidate = true;
  const head = el('div', 'modal-head');
  const title = el('h2', 'modal-title', plain(v.view.title) || 'Baton');
  dialog.setAttribute('aria-label', title.textContent);
  const x = el('button', 'icon-button', '✕');
  x.type = 'button';
  x.setAttribute('aria-label', 'Close');
  head.append(title, x);
  const body = el('div', 'modal-body');
  body.append(renderBlocks(v.view.blocks ?? [], ctx));
  const foot = el('div', 'modal-foot');
  const cancel = el('button', 'bk-button', plain(v.view.close) || 'Cancel');
  cancel.type = 'button';
  foot.append(cancel);
  if (v.view.submit) {
    const submit = el('button', 'bk-button bk-primary', plain(v.view.submit));
    submit.type = 'submit';
    foot.append(submit);
  }
  const close = () => {
    S.dismissedModals.set(v.id, fingerprint);
    renderModal();
  };
  x.addEventListener('click', close);
  cancel.addEventListener('click', close);
  overlay.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
  });
  dialog.addEventListener('submit', async (e) => {
    e.preventDefault();
    const missing = {};
    for (const { block, control } of inputs.values()) {
      if (!block.optional && !control.value.trim())
        missing[block.block_id] = 'Please complete this required field.';
    }
    if (Object.keys(missing).length > 0) {
      S.modalErrors[v.id] = missing;
      shownModal = '';
      renderModal();
      return;
    }
    delete S.modalErrors[v.id];
    foot.querySelectorAll('button').forEach((b) => {
      b.disabled = true;
    });
    try {
      const r = await api('/ui/submit-view', { user: S.user, viewId: v.id, values: stateValues(inputs) });
      const ack = parseAck(r.delivery.body);
      if (!r.delivery.ok) {
        toast(deliveryProblem(r.delivery, 'Submit'));
      } else if (ack?.response_action === 'errors') {
        S.modalErrors[v.id] = ack.errors ?? {};
        shownModal = '';
      } else {
        S.dismissedModals.set(v.id, fingerprint);
      }
    } catch (err) {
      toast(err.message);
    }
    shownModal = '';
    await refresh();
  });
  dialog.append(head, body, foot);
  overlay.append(dialog);
  root.replaceChildren(overlay);
  queueMicrotask(() => dialog.querySelector('input, textarea, select')?.focus());
}

function parseAck(body) {
  try {
    return body ? JSON.parse(body) : null;
  } catch {
    return null;
  }
}

// ---------- composers ----------

function autoresize(input) {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 200)}px`;
}

function wireComposer(form, input, threadTs) {
  input.addEventListener('input', () => autoresize(input));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value;
    if (!text.trim() || !S.user) return;
    const channel = S.route.channel || defaultChannel();
    const thread = threadTs();
    input.disabled = true;
    try {
      if (/^\/[a-z0-9_-]+(\s|$)/i.test(text.trim())) {
        await runCommand(channel, text.trim(), thread);
      } else {
        const r = await api('/ui/post', {
          user: S.user,
          channel,
          text: encodeOutgoing(text, directory()),
          ...(thread ? { threadTs: thread } : {}),
        });
        const problem = deliveryProblem(r.delivery, 'Message posted');
        if (problem) toast(problem, 'warn');
      }
      input.value = '';
      autoresize(input);
      await refresh();
    } catch (err) {
      toast(err.message);
    } finally {
      input.disabled = false;
      input.focus();
    }
  });
}

async function runCommand(channel, line, thread) {
  const r = await api('/ui/command', {
    user: S.user,
    channel,
    text: escapeText(line),
    ...(thread ? { threadTs: thread } : {}),
  });
  if (r.delivery.ok) return;
  const why = r.delivery.error ? r.delivery.error.replaceAll('_', ' ') : `status ${r.delivery.status}`;
  S.notes.push({
    ts: (Date.now() / 1000).toFixed(6),
    channel,
    user: S.workspace?.botUserId ?? '',
    text: `\`${r.command}\` failed: Baton didn't respond (${why}).`,
    local: true,
    ...(thread ? { thread_ts: thread } : {}),
  });
}

function rerender() {
  if (S.route.kind === 'home') renderHome();
  else {
    renderChannel(false);
    renderThread();
  }
}

// ---------- live updates ----------

function relevant(change) {
  switch (change.kind) {
    case 'message':
      return (
        change.channel === (S.route.channel || defaultChannel()) || change.channel === S.thread?.channel.id
      );
    case 'ephemeral':
      return change.user === S.user;
    case 'view':
      return change.userId === S.user;
    default:
      return false;
  }
}

async function poll() {
  let since;
  for (;;) {
    try {
      const q = since === undefined ? '' : `?since=${since}`;
      const r = await api(`/ui/events${q}`);
      const first = since === undefined;
      since = r.seq;
      if (!first && (r.reset || r.changes.some(relevant))) await refresh();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      since = undefined;
      await refresh();
    }
  }
}

// ---------- boot ----------

async function boot() {
  const info = await api('/ui/users');
  S.users = info.users;
  S.channels = info.channels;
  S.workspace = info.workspace;
  const people = humans();
  if (!people.some((u) => u.id === S.user)) {
    S.user = people[0]?.id ?? '';
    if (S.user) localStorage.setItem(USER_KEY, S.user);
  }
  if (!S.user) {
    toast('This workspace has no people to act as.');
    return;
  }
  S.route.channel = defaultChannel();
  wireComposer($('composer'), $('composer-input'), () => '');
  wireComposer($('reply-composer'), $('reply-input'), () => S.thread?.threadTs ?? '');
  $('thread-close').addEventListener('click', () => go(`#/${encodeURIComponent(S.route.channel)}`));
  $('me-button').addEventListener('click', (e) => {
    e.stopPropagation();
    const menu = $('me-menu');
    if (menu.hidden) {
      renderMeMenu();
      menu.hidden = false;
      $('me-button').setAttribute('aria-expanded', 'true');
    } else closeMeMenu();
  });
  document.addEventListener('click', (e) => {
    if (!$('me-menu').hidden && !$('me-menu').contains(e.target)) closeMeMenu();
  });
  window.addEventListener('hashchange', () => void onRoute());
  window.addEventListener('storage', (e) => {
    if (e.key === USER_KEY && e.newValue) switchUser(e.newValue);
  });
  await onRoute();
  void poll();
}

boot().catch((err) => toast(`Couldn’t load the workspace: ${err.message}`));
