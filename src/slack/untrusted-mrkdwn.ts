import { FORMAT_CHARACTERS } from '../lib/clean-text.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

/**
 * Customer-controlled text (names, emails, page URLs, messages, CSAT comments, summaries quoting
 * them) made inert in Slack mrkdwn, so it can never pass for a line Baton wrote.
 *
 * Slack has an escape for only &, < and > (escapeMrkdwn: no pings, no labelled links). For * _ ~ `
 * and a leading > there is none, so they are replaced with lookalikes: ∗ ˍ ∼ ˋ ›. Lookalikes, not
 * zero-width characters: Slack's rules for where a marker opens are undocumented (a zero-width space
 * is not whitespace, so `*\u200Bx*` may still be bold), and an invisible break would keep the text
 * looking like a label. Slack has no rule at all for the lookalikes, so they render as what they are.
 *
 * The chat API already cleans what visitors send (src/webchat/untrusted-text.ts); this runs again
 * where Slack text is built, because rows stored before that, assistant output and summaries built
 * from customer text reach Slack too.
 */

/**
 * Control characters (C0 except tab and the line breaks, DEL, C1 except NEL) and the bidirectional
 * marks, embeddings, overrides and isolates (ALM, LRM, RLM, U+202A–U+202E, U+2066–U+2069) that can
 * reorder a label on screen ("Refund \u202Edevorppa" reads "Refund approved"). Dropped, not shown.
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Everything a reader (or Slack) may take for a new line: CR, LF, VT, FF, NEL, U+2028, U+2029. */
const LINE_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;

const LOOKALIKE: Record<string, string> = { '*': '∗', _: 'ˍ', '~': '∼', '`': 'ˋ' };
/** Double quotes of every kind, which could seem to end a quote Baton opened around the text. */
const DOUBLE_QUOTES = /["“”„‟″＂«»]/g;

/** One line, no control or bidi characters, whitespace runs as one space. */
export function oneLine(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .replace(FORMAT_CHARACTERS, '')
    .replace(LINE_BREAK, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A leading > (after any spaces) would start a Slack quote: replaced by a lookalike. */
const unquote = (line: string) => line.replace(/^(\s*)>/, '$1›');

/**
 * Formatting markers that could open or close *bold*, _italic_ or ~strike~: every one except those
 * between two ASCII letters or digits (snake_case_id, 2*3), which Slack never reads as formatting
 * and which agents copy. Backticks are replaced everywhere: a code span opens anywhere.
 */
function neutraliseMarkers(text: string): string {
  return text
    .replace(/`/g, LOOKALIKE['`']!)
    .replace(/[*_~]/g, (m, i: number, s: string) =>
      /[A-Za-z0-9]/.test(s[i - 1] ?? '') && /[A-Za-z0-9]/.test(s[i + 1] ?? '') ? m : LOOKALIKE[m]!,
    );
}

/** Free text on one line (an email, a detail line, a comment): readable, inert, escaped. */
export function inlineUntrusted(text: string, max: number): string {
  return escapeMrkdwn(truncate(unquote(neutraliseMarkers(oneLine(text))), max));
}

/** Text inside Baton's own “…”: inline, and no double quote that could seem to end Baton's quote. */
export function quotedInline(text: string, max: number): string {
  return `“${inlineUntrusted(text.replace(DOUBLE_QUOTES, "'"), max)}”`;
}

/**
 * A short label shown inside Baton's *bold* (a customer's name): one line, every formatting marker
 * replaced, so it can never close the bold span or start a fake line.
 */
export function plainLabel(text: string, max = 100, fallback = 'Customer'): string {
  const flat = oneLine(text).replace(/[*_~`]/g, (m) => LOOKALIKE[m]!);
  return escapeMrkdwn(truncate(unquote(flat) || fallback, max));
}

/**
 * The content of a `code span` (a page URL, an order number): one line, no backtick to close the
 * span early. Nothing else formats inside a span, so underscores in URLs stay as typed. Never empty:
 * an empty span is no span, and the text around it would be read as mrkdwn.
 */
export function codeUntrusted(text: string, max: number): string {
  const flat = oneLine(text).replace(/`/g, LOOKALIKE['`']!);
  return escapeMrkdwn(truncate(flat || '(empty)', max));
}

/**
 * Untrusted text shown as a quote, so it cannot imitate Baton's own lines: it may keep its lines,
 * but every one (whatever break started it) begins with `>`, and no marker inside can open a
 * block, a code span or a label. Long runs of blank lines shrink to one.
 */
export function quoteUntrusted(text: string, max: number): string {
  const lines = text
    .replace(INVISIBLE, '')
    .replace(FORMAT_CHARACTERS, '')
    .replace(LINE_BREAK, '\n')
    .trim()
    .replace(/\n\s*\n(\s*\n)+/g, '\n\n')
    .split('\n')
    .map((line) => `>${escapeMrkdwn(unquote(neutraliseMarkers(line)))}`);
  const quoted = lines.length === 1 && lines[0] === '>' ? '>(empty)' : lines.join('\n');
  // A cut right after a line break leaves the ellipsis on a line of its own: quoted too.
  return truncate(quoted, max - 1).replace(/\n…$/, '\n>…');
}
