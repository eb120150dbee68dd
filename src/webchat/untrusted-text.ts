import { FORMAT_CHARACTERS } from '../lib/clean-text.js';

/**
 * What Baton does to text a visitor sends before storing it (documented in docs/api.md):
 * - control characters (NUL, BEL, ESC, …) are removed; in multi-line text, tabs and line breaks stay;
 * - format characters (Unicode Cf) are removed, except the zero-width joiner: bidirectional controls
 *   (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) cannot reverse how a label reads, and tag
 *   characters (U+E0000–U+E007F) cannot hide text from agents that a model would still read;
 * - text that is nothing but spaces, joiners and blank-looking fillers (U+3164, U+115F, U+1160,
 *   U+FFA0, U+2800) counts as empty.
 * The customer's words are otherwise kept exactly: escaping for Slack happens where Slack text is built.
 */

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROLS_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROLS_AND_BREAKS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
/** What a reader cannot see: spaces, format characters and the blank-looking fillers. */
const INVISIBLE = /[\s\p{Cf}\u115f\u1160\u3164\uffa0\u2800]/gu;

/** Multi-line text (messages, comments): line breaks normalised to \n, the rest cleaned as above. */
export function cleanMultiline(text: string): string {
  const cleaned = text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u2028\u2029]/g, '\n')
    .replace(CONTROLS_EXCEPT_LINES, '')
    .replace(FORMAT_CHARACTERS, '')
    .trim();
  return isBlank(cleaned) ? '' : cleaned;
}

/** One line (names, metadata values): every control character or line break becomes one space. */
export function cleanOneLine(text: string): string {
  const cleaned = text
    .replace(FORMAT_CHARACTERS, '')
    .replace(CONTROLS_AND_BREAKS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return isBlank(cleaned) ? '' : cleaned;
}

export function isBlank(text: string): boolean {
  return text.replace(INVISIBLE, '').length === 0;
}
