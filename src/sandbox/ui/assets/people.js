// People and channels by id: display names, avatars, and the render context blocks.js needs.
import { el } from './blocks.js';
import { S } from './state.js';

const PALETTE = ['#e8912d', '#2eb67d', '#36c5f0', '#e01e5a', '#8e44ad', '#1d9bd1', '#d4a017', '#c2185b'];

function userById(id) {
  return S.users.find((u) => u.id === id);
}

export function userName(id) {
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

export function avatar(id, bot, size = '') {
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

export const humans = () => S.users.filter((u) => !u.isBot);
export const me = () => userById(S.user);
export const isBotMessage = (m) => Boolean(m.bot_id) || m.user === S.workspace?.botUserId;

export function ctxFor(onButton, disabledReason) {
  return { userName, channelName, onButton, buttonsDisabled: disabledReason };
}

/** Who and what `<@U…>` / `<#C…>` can name, for encoding and decoding what people type. */
export const directory = () => ({ users: S.users, channels: S.channels });
