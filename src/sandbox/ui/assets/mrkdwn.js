// Slack mrkdwn → a token tree. Pure: no DOM, so it runs (and is tested) under Node too.
//
// Input is text as Slack stores it: "<", ">" and "&" that the author typed arrive as
// &lt; &gt; &amp;, and real angle brackets only ever delimit control sequences
// (<@U1>, <#C1>, <!here>, <https://x|label>). So control sequences are recognised
// on the raw text first, and entities are decoded exactly once, in the text that is
// left: "&lt;!channel&gt;" becomes the literal text "<!channel>", never a mention.
//
// Tokens:
//   {type:'text', text}            {type:'br'}
//   {type:'bold'|'italic'|'strike', children}
//   {type:'code', text}            {type:'pre', text}     {type:'quote', children}
//   {type:'link', url, text}       (url is always http: or https:)
//   {type:'user', id, label}       {type:'channel', id, label}
//   {type:'broadcast', name}       ('here' | 'channel' | 'everyone')
//   {type:'usergroup', id, label}

const ENTITIES = { lt: '<', gt: '>', amp: '&' };

/** Decodes &lt; &gt; &amp; in a single pass, so "&amp;lt;" stays "&lt;". */
export function decodeEntities(text) {
  return text.replace(/&(lt|gt|amp);/g, (_, name) => ENTITIES[name]);
}

const EMOJI = {
  wave: '👋',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  warning: '⚠️',
  rotating_light: '🚨',
  eyes: '👀',
  tada: '🎉',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  speech_balloon: '💬',
  bust_in_silhouette: '👤',
  star: '⭐',
  fire: '🔥',
  thumbsup: '👍',
  '+1': '👍',
  thumbsdown: '👎',
  pray: '🙏',
  smile: '😄',
  slightly_smiling_face: '🙂',
  slightly_frowning_face: '🙁',
  neutral_face: '😐',
  rage: '😡',
  robot_face: '🤖',
  inbox_tray: '📥',
  memo: '📝',
  lock: '🔒',
  link: '🔗',
  bell: '🔔',
  clock3: '🕒',
  red_circle: '🔴',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  information_source: 'ℹ️',
  mag: '🔍',
  raising_hand: '🙋',
  point_right: '👉',
};

/** Replaces known :shortcodes: with the emoji; unknown ones stay as typed. */
export function replaceEmoji(text) {
  return text.replace(/:([a-z0-9_+-]{1,40}):/g, (whole, name) => EMOJI[name] ?? whole);
}

const SAFE_SCHEME = /^https?:\/\//i;

