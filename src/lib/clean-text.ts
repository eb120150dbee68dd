/** Customer text made safe to match and quote; pure, shared by the assistant and fact extraction. */

/**
 * Format characters (Unicode Cf: bidi controls, invisible operators, tag characters that can carry text
 * no agent sees but a model reads), except the zero-width joiner that emoji sequences need. Removed from
 * customer text on the way in (webchat) and again on the way to Slack (untrusted-mrkdwn).
 */
export const FORMAT_CHARACTERS = /(?!\u200d)\p{Cf}/gu;

/** Longest text the assistant looks at by default; longer customer messages are truncated first. */
export const MAX_TEXT_CHARS = 8_000;

/** Strips HTML tags and control characters, collapses whitespace and caps the length. */
export function cleanText(input: unknown, maxChars = MAX_TEXT_CHARS): string {
  if (typeof input !== 'string') return '';
  return input
    .slice(0, maxChars * 2)
    .replace(/<[^>]{0,200}>/g, ' ')
    .replace(/&nbsp;|&amp;|&lt;|&gt;|&quot;|&#39;/g, (entity) => ENTITIES[entity] ?? ' ')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, maxChars);
}

const ENTITIES: Record<string, string> = {
  '&nbsp;': ' ',
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
