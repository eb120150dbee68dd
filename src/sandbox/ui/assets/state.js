// What the agent view knows: state lives in `S`, and every refresh re-renders the
// affected pane from JSON the /ui/* routes return.

export const USER_KEY = 'baton.sandbox.user';
const HANDOFF_NAME = 'support-handoffs';

export const S = {
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

export const $ = (id) => document.getElementById(id);

export function defaultChannel() {
  const byName = S.channels.find((c) => c.name === HANDOFF_NAME);
  return byName?.id || S.workspace?.handoffChannelId || S.channels[0]?.id || '';
}

// Panes ask for a refresh or a re-render through these, so they need not import the module
// that renders every pane; app.js plugs in the real ones (live-updates.js) before booting.
const hooks = { refresh: async () => {}, rerender: () => {} };

export function setHooks(fns) {
  Object.assign(hooks, fns);
}

/** Reloads the state of the current route from the server and re-renders it. */
export function refresh() {
  return hooks.refresh();
}

/** Re-renders the current panes from `S` without asking the server. */
export function rerender() {
  hooks.rerender();
}
