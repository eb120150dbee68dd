// The sidebar: channels, direct messages, the App Home link and the person acting.
import { el } from './blocks.js';
import { avatar, me } from './people.js';
import { $, S } from './state.js';

export function renderSidebar() {
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
