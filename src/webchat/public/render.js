// DOM builders for the chat page. Message text is only ever inserted with
// textContent / text nodes — never innerHTML — so hostile text shows literally.
// Fixed strings come from the chosen catalogue (page-text.js); message text is shown as written.
import { agentAvatar } from './agent-avatar.js';
import { say, t } from './page-text.js';

/** Only absolute http(s) URLs become links. */
export function safeHttpUrl(url) {
  if (typeof url !== 'string' || url.length > 2048) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** Header subtitle for a conversation status. */
export function statusText(status, agentName) {
  switch (status) {
    case 'waiting':
      return t.statusWaiting;
    case 'claimed':
      return agentName ? say('statusClaimedBy', { name: agentName }) : t.statusClaimed;
    case 'queued':
      return t.statusQueued;
    case 'resolved':
      return t.statusResolved;
    default:
      return t.statusBot;
  }
}

/** Statuses in which "Talk to a person" makes sense. */
export function canRequestHuman(status) {
  return status === undefined || status === null || status === 'bot';
}

export function authorLabel(m) {
  if (m.author === 'bot') return t.authorBot;
  if (m.author === 'agent') return m.agent?.name || t.authorAgent;
  if (m.author === 'customer') return t.authorCustomer;
  return '';
}

export function formatTimestamp(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

const URL_RE = /\bhttps?:\/\/[^\s<>"']+/g;

/** Append `text` to `parent`, turning bare http(s) URLs into links. */
export function appendLinkifiedText(doc, parent, text) {
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    let raw = match[0];
    // Trailing punctuation usually belongs to the sentence, not the URL.
    const trail = /[.,;:!?)\]]+$/.exec(raw);
    if (trail) raw = raw.slice(0, -trail[0].length);
    const href = safeHttpUrl(raw);
    if (!href) continue;
    const start = match.index;
    if (start > last) parent.append(doc.createTextNode(text.slice(last, start)));
    const a = doc.createElement('a');
    a.href = href;
    a.textContent = raw;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    parent.append(a);
    last = start + raw.length;
  }
  if (last < text.length) parent.append(doc.createTextNode(text.slice(last)));
}

function el(doc, tag, className, text) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Build the <li> for one message (stored or pending).
 * @param {Document} doc
 * @param {any} m
 * @param {{ showLabel?: boolean, onRetry?: (clientMessageId: string) => void, offline?: boolean }} [ctx]
 */
export function renderMessage(doc, m, ctx = {}) {
  const author = ['customer', 'bot', 'agent', 'system'].includes(m.author) ? m.author : 'system';
  const li = el(doc, 'li', `msg msg--${author}`);
  if (m.seq !== undefined) li.dataset.seq = String(m.seq);
  if (m.id) li.dataset.id = m.id;
  if (m.local) li.classList.add(`msg--${m.state}`);
  const stamp = formatTimestamp(m.createdAt);

  if (author === 'system') {
    const p = el(doc, 'p', 'msg__system', m.deleted ? t.deleted : String(m.text ?? ''));
    if (stamp) p.title = stamp;
    li.append(p);
    return li;
  }

  const label = authorLabel(m);
  if (author !== 'customer' && ctx.showLabel !== false) {
    li.classList.add('msg--first');
    const head = el(doc, 'div', 'msg__label');
    const avatar =
      author === 'agent'
        ? agentAvatar(doc, m.agent, 'msg__avatar msg__avatar--agent', label)
        : el(doc, 'span', `msg__avatar msg__avatar--${author}`, (label[0] || '?').toUpperCase());
    avatar.setAttribute('aria-hidden', 'true');
    head.append(avatar, el(doc, 'span', 'msg__name', label));
    li.append(head);
  }

  const bubble = el(doc, 'div', 'msg__bubble');
  if (stamp) bubble.title = stamp;
  // Screen readers get "Assistant: …" even when the visual label is grouped away.
  const sr = el(doc, 'span', 'visually-hidden', `${label}: `);
  bubble.append(sr);

  if (m.deleted) {
    li.classList.add('msg--deleted');
    bubble.append(el(doc, 'p', 'msg__text msg__text--deleted', t.deleted));
  } else {
    const p = el(doc, 'p', 'msg__text');
    const text = String(m.text ?? '');
    if (author === 'customer') p.textContent = text;
    else appendLinkifiedText(doc, p, text);
    bubble.append(p);

    const articles = Array.isArray(m.articles) ? m.articles : [];
    const links = articles
      .map((a) => ({ title: String(a?.title ?? '').trim(), href: safeHttpUrl(a?.url) }))
      .filter((a) => a.title && a.href);
    if (links.length > 0) {
      const wrap = el(doc, 'div', 'msg__articles');
      wrap.append(el(doc, 'span', 'msg__articles-title', t.relatedArticles));
      const ul = el(doc, 'ul');
      for (const a of links) {
        const item = el(doc, 'li');
        const link = el(doc, 'a', '', a.title);
        link.href = a.href;
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
        item.append(link);
        ul.append(item);
      }
      wrap.append(ul);
      bubble.append(wrap);
    }
  }
  li.append(bubble);

  const meta = [];
  if (m.editedAt && !m.deleted) meta.push(el(doc, 'span', 'msg__edited', t.edited));
  if (m.local && m.state === 'sending') meta.push(el(doc, 'span', 'msg__sending', t.sending));
  if (m.local && m.state === 'failed') {
    const status = el(doc, 'span', 'msg__failed');
    const why = m.error
      ? say('notSentBecause', { error: m.error })
      : ctx.offline
        ? t.sendWhenOnline
        : t.notSent;
    status.append(doc.createTextNode(why));
    const retry = el(doc, 'button', 'msg__retry', t.retry);
    retry.type = 'button';
    retry.dataset.retry = m.clientMessageId;
    if (ctx.onRetry) retry.addEventListener('click', () => ctx.onRetry(m.clientMessageId));
    status.append(retry);
    meta.push(status);
  }
  if (meta.length > 0) {
    const metaEl = el(doc, 'div', 'msg__meta');
    metaEl.append(...meta);
    li.append(metaEl);
  }
  return li;
}

/**
 * Keyed reconciliation: make `container`'s children match `items`, reusing the
 * element of every item whose version did not change.
 * @template T
 * @param {HTMLElement} container
 * @param {T[]} items
 * @param {{ key: (t: T) => string, version: (t: T) => string, render: (t: T) => HTMLElement }} fns
 */
export function reconcile(container, items, { key, version, render }) {
  const existing = new Map();
  for (const child of Array.from(container.children)) {
    if (child.dataset.key) existing.set(child.dataset.key, child);
  }
  let cursor = container.firstElementChild;
  const seen = new Set();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) continue;
    seen.add(k);
    const v = version(item);
    let node = existing.get(k);
    if (!node || node.dataset.version !== v) {
      const fresh = render(item);
      fresh.dataset.key = k;
      fresh.dataset.version = v;
      if (node) node.replaceWith(fresh);
      if (cursor === node) cursor = fresh;
      node = fresh;
      existing.set(k, fresh);
    }
    if (node !== cursor) container.insertBefore(node, cursor);
    else cursor = cursor.nextElementSibling;
  }
  for (const [k, node] of existing) if (!seen.has(k)) node.remove();
}
