// The URL hash: #/<channel>, #/<channel>/<thread ts>, or #/home.
import { openHome } from './home.js';
import { defaultChannel, refresh, S } from './state.js';

function parseHash() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'home') return { kind: 'home', channel: S.route.channel, thread: '' };
  return { kind: 'channel', channel: parts[0] || '', thread: parts[1] || '' };
}

export function go(hash) {
  if (location.hash === hash) void onRoute();
  else location.hash = hash;
}

export function openThread(channel, ts) {
  go(`#/${encodeURIComponent(channel)}/${encodeURIComponent(ts)}`);
}

export async function onRoute() {
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
