// A list of messages and ephemerals as Slack shows it: by time, with day dividers and
// consecutive posts by one person grouped; stays scrolled to the bottom if it was.
import { el } from './blocks.js';
import { ephemeralRow, messageRow, tsDate } from './message-row.js';
import { isBotMessage } from './people.js';
import { defaultChannel, S } from './state.js';

const GROUP_WINDOW_S = 5 * 60;

export function visibleEphemerals(list, threadTs) {
  const notes = S.notes.filter(
    (n) => n.channel === (S.route.channel || defaultChannel()) && (n.thread_ts || '') === (threadTs || ''),
  );
  return [...list, ...notes].filter((e) => !S.dismissedEphemerals.has(e.ts));
}

/** Messages and ephemerals interleaved by time, with Slack-style grouping of consecutive posts. */
export function renderList(container, messages, ephemerals, opts) {
  const items = [...messages.map((m) => ({ m })), ...ephemerals.map((e) => ({ e }))];
  items.sort((a, b) => Number.parseFloat((a.m ?? a.e).ts) - Number.parseFloat((b.m ?? b.e).ts));
  const frag = document.createDocumentFragment();
  let prev = null;
  let lastDay = '';
  for (const item of items) {
    const ts = (item.m ?? item.e).ts;
    const day = tsDate(ts).toDateString();
    if (!opts.inThread && day !== lastDay) {
      frag.append(dayDivider(ts));
      prev = null;
    }
    lastDay = day;
    if (item.e) {
      frag.append(ephemeralRow(item.e));
      prev = null;
      continue;
    }
    const m = item.m;
    const grouped =
      prev !== null &&
      !opts.noGroupTs?.includes(m.ts) &&
      prev.user === m.user &&
      isBotMessage(prev) === isBotMessage(m) &&
      !(prev.replyCount > 0) &&
      Number.parseFloat(m.ts) - Number.parseFloat(prev.ts) < GROUP_WINDOW_S;
    frag.append(messageRow(m, { inThread: opts.inThread, grouped, highlight: opts.highlight === m.ts }));
    prev = m;
  }
  container.replaceChildren(frag);
}

function dayDivider(ts) {
  const d = tsDate(ts);
  const today = new Date().toDateString() === d.toDateString();
  const div = el('div', 'day-divider');
  div.append(
    el(
      'span',
      '',
      today ? 'Today' : d.toLocaleDateString([], { weekday: 'long', month: 'long', day: 'numeric' }),
    ),
  );
  return div;
}

export function stickyRender(container, render, forceBottom) {
  const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 48;
  const top = container.scrollTop;
  render();
  if (forceBottom || atBottom) container.scrollTop = container.scrollHeight;
  else container.scrollTop = top;
}
