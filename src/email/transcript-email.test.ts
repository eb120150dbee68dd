import { describe, expect, it } from 'vitest';
import type { Message } from '../conversation/conversation.js';
import { renderTranscriptEmail } from './transcript-email.js';

let seq = 0;
function message(author: Message['author'], text: string, more: Partial<Message> = {}): Message {
  seq += 1;
  return {
    id: `m_${seq}`,
    conversationId: 'c_1',
    seq,
    author,
    text,
    createdAt: '2026-12-01T09:04:30.000Z',
    ...more,
  };
}

describe('renderTranscriptEmail', () => {
  it('names the desk in the subject on one line, whatever the brand holds', () => {
    const { subject } = renderTranscriptEmail({ brand: 'Northwind\r\nBcc: x@example.com', messages: [] });
    expect(subject).toBe('Your conversation with Northwind Bcc: x@example.com');
  });

  it('writes each message with who and when, and notices as notices', () => {
    const { text } = renderTranscriptEmail({
      brand: 'Northwind Goods',
      messages: [
        message('customer', 'Where is\nmy order?'),
        message('bot', 'Let me check.'),
        message('system', 'Dana has joined the conversation.', { notice: 'join' }),
        message('agent', 'It left today.', { agent: { name: 'Dana', slackUserId: 'U1' } }),
        message('agent', 'gone', { deletedAt: '2026-12-01T09:05:00.000Z' }),
      ],
    });
    expect(text).toContain('You, 2026-12-01 09:04 UTC:\n  Where is\n  my order?\n');
    expect(text).toContain('Assistant, 2026-12-01 09:04 UTC:\n  Let me check.');
    expect(text).toContain('-- Dana has joined the conversation. (2026-12-01 09:04 UTC)');
    expect(text).toContain('Dana, 2026-12-01 09:04 UTC:\n  It left today.');
    expect(text).toContain('Support agent, 2026-12-01 09:04 UTC:\n  (This message was deleted.)');
    expect(text).not.toContain('gone');
    // The agent's Slack id is never shown.
    expect(text).not.toContain('U1');
  });

  it('escapes every piece of text in the HTML and links nothing', () => {
    const { html } = renderTranscriptEmail({
      brand: '<b>Acme</b>',
      messages: [
        message('customer', '<img src=x onerror=alert(1)> & "q" https://evil.example/'),
        message('agent', "it's <i>fine</i>", { agent: { name: '<Eve>' } }),
      ],
    });
    expect(html).not.toMatch(/<img|<i>|<Eve>|<b>Acme|<a /);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot; https://evil.example/');
    expect(html).toContain('it&#39;s &lt;i&gt;fine&lt;/i&gt;');
    expect(html).toContain('<strong>&lt;Eve&gt;</strong>');
  });

  it('says how many earlier messages a very long chat leaves out', () => {
    const one = renderTranscriptEmail({ brand: 'B', messages: [], omitted: 1 });
    expect(one.text).toContain('(1 earlier message is not included.)');
    expect(renderTranscriptEmail({ brand: 'B', messages: [], omitted: 20 }).html).toContain(
      '(20 earlier messages are not included.)',
    );
  });
});
