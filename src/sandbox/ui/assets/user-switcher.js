// The "Act as" menu under the person's name: switch to another person, or set yourself
// active or away.
import { api, toast } from './api.js';
import { el } from './blocks.js';
import { openHome } from './home.js';
import { avatar, humans, me } from './people.js';
import { $, refresh, S, USER_KEY } from './state.js';

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

export function wireMeMenu() {
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
}

/** Another tab switched the person acting: follow it. */
export function followOtherTabs() {
  window.addEventListener('storage', (e) => {
    if (e.key === USER_KEY && e.newValue) switchUser(e.newValue);
  });
}
