// The quiet "sent" check under the customer's latest stored message (see sentMarkKey in
// message-delivery.js). It is placed on the rendered list after each render, not drawn into the
// message itself: moving it to the next message then adds one small node instead of redrawing
// (and, in the list's live region, re-announcing) the previous message.
import { t } from './page-text.js';

function sentMark(doc) {
  const mark = doc.createElement('span');
  mark.className = 'msg__sent';
  mark.title = t.sent;
  const tick = doc.createElement('span');
  tick.className = 'msg__tick';
  tick.setAttribute('aria-hidden', 'true');
  tick.textContent = '✓';
  const label = doc.createElement('span');
  label.className = 'visually-hidden';
  label.textContent = t.sent;
  mark.append(tick, label);
  return mark;
}

/**
 * Puts the mark on the message element keyed `key` (a `data-key` of the list's children) and takes
 * it off every other one.
 * @param {HTMLElement} list
 * @param {string | null} key
 */
export function placeSentMark(list, key) {
  for (const mark of list.querySelectorAll('.msg__sent')) {
    const item = mark.closest('li.msg');
    if (item?.dataset.key === key) continue;
    const meta = mark.parentElement;
    mark.remove();
    if (meta?.classList.contains('msg__meta') && meta.childElementCount === 0) meta.remove();
  }
  if (!key) return;
  const item = Array.from(list.children).find((c) => c.dataset.key === key);
  if (!item || item.querySelector('.msg__sent')) return;
  let meta = item.querySelector(':scope > .msg__meta');
  if (!meta) {
    meta = list.ownerDocument.createElement('div');
    meta.className = 'msg__meta';
    item.append(meta);
  }
  meta.append(sentMark(list.ownerDocument));
}