/** True for absolute http(s) URLs: the only ones rendered as links or images. */
export function isSafeUrl(url) {
  if (typeof url !== 'string' || !SAFE_SCHEME.test(url)) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Fills Slack's date tokens ({time}, {date_short}, {date}, ...) with the local rendering. */
function formatSlackDate(unix, format) {
  const d = new Date(unix * 1000);
  if (Number.isNaN(d.getTime())) return '';
  const time = d.toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
  const dateShort = d.toLocaleDateString([], { month: 'short', day: 'numeric' });
  const dateLong = d.toLocaleDateString([], { month: 'long', day: 'numeric', year: 'numeric' });
  return decodeEntities(format)
    .replace(/\{time\}/g, time)
    .replace(/\{date_short(_pretty)?\}/g, dateShort)
    .replace(/\{date(_long|_pretty|_long_pretty)?\}/g, dateLong);
}

/** One control sequence (the text between < and >) as a token. */
function controlToken(inner) {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? '' : decodeEntities(inner.slice(bar + 1));
  if (/^@[UWB][A-Z0-9]+$/.test(target)) return { type: 'user', id: target.slice(1), label };
  if (/^#[CGD][A-Z0-9]+$/.test(target)) return { type: 'channel', id: target.slice(1), label };
  if (target === '!here' || target === '!channel' || target === '!everyone') {
    return { type: 'broadcast', name: target.slice(1) };
  }
  const group = /^!subteam\^([A-Z0-9]+)$/.exec(target);
  if (group) return { type: 'usergroup', id: group[1], label: label || `@${group[1]}` };
  // <!date^unix^{time}|fallback> renders in the reader's own time zone, as Slack does.
  const date = /^!date\^(\d{1,12})\^([^^]*)(?:\^.*)?$/.exec(target);
  if (date) return { type: 'text', text: formatSlackDate(Number(date[1]), date[2]) || label };
  if (target.startsWith('!')) return { type: 'text', text: label || decodeEntities(target) };
  const url = decodeEntities(target);
  if (isSafeUrl(url)) return { type: 'link', url, text: label || url };
  // javascript:, data:, mailto: and friends render as their words, not as links;
  // anything that isn't a control sequence at all (e.g. a stray "<b>") stays literal.
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return { type: 'text', text: label || url };
  return { type: 'text', text: `<${decodeEntities(inner)}>` };
}

/** Plain words for a token (used where formatting can't nest, e.g. inside `code`). */
function plainOf(token) {
  switch (token.type) {
    case 'text':
      return token.text;
    case 'link':
      return token.text;
    case 'user':
      return token.label ? `@${token.label}` : `@${token.id}`;
    case 'channel':
      return token.label ? `#${token.label}` : `#${token.id}`;
    case 'broadcast':
      return `@${token.name}`;
    case 'usergroup':
      return token.label;
    default:
      return '';
  }
}

/** Raw text → plain string: control sequences become their words, entities decoded once. */
function plainText(raw) {
  let out = '';
  let last = 0;
  for (const m of raw.matchAll(/<([^<>\n]+)>/g)) {
    out += decodeEntities(raw.slice(last, m.index));
    out += plainOf(controlToken(m[1]));
    last = m.index + m[0].length;
  }
  return out + decodeEntities(raw.slice(last));
}

const STYLE = { '*': 'bold', _: 'italic', '~': 'strike' };
const WORD = /[\p{L}\p{N}]/u;

/** Index of the ">" closing a control sequence that starts at i, or -1. */
function controlEnd(s, i) {
  const end = s.indexOf('>', i + 1);
  if (end <= i + 1) return -1;
  const inner = s.slice(i + 1, end);
  return inner.includes('<') || inner.includes('\n') ? -1 : end;
}

/** Index of the backtick closing inline code that starts at i, or -1. */
function codeEnd(s, i) {
  const end = s.indexOf('`', i + 1);
  if (end <= i + 1) return -1;
  return s.slice(i + 1, end).includes('\n') ? -1 : end;
}

function canOpen(s, i) {
  const prev = s[i - 1];
  const next = s[i + 1];
  if (prev !== undefined && (WORD.test(prev) || prev === s[i])) return false;
  return next !== undefined && !/\s/.test(next) && next !== s[i];
}

/** Index of the marker closing a style opened at i (same line, skipping code and control sequences), or -1. */
function styleEnd(s, i) {
  const marker = s[i];
  for (let j = i + 1; j < s.length; j++) {
    const c = s[j];
    if (c === '\n') return -1;
    if (c === '<') {
      const end = controlEnd(s, j);
      if (end !== -1) j = end;
      continue;
    }
    if (c === '`') {
      const end = codeEnd(s, j);
      if (end !== -1) j = end;
      continue;
    }
    if (c === marker && j > i + 1 && !/\s/.test(s[j - 1])) {
      const after = s[j + 1];
      if (after === undefined || !WORD.test(after)) return j;
    }
  }
  return -1;
}

/** Inline mrkdwn (one line or several; newlines become br tokens) → tokens. */
export function parseInline(s, depth = 0) {
  const out = [];
  let buf = '';
  const flush = () => {
    if (buf) out.push({ type: 'text', text: replaceEmoji(decodeEntities(buf)) });
    buf = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\n') {
      flush();
      out.push({ type: 'br' });
      continue;
    }
    if (c === '<') {
      const end = controlEnd(s, i);
      if (end !== -1) {
        flush();
        const token = controlToken(s.slice(i + 1, end));
        if (token.type === 'text') token.text = replaceEmoji(token.text);
        out.push(token);
        i = end;
        continue;
      }
    }
    if (c === '`') {
      const end = codeEnd(s, i);
      if (end !== -1) {
        flush();
        out.push({ type: 'code', text: plainText(s.slice(i + 1, end)) });
        i = end;
        continue;
      }
    }
    if (STYLE[c] && depth < 8 && canOpen(s, i)) {
      const end = styleEnd(s, i);
      if (end !== -1) {
        flush();
        out.push({ type: STYLE[c], children: parseInline(s.slice(i + 1, end), depth + 1) });
        i = end;
        continue;
      }
    }
    buf += c;
  }
  flush();
  return out;
}

const QUOTE = /^(?:>|&gt;) ?/;

/** Lines → tokens, grouping runs of "> " lines into quote tokens. */
function parseLines(text, out) {
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    if (QUOTE.test(lines[i])) {
      const quoted = [];
      while (i < lines.length && QUOTE.test(lines[i])) {
        quoted.push(lines[i].replace(QUOTE, ''));
        i++;
      }
      out.push({ type: 'quote', children: parseInline(quoted.join('\n')) });
      continue;
    }
    const plain = [];
    while (i < lines.length && !QUOTE.test(lines[i])) {
      plain.push(lines[i]);
      i++;
    }
    const tokens = parseInline(plain.join('\n'));
    out.push(...tokens);
  }
}

