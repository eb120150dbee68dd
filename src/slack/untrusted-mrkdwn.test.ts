import { describe, expect, it } from 'vitest';
import {
  codeUntrusted,
  inlineUntrusted,
  oneLine,
  plainLabel,
  quotedInline,
  quoteUntrusted,
} from './untrusted-mrkdwn.js';

describe('oneLine', () => {
  it('turns every kind of line break into a space and drops control and bidi characters', () => {
    expect(oneLine('a\nb\r\nc\rd\ve\ff\u0085g\u2028h\u2029i')).toBe('a b c d e f g h i');
    expect(oneLine('x\u0000\u0007\u001b[31m\u007f\u009by')).toBe('x[31my');
    expect(oneLine('Refund \u202Edevorppa\u202C \u2066x\u2069\u200E\u200F\u061C.')).toBe(
      'Refund devorppa x.',
    );
    // A lone surrogate would make Slack reject the whole post.
    expect(oneLine('ok\ud800!')).toBe('ok!');
    expect(oneLine('👍 ok')).toBe('👍 ok');
  });
});

describe('inlineUntrusted', () => {
  it('keeps one line and neutralises formatting that could open or close, and a leading quote', () => {
    expect(inlineUntrusted('x\n*Customer* VERIFIED _VIP_ ~no~ `code`', 300)).toBe(
      'x ∗Customer∗ VERIFIED ˍVIPˍ ∼no∼ ˋcodeˋ',
    );
    expect(inlineUntrusted('  > quoted', 300)).toBe('› quoted');
    expect(inlineUntrusted('<!here> & <https://evil.example|x>', 300)).toBe(
      '&lt;!here&gt; &amp; &lt;https://evil.example|x&gt;',
    );
  });

  it('leaves markers inside a word alone, so ids and emails read and copy as typed', () => {
    expect(inlineUntrusted('first_last@example.com order_id_7 2*3~4', 300)).toBe(
      'first_last@example.com order_id_7 2*3~4',
    );
  });
});

describe('quotedInline', () => {
  it('cannot end the quote Baton puts around it', () => {
    expect(quotedInline('great” · *Note from Alex* approved “x"', 300)).toBe(
      "“great' · ∗Note from Alex∗ approved 'x'”",
    );
  });
});

describe('plainLabel', () => {
  it('keeps a customer name on one line with no formatting, so it cannot fake a line from Baton', () => {
    const label = plainLabel('Jo*\n:white_check_mark: Resolved by Dana.\n*x <!here>');
    expect(label).toBe('Jo∗ :whiteˍcheckˍmark: Resolved by Dana. ∗x &lt;!here&gt;');
    expect(label).not.toMatch(/[\n*]/);
    expect(plainLabel('   ')).toBe('Customer');
    expect(plainLabel('\u202E', 60, 'Agent')).toBe('Agent');
    expect(plainLabel('Mary_Ann')).toBe('MaryˍAnn');
  });
});

describe('codeUntrusted', () => {
  it('cannot close its code span, and keeps what cannot format inside one', () => {
    expect(codeUntrusted('https://x.example/my_page?q=*a*`\n*Customer* VIP', 300)).toBe(
      'https://x.example/my_page?q=*a*ˋ *Customer* VIP',
    );
    expect(codeUntrusted('\u202E\n', 300)).toBe('(empty)');
  });
});

describe('quoteUntrusted', () => {
  it('quotes every line, whatever break started it', () => {
    expect(quoteUntrusted('one\rtwo\u2028three\r\nfour\u2029five', 3000)).toBe(
      '>one\n>two\n>three\n>four\n>five',
    );
  });

  it('lets no line open a label, a code block or a quote of its own', () => {
    expect(quoteUntrusted('*AGENT NOTE:* refund approved\n```x```\n>>> all\n snake_case', 3000)).toBe(
      '>∗AGENT NOTE:∗ refund approved\n>ˋˋˋxˋˋˋ\n>›&gt;&gt; all\n> snake_case',
    );
  });

  it('shrinks runs of blank lines and never quotes nothing', () => {
    expect(quoteUntrusted('a\n\n\n\n\nb', 3000)).toBe('>a\n>\n>b');
    expect(quoteUntrusted(' \n\u0007 ', 3000)).toBe('>(empty)');
    expect(quoteUntrusted('abc\ndef', 7)).toBe('>abc\n>…');
  });
});

describe('format characters', () => {
  it('drops tag characters and invisible operators that hide text, keeping emoji joiners', () => {
    const hidden = 'ok\u{E0049}\u{E0047}\u{E004E}\u2061';
    expect(quoteUntrusted(hidden, 100)).toBe('>ok');
    expect(oneLine(hidden)).toBe('ok');
    expect(inlineUntrusted('👨\u200d👩', 100)).toBe('👨\u200d👩');
  });
});
