// Keeping the page current: one refresh at a time (a request during one runs another after
// it), and a long poll of /ui/events that refreshes when something relevant changed.
import { api, toast } from './api.js';
import { renderChannel } from './channel-view.js';
import { renderHome } from './home.js';
import { renderModal } from './modals.js';
import { renderSidebar } from './sidebar.js';
import { defaultChannel, S } from './state.js';
import { renderThread } from './thread-pane.js';

let refreshing = null;
let refreshAgain = false;

export async function refresh() {
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

export function rerender() {
  if (S.route.kind === 'home') renderHome();
  else {
    renderChannel(false);
    renderThread();
  }
}

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

export async function poll() {
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
