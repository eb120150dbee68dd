// The main pane: the current channel or the DM with Baton.
import { el } from './blocks.js';
import { renderList, stickyRender, visibleEphemerals } from './message-list.js';
import { $, defaultChannel, S } from './state.js';

export function renderChannel(switched) {
  const channel = S.channels.find((c) => c.id === (S.route.channel || defaultChannel()));
  const isDm = channel?.id.startsWith('D');
  $('main-title').textContent = isDm ? 'Baton' : `#${channel?.name ?? ''}`;
  $('main-sub').textContent = isDm
    ? 'Direct message with the Baton app'
    : `${channel?.memberIds.length ?? 0} members`;
  $('composer-input').placeholder = isDm ? 'Message Baton' : `Message #${channel?.name ?? ''}`;
  const box = $('messages');
  stickyRender(
    box,
    () => {
      renderList(box, S.messages, visibleEphemerals(S.ephemerals, ''), { inThread: false });
      if (S.messages.length === 0) box.prepend(emptyState(channel));
    },
    switched,
  );
}

function emptyState(channel) {
  const div = el('div', 'empty');
  div.append(el('div', 'empty-title', `This is the very beginning of #${channel?.name ?? ''}`));
  div.append(
    el('div', 'empty-sub', 'Handoff cards from Baton show up here. Try a slash command like /baton.'),
  );
  return div;
}
