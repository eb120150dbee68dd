export interface FollowUpEmailInput {
  /** The company name the customer knows, e.g. "Northwind Goods". */
  brand: string;
  agentName: string;
  /** Where the customer can pick the conversation up again; only http(s) links are used. */
  conversationUrl?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** One line, no control characters (a header must not be able to start another header). */
function singleLine(value: string, max: number): string {
  const flat = value
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The email a customer gets when an agent answers a conversation they have left. It says a reply is
 * waiting and where to read it, never what the reply says: the address may have been typed wrong (or by
 * someone else), and a reply can carry an order number, an address or a reset code. Pure: the same
 * input always renders the same subject, text and HTML. Every piece of input is escaped in the HTML.
 */
export function renderFollowUpEmail(input: FollowUpEmailInput): RenderedEmail {
  const agent = singleLine(input.agentName, 60) || 'Our support team';
  const brand = singleLine(input.brand, 80) || 'Support';
  const url = safeUrl(input.conversationUrl);
  const subject = `${agent} replied to your support conversation`;
  const where = url ? `Read it and answer here: ${url}` : 'To read it, open the chat on our website again.';

  const text = [
    'Hi,',
    '',
    `${agent} from ${brand} replied to your support conversation.`,
    where,
    '',
    "For your privacy the reply itself is not in this email. If you didn't ask us for help, you can ignore it.",
    '',
    `-- ${brand} support`,
    '',
  ].join('\n');

  const continueHtml = url
    ? `<p><a href="${escapeHtml(url)}">Read the reply</a></p>`
    : '<p>To read it, open the chat on our website again.</p>';
  const html = [
    '<!doctype html>',
    '<html><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5;color:#1d1c1d">',
    '<p>Hi,</p>',
    `<p><strong>${escapeHtml(agent)}</strong> from ${escapeHtml(brand)} replied to your support conversation.</p>`,
    continueHtml,
    "<p>For your privacy the reply itself is not in this email. If you didn't ask us for help, you can ignore it.</p>",
    `<p style="color:#616061">— ${escapeHtml(brand)} support</p>`,
    '</body></html>',
    '',
  ].join('\n');

  return { subject, text, html };
}
