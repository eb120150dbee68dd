/**
 * Slack treats &, < and > as control characters. Escaping exactly these three (ampersand first)
 * makes customer text inert: `<!channel>` cannot ping and `<https://x|y>` cannot become a link.
 * Alone it still lets text break lines and format: customer text goes through untrusted-mrkdwn.ts.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Cuts text to a Slack limit (counted in UTF-16 units, like JavaScript's length) without splitting
 * an emoji or an accented letter, and without leaving a half-escaped entity at the end.
 */
/** Code units either side of a cut that are segmented to find a grapheme boundary. */
const GRAPHEME_WINDOW = 64;

export function truncate(text: string, max: number, suffix = '…'): string {
  if (text.length <= max) return text;
  const room = max - suffix.length;
  // Only the stretch around the cut is segmented: segmenting a whole 4,000-character text cost ~12 ms,
  // and a grapheme cluster longer than the window is cut inside, which is all one could do anyway.
  const from = Math.max(0, room - GRAPHEME_WINDOW);
  let end = from;
  for (const { index, segment } of graphemes.segment(text.slice(from, room + GRAPHEME_WINDOW))) {
    if (from + index + segment.length > room) break;
    end = from + index + segment.length;
  }
  let cut = text.slice(0, end);
  const amp = cut.lastIndexOf('&');
  if (amp !== -1 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  return cut + suffix;
}

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * What an agent typed in Slack, as plain text for the customer: mentions become names,
 * links become "label (url)", entities are decoded once.
 */
export function slackToPlainText(text: string, userName: (id: string) => string | undefined): string {
  const replaced = text.replace(/<([^<>]+)>/g, (_match, inner: string) => {
    const [target = '', rawLabel] = inner.split('|', 2);
    // An empty label (`<#C123|>`) counts as none: a customer should never see a bare `#` or an ID.
    const label = rawLabel?.trim() ? rawLabel : undefined;
    if (target.startsWith('@')) return `@${label ?? userName(target.slice(1)) ?? 'someone'}`;
    if (target.startsWith('#')) return label ? `#${label}` : 'a channel';
    // <!date^1392734382^{date_short}|Feb 18, 2014>: the fallback text is what a reader without Slack sees.
    if (target.startsWith('!date^')) return label ?? 'a date';
    if (target.startsWith('!')) return `@${label ?? target.slice(1).split('^')[0]}`;
    if (target.startsWith('mailto:')) return label ?? target.slice(7);
    if (label && label !== target) return `${label} (${target})`;
    return target;
  });
  return decodeEntities(plainFormatting(replaced));
}

/** The emoji agents use most, as the customer's chat shows them; unknown shortcodes stay as typed. */
const EMOJI: Record<string, string> = {
  smile: '😄',
  slightly_smiling_face: '🙂',
  blush: '😊',
  wink: '😉',
  grinning: '😀',
  '+1': '👍',
  thumbsup: '👍',
  wave: '👋',
  pray: '🙏',
  tada: '🎉',
  heart: '❤️',
  white_check_mark: '✅',
  eyes: '👀',
  package: '📦',
  truck: '🚚',
  email: '📧',
  sob: '😭',
  sweat_smile: '😅',
};

/** Slack's *bold*, _italic_ and ~strike~ markers and :emoji: become plain text for the customer's chat. */
function plainFormatting(text: string): string {
  return text
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,!?:;])/g, '$1$2')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,!?:;])/g, '$1$2')
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,!?:;])/g, '$1$2')
    .replace(/:([a-z0-9_+-]+):/g, (match, name: string) => EMOJI[name] ?? match);
}
