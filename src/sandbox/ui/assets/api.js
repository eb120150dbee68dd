// Talking to the page's /ui/* routes, and telling the person what went wrong.
import { el } from './blocks.js';
import { $ } from './state.js';

export async function api(path, body) {
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

export function deliveryProblem(delivery, what) {
  if (!delivery || delivery.ok) return '';
  if (delivery.error === 'bot_not_in_channel') return '';
  const why = delivery.error ? delivery.error.replaceAll('_', ' ') : `status ${delivery.status}`;
  return `${what}: Baton didn't accept it (${why})`;
}

export function toast(message, kind = 'error') {
  const t = el('div', `toast toast-${kind}`, message);
  $('toasts').append(t);
  setTimeout(() => t.classList.add('toast-out'), 4500);
  setTimeout(() => t.remove(), 5000);
}