/** A whole mrkdwn string → token list (see the list of token types above). */
export function parseMrkdwn(text) {
  if (typeof text !== 'string' || text === '') return [];
  const out = [];
  let last = 0;
  for (const m of text.matchAll(/```([\s\S]*?)```/g)) {
    if (m.index > last) parseLines(text.slice(last, m.index).replace(/\n$/, ''), out);
    out.push({ type: 'pre', text: plainText(m[1].replace(/^\n/, '').replace(/\n$/, '')) });
    last = m.index + m[0].length;
  }
  if (last < text.length) parseLines(last > 0 ? text.slice(last).replace(/^\n/, '') : text.slice(last), out);
  // A pre followed by text starts the text on its own line; drop a leading br left by that.
  while (out[0]?.type === 'br') out.shift();
  return out;
}

// ---------- the other direction: what a Slack client sends ----------

/** Escapes &, < and > the way Slack clients do before a message is stored. */
export function escapeText(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const BEFORE = '(^|[\\s(])';

/**
 * Composer text → message text: escaped, with @handle / @here / #channel turned into
 * the control sequences Slack would store (only for people and channels that exist).
 * directory: { users: [{id, name, displayName}], channels: [{id, name}] }
 */
export function encodeOutgoing(text, directory) {
  const users = directory?.users ?? [];
  const channels = directory?.channels ?? [];
  let out = escapeText(text);
  out = out.replace(new RegExp(`${BEFORE}@(here|channel|everyone)\\b`, 'g'), '$1<!$2>');
  out = out.replace(new RegExp(`${BEFORE}@([a-z0-9_-]+(?:\\.[a-z0-9_-]+)*)`, 'gi'), (whole, pre, handle) => {
    const h = handle.toLowerCase();
    const user = users.find((u) => u.name?.toLowerCase() === h || u.displayName?.toLowerCase() === h);
    return user ? `${pre}<@${user.id}>` : whole;
  });
  out = out.replace(new RegExp(`${BEFORE}#([a-z0-9_-]+)`, 'gi'), (whole, pre, name) => {
    const channel = channels.find((c) => c.name?.toLowerCase() === name.toLowerCase());
    return channel ? `${pre}<#${channel.id}>` : whole;
  });
  return out;
}

/** Stored message text → what the edit box shows (the inverse of encodeOutgoing). */
export function toEditable(text, directory) {
  const users = directory?.users ?? [];
  const channels = directory?.channels ?? [];
  const out = String(text ?? '').replace(/<([^<>\n]+)>/g, (whole, inner) => {
    const t = controlToken(inner);
    if (t.type === 'user') return `@${users.find((u) => u.id === t.id)?.name ?? t.label ?? t.id}`;
    if (t.type === 'channel') return `#${channels.find((c) => c.id === t.id)?.name ?? t.label ?? t.id}`;
    if (t.type === 'broadcast') return `@${t.name}`;
    if (t.type === 'link') return t.text === t.url ? t.url : `${t.text} (${t.url})`;
    return t.type === 'text' ? t.text : whole;
  });
  return decodeEntities(out);
}
