// The agent's face in the chat: their Slack profile picture laid over their initial. The initial is
// drawn first and stays underneath, so a slow, blocked (CSP) or broken picture leaves the initial,
// never a broken-image icon. The server only passes on pictures from Slack's image hosts (or the
// local workspace), which the page's CSP img-src allows; see src/slack/agent-avatar.ts.
import { say } from './page-text.js';

const failed = new Set(); // URLs that did not load: not asked for again on every re-render
const loaded = new Set(); // URLs that did: shown at once when a message is drawn again

/** An absolute http(s) URL, or null: anything else is not even tried. */
function pictureUrl(url) {
  if (typeof url !== 'string' || url.length > 1024) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * A round avatar: `agent.name`'s initial, with `agent.avatarUrl` on top once it has loaded.
 * @param {Document} doc
 * @param {{ name?: string, avatarUrl?: string } | undefined} agent
 * @param {string} className the circle's classes (its size and colour)
 * @param {string} [label] the name to take the initial from, when not `agent.name`
 */
export function agentAvatar(doc, agent, className, label) {
  const name = String(label || agent?.name || '');
  const circle = doc.createElement('span');
  circle.className = `${className} avatar`;
  circle.textContent = (name[0] || '?').toUpperCase();
  const src = pictureUrl(agent?.avatarUrl);
  if (!src || failed.has(src)) return circle;
  const img = doc.createElement('img');
  img.className = 'avatar__img';
  img.alt = say('agentPhoto', { name });
  // Slack's image hosts need not learn which shop page the customer is on.
  img.referrerPolicy = 'no-referrer';
  img.decoding = 'async';
  if (loaded.has(src)) img.classList.add('avatar__img--loaded');
  img.addEventListener('load', () => {
    loaded.add(src);
    img.classList.add('avatar__img--loaded');
  });
  img.addEventListener('error', () => {
    failed.add(src);
    img.remove();
  });
  img.src = src;
  circle.append(img);
  return circle;
}

/**
 * The header's picture of who has joined: shown while an agent has the conversation, beside
 * "Chatting with Dana"; drawn again only when the agent or their picture changes.
 * @param {HTMLElement} status the header's status line
 * @param {{ name?: string, avatarUrl?: string } | undefined} agent
 */
export function paintHeaderAvatar(status, agent) {
  const doc = status.ownerDocument;
  let slot = status.querySelector('.header-avatar');
  const key = agent?.name ? JSON.stringify([agent.name, agent.avatarUrl ?? '']) : '';
  if (!key) {
    slot?.remove();
    return;
  }
  if (slot?.dataset.key === key) return;
  const fresh = agentAvatar(doc, agent, 'header-avatar');
  fresh.dataset.key = key;
  if (slot) slot.replaceWith(fresh);
  else status.insertBefore(fresh, status.querySelector('#status-label'));
}
