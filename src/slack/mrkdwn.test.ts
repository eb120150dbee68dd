import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, slackToPlainText, truncate } from './mrkdwn.js';

describe('escapeMrkdwn', () => {
  it('neutralises mentions and forged links', () => {
    const out = escapeMrkdwn(
      '<!channel> <!here> <!subteam^S1> <@U123> <https://evil.example|Reset password> &lt;',
    );
    expect(out).toBe(
      '&lt;!channel&gt; &lt;!here&gt; &lt;!subteam^S1&gt; &lt;@U123&gt; &lt;https://evil.example|Reset password&gt; &amp;lt;',
    );
    expect(out).not.toMatch(/<|>/);
  });
});

describe('truncate', () => {
  it('never leaves half an entity', () => {
    expect(truncate('abc &amp; def', 7)).toBe('abc …');
    expect(truncate('short', 10)).toBe('short');
  });
});

describe('slackToPlainText', () => {
  it('turns Slack markup into readable text', () => {
    const names: Record<string, string> = { U1: 'Dana' };
    expect(
      slackToPlainText(
        'Hi <@U1>, see <https://x.example/a|the guide> &amp; <mailto:a@b.c|a@b.c>',
        (id) => names[id],
      ),
    ).toBe('Hi @Dana, see the guide (https://x.example/a) & a@b.c');
    expect(slackToPlainText('1 &lt; 2 &amp;&amp; <https://x.example>', () => undefined)).toBe(
      '1 < 2 && https://x.example',
    );
  });
});

describe('slackToPlainText formatting', () => {
  it('turns Slack formatting and common emoji into what the customer expects to read', () => {
    expect(
      slackToPlainText('*Good news*: it ships _today_ :tada: ~not~ :unknown_code:', () => undefined),
    ).toBe('Good news: it ships today 🎉 not :unknown_code:');
    expect(slackToPlainText('2*3*4 stays and snake_case_name stays', () => undefined)).toBe(
      '2*3*4 stays and snake_case_name stays',
    );
  });
});

describe('truncate at character boundaries', () => {
  it('never splits an emoji or a flag in half', () => {
    const text = `ok ${'👍'.repeat(10)}`;
    const cut = truncate(text, 8);
    expect(cut.length).toBeLessThanOrEqual(8);
    expect(cut).toBe('ok 👍👍…');
    expect(truncate('🇩🇪🇩🇪🇩🇪', 6)).toBe('🇩🇪…');
    // A plain slice would end 'ok ' + half an emoji here (a lone surrogate Slack rejects).
    expect(truncate('ok 👍👍', 5)).toBe('ok …');
    expect(() => encodeURIComponent(truncate('ab😀😀', 4))).not.toThrow();
  });
});

describe('Slack tokens the customer must never see raw', () => {
  it('shows a date token as its fallback text and an empty channel label as words', () => {
    expect(slackToPlainText('Back on <!date^1392734382^{date_short}|Feb 18, 2014>.', () => undefined)).toBe(
      'Back on Feb 18, 2014.',
    );
    expect(slackToPlainText('Ask in <#C0123|>', () => undefined)).toBe('Ask in a channel');
    expect(slackToPlainText('Ask in <#C0123>', () => undefined)).toBe('Ask in a channel');
    expect(slackToPlainText('Ask in <#C0123|billing>', () => undefined)).toBe('Ask in #billing');
    expect(slackToPlainText('Hi <@U1|>', () => 'Dana')).toBe('Hi @Dana');
  });
});
