import { describe, expect, it } from 'vitest';
import { renderFollowUpEmail } from './follow-up-email.js';

const base = { brand: 'Northwind Goods', agentName: 'Dana' };

describe('renderFollowUpEmail', () => {
  it('names the agent in the subject', () => {
    expect(renderFollowUpEmail(base).subject).toBe('Dana replied to your support conversation');
  });

  it('says a reply is waiting without a word of it, however it is called', () => {
    // The reply is not even an input: nothing of an agent's text can reach the inbox of whoever typed the address.
    const { html, text } = renderFollowUpEmail(base);
    expect(text).toContain('Dana from Northwind Goods replied to your support conversation.');
    expect(text).toContain('the reply itself is not in this email');
    expect(html).toContain('the reply itself is not in this email');
  });

  it('escapes the agent name and brand too, and keeps headers on one line', () => {
    const { html, subject } = renderFollowUpEmail({
      brand: '<b>Acme</b>',
      agentName: 'Eve<script>\r\nBcc: victim@example.com',
    });
    expect(html).not.toMatch(/<script|<b>Acme/);
    expect(html).toContain('&lt;b&gt;Acme&lt;/b&gt;');
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toBe('Eve<script> Bcc: victim@example.com replied to your support conversation');
  });

  it('links the conversation when an http(s) URL is given', () => {
    const url = 'https://help.example.com/chat?c=abc&x="1"';
    const { html, text } = renderFollowUpEmail({ ...base, conversationUrl: url });
    expect(html).toContain('href="https://help.example.com/chat?c=abc&amp;x=%221%22"');
    expect(text).toContain('Read it and answer here: https://help.example.com/chat?c=abc&x=%221%22');
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
