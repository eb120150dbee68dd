// The agent view of Baton's local Slack workspace. Plain DOM, no framework: state lives
// in `S` (state.js), every refresh re-renders the affected pane from JSON the /ui/* routes return.
//
// state.js           S, the default channel, and the refresh/rerender hooks set below
// api.js             fetch wrapper for /ui/*, delivery problems, toasts
// people.js          names, avatars, render context
// routing.js         the URL hash (#/channel, #/channel/thread, #/home)
// live-updates.js    the refresh loop (renders every pane) and polling /ui/events
// sidebar.js, user-switcher.js, channel-view.js, thread-pane.js, home.js, modals.js: the panes
// message-list.js, message-row.js, message-actions.js: messages within a pane
// composer.js        posting messages and running slash commands
// Every file is served from the allow-list in ../static-assets.ts: add new ones there.
import { api, toast } from './api.js';
import { wireComposer } from './composer.js';
import { poll, refresh, rerender } from './live-updates.js';
import { humans } from './people.js';
import { go, onRoute } from './routing.js';
import { $, defaultChannel, S, setHooks, USER_KEY } from './state.js';
import { followOtherTabs, wireMeMenu } from './user-switcher.js';

setHooks({ refresh, rerender });

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
  // A reload clears this person's ephemeral messages, as Slack does: what matters must not live there.
  await api('/ui/reload', { user: S.user });
  S.route.channel = defaultChannel();
  wireComposer($('composer'), $('composer-input'), () => '');
  wireComposer($('reply-composer'), $('reply-input'), () => S.thread?.threadTs ?? '');
  $('thread-close').addEventListener('click', () => go(`#/${encodeURIComponent(S.route.channel)}`));
  wireMeMenu();
  window.addEventListener('hashchange', () => void onRoute());
  followOtherTabs();
  await onRoute();
  void poll();
}

boot().catch((err) => toast(`Couldn’t load the workspace: ${err.message}`));
