import { describe, expect, it } from 'vitest';
import { renderFollowUpEmail } from './follow-up-email.js';

const base = { brand: 'Northwind Goods', agentName: 'Dana', replyText: 'Your refund is on its way.' };

describe('renderFollowUpEmail', () => {
  it('names the agent in the subject', () => {
    expect(renderFollowUpEmail(base).subject).toBe('Dana replied to your support conversation');
  });

  it('escapes markup in the agent text in HTML and keeps it verbatim in the text version', () => {
    const replyText = 'Try this: <script>alert("x")</script>\n<img src=x onerror="alert(1)"> & done';
    const { html, text } = renderFollowUpEmail({ ...base, replyText });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; done');
    expect(text).toContain(replyText);
  });

  it('escapes the agent name and brand too, and keeps headers on one line', () => {
    const { html, subject } = renderFollowUpEmail({
      brand: '<b>Acme</b>',
      agentName: 'Eve<script>\r\nBcc: victim@example.com',
      replyText: 'hi',
    });
    expect(html).not.toMatch(/<script|<b>Acme/);
    expect(html).toContain('&lt;b&gt;Acme&lt;/b&gt;');
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toBe('Eve<script> Bcc: victim@example.com replied to your support conversation');
  });

  it('keeps line breaks and paragraphs of the reply', () => {
    const { html, text } = renderFollowUpEmail({
      ...base,
      replyText: 'Line one\nline two\r\n\r\nSecond para',
    });
    expect(html).toContain('Line one<br>line two</p>');
    expect(html).toContain('>Second para</p>');
    expect(text).toContain('Line one\nline two\n\nSecond para');
  });

  it('links the conversation when an http(s) URL is given', () => {
    const url = 'https://help.example.com/chat?c=abc&x="1"';
    const { html, text } = renderFollowUpEmail({ ...base, conversationUrl: url });
    expect(html).toContain('href="https://help.example.com/chat?c=abc&amp;x=%221%22"');
    expect(text).toContain('Continue the conversation: https://help.example.com/chat?c=abc&x=%221%22');
  });

  it('drops links that are not http(s)', () => {
    const { html, text } = renderFollowUpEmail({ ...base, conversationUrl: 'javascript:alert(1)' });
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('<a ');
    expect(text).not.toContain('javascript:');
    expect(text).toContain('open the chat on our website again');
  });

  it('falls back to a generic sender when the agent has no name', () => {
    expect(renderFollowUpEmail({ ...base, agentName: '  ' }).subject).toBe(
      'Our support team replied to your support conversation',
    );
  });
});
