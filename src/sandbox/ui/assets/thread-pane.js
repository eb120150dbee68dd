// The thread pane on the right: the root message, a reply count and the replies.
import { el } from './blocks.js';
import { renderList, stickyRender, visibleEphemerals } from './message-list.js';
import { messageRow } from './message-row.js';
import { $, S } from './state.js';

export function renderThread() {
  const pane = $('thread');
  const t = S.thread;
  pane.hidden = !t;
  document.body.classList.toggle('thread-open', Boolean(t));
  if (!t) return;
  const switched = pane.dataset.threadTs !== t.threadTs;
  pane.dataset.threadTs = t.threadTs;
  $('thread-sub').textContent = `#${t.channel.name}`;
  const box = $('thread-messages');
  stickyRender(
    box,
    () => {
      const [root, ...replies] = t.messages;
      const frag = document.createDocumentFragment();
      if (root)
        frag.append(
          messageRow(root, {
            inThread: true,
            highlight: t.highlight === root.ts && replies.length > 0 && t.highlight !== t.threadTs,
          }),
        );
      if (replies.length > 0) {
        const sep = el('div', 'thread-sep');
        sep.append(el('span', '', `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`));
        frag.append(sep);
      }
      const list = el('div', 'thread-replies');
      renderList(list, replies, visibleEphemerals(t.ephemerals, t.threadTs), {
        inThread: true,
        highlight: t.highlight,
      });
      frag.append(list);
      box.replaceChildren(frag);
    },
    switched,
  );
  if (switched) $('reply-input').focus();
}
