// Reactions under a message, as Slack shows them: one pill per emoji with its count, and a
// tooltip naming who reacted. Read-only here: people react in Slack, Baton through the Web API.
import { el } from './blocks.js';
import { userName } from './people.js';

/** The emoji Baton uses (and a few common ones); anything else shows as its :name:. */
const EMOJI = {
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  eyes: '👀',
  envelope: '✉️',
  email: '📧',
  warning: '⚠️',
  x: '❌',
  hourglass_flowing_sand: '⏳',
  hourglass: '⌛',
  thumbsup: '👍',
  '+1': '👍',
  thumbsdown: '👎',
  '-1': '👎',
  tada: '🎉',
  raised_hands: '🙌',
  pray: '🙏',
  heart: '❤️',
  rotating_light: '🚨',
};

/** Skin tones ride on the name (`thumbsup::skin-tone-2`); the pill shows the base emoji. */
function glyph(name) {
  const base = name.split('::')[0];
  return Object.hasOwn(EMOJI, base) ? EMOJI[base] : `:${name}:`;
}

function who(users) {
  const names = users.map(userName);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The row of pills, or null when the message has no reactions. */
export function reactionBar(m) {
  if (!Array.isArray(m.reactions) || m.reactions.length === 0) return null;
  const bar = el('div', 'reactions');
  for (const r of m.reactions) {
    const pill = el('span', 'reaction');
    pill.dataset.name = r.name;
    pill.title = `:${r.name}: by ${who(r.users ?? [])}`;
    pill.append(el('span', 'reaction-emoji', glyph(r.name)), el('span', 'reaction-count', String(r.count)));
    bar.append(pill);
  }
  return bar;
}
