import type { Message } from '../conversation/conversation.js';
import { escapeHtml, type RenderedEmail } from './follow-up-email.js';

/** The most messages one transcript carries (the latest ones); a longer chat says what was left out. */
export const TRANSCRIPT_MAX_MESSAGES = 1000;

export interface TranscriptEmailInput {
  /** The company name the customer knows, e.g. "Northwind Goods". */
  brand: string;
  /** The chat as the customer saw it, oldest first. */
  messages: readonly Message[];
  /** How many earlier messages were left out (see TRANSCRIPT_MAX_MESSAGES). */
  omitted?: number;
}

/** A line of the transcript, built only from fields the customer's chat shows. */
interface Line {
  who: string;
  at: string;
  text: string;
  notice: boolean;
}

function oneLine(value: string, max: number): string {
  const flat = value
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

/** "2026-12-01 09:04 UTC": the server does not know the customer's time zone, so it says which it uses. */
function stamp(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function lineOf(m: Message): Line {
  const who =
    m.author === 'customer'
      ? 'You'
      : m.author === 'bot'
        ? 'Assistant'
        : m.author === 'agent'
          ? oneLine(m.agent?.name ?? '', 60) || 'Support agent'
          : '';
  const text = m.deletedAt ? '(This message was deleted.)' : m.text;
  return { who, at: stamp(m.createdAt), text, notice: m.author === 'system' };
}

/**
 * The transcript a customer asked for by email. Pure. Only what the chat showed them goes in: author,
 * time and text of each message, the agent's display name, notices; never a note, a summary or any
 * field the chat API keeps inside. Every piece of text is escaped in the HTML, and nothing is linked.
 */
export function renderTranscriptEmail(input: TranscriptEmailInput): RenderedEmail {
  const brand = oneLine(input.brand, 80) || 'Support';
  const subject = `Your conversation with ${brand}`;
  const lines = input.messages.map(lineOf);
  const omitted = input.omitted
    ? `(${input.omitted} earlier message${input.omitted === 1 ? ' is' : 's are'} not included.)`
    : '';
  const footer = "You asked for this email in our chat. If you didn't, you can ignore it.";

  const text = [
    'Hi,',
    '',
    `Here is your conversation with ${brand}, as you asked.`,
    '',
    ...(omitted ? [omitted, ''] : []),
    ...lines.flatMap((l) =>
      l.notice
        ? [`-- ${l.text} (${l.at})`, '']
        : [`${l.who}, ${l.at}:`, ...l.text.split('\n').map((t) => `  ${t}`), ''],
    ),
    footer,
    '',
    `-- ${brand} support`,
    '',
  ].join('\n');

  const htmlLine = (l: Line) =>
    l.notice
      ? `<p style="color:#616061;font-style:italic;margin:12px 0">${escapeHtml(l.text)} <small>(${escapeHtml(l.at)})</small></p>`
      : [
          '<div style="margin:12px 0">',
          `<div><strong>${escapeHtml(l.who)}</strong> <small style="color:#616061">${escapeHtml(l.at)}</small></div>`,
          `<div style="white-space:pre-wrap">${escapeHtml(l.text)}</div>`,
          '</div>',
        ].join('');
  const html = [
    '<!doctype html>',
    '<html><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5;color:#1d1c1d">',
    '<p>Hi,</p>',
    `<p>Here is your conversation with ${escapeHtml(brand)}, as you asked.</p>`,
    ...(omitted ? [`<p style="color:#616061">${escapeHtml(omitted)}</p>`] : []),
    ...lines.map(htmlLine),
    `<p style="color:#616061">${escapeHtml(footer)}</p>`,
    `<p style="color:#616061">— ${escapeHtml(brand)} support</p>`,
    '</body></html>',
    '',
  ].join('\n');
  return { subject, text, html };
}
