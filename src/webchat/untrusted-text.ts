/**
 * What Baton does to text a visitor sends before storing it (documented in docs/api.md):
 * - control characters (NUL, BEL, ESC, …) are removed; in multi-line text, tabs and line breaks stay;
 * - bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) are removed, so text
 *   cannot reverse how a label around it reads in Slack or in the chat;
 * - text that is nothing but spaces and invisible characters (zero-width spaces, joiners, BOM) counts
 *   as empty.
 * The customer's words are otherwise kept exactly: escaping for Slack happens where Slack text is built.
 */

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROLS_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROLS_AND_BREAKS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const INVISIBLE = /[\s\u00ad\u180e\u200b-\u200d\u2060\ufeff]/g;

/** Multi-line text (messages, comments): line breaks normalised to \n, the rest cleaned as above. */
export function cleanMultiline(text: string): string {
  const cleaned = text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u2028\u2029]/g, '\n')
    .replace(CONTROLS_EXCEPT_LINES, '')
    .replace(BIDI_CONTROLS, '')
    .trim();
  return isBlank(cleaned) ? '' : cleaned;
}

/** One line (names, metadata values): every control character or line break becomes one space. */
export function cleanOneLine(text: string): string {
  const cleaned = text
    .replace(BIDI_CONTROLS, '')
    .replace(CONTROLS_AND_BREAKS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return isBlank(cleaned) ? '' : cleaned;
}

export function isBlank(text: string): boolean {
  return text.replace(INVISIBLE, '').length === 0;
}
