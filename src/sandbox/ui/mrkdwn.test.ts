import { beforeAll, describe, expect, it } from 'vitest';

type Token = {
  type: string;
  text?: string;
  url?: string;
  id?: string;
  name?: string;
  label?: string;
  children?: Token[];
};
type Mrkdwn = {
  parseMrkdwn(text: string): Token[];
  decodeEntities(text: string): string;
  isSafeUrl(url: unknown): boolean;
};

let md: Mrkdwn;

beforeAll(async () => {
  // A browser ES module with no build step; it is pure, so Node can import it too.
  const url = new URL('./assets/mrkdwn.js', import.meta.url).href;
  md = (await import(/* @vite-ignore */ url)) as Mrkdwn;
});

/** Everything a reader would see, flattened. */
function visible(tokens: Token[]): string {
  return tokens
    .map((t) => {
      if (t.children) return visible(t.children);
      if (t.type === 'br') return '\n';
      if (t.type === 'user') return `@${t.label || t.id}`;
      if (t.type === 'channel') return `#${t.label || t.id}`;
      if (t.type === 'broadcast') return `@${t.name}`;
      return t.text ?? '';
    })
    .join('');
}

function all(tokens: Token[]): Token[] {
  return tokens.flatMap((t) => [t, ...all(t.children ?? [])]);
}

describe('parseMrkdwn escaping', () => {
  it('keeps escaped control sequences as literal text', () => {
    const tokens = md.parseMrkdwn('&lt;!channel&gt; &lt;https://evil.example|Reset password&gt;');
    expect(tokens).toEqual([{ type: 'text', text: '<!channel> <https://evil.example|Reset password>' }]);
    expect(all(tokens).some((t) => t.type === 'link' || t.type === 'broadcast')).toBe(false);
  });

  it('decodes entities exactly once', () => {
    expect(visible(md.parseMrkdwn('a &amp;lt;b&amp;gt; &amp;amp; c &lt;3'))).toBe('a &lt;b&gt; &amp; c <3');
    expect(md.decodeEntities('&amp;amp;')).toBe('&amp;');
  });

  it('never turns <script> into anything but text', () => {
    const tokens = md.parseMrkdwn('<script>alert(1)</script> &lt;img src=x onerror=alert(1)&gt;');
    expect(all(tokens).every((t) => t.type === 'text')).toBe(true);
    expect(visible(tokens)).toBe('<script>alert(1)</script> <img src=x onerror=alert(1)>');
  });

  it('does not make links from javascript:, data: or other schemes', () => {
    for (const raw of [
      '<javascript:alert(1)|click me>',
      '<data:text/html,hi|x>',
      '<JavaScript:alert(1)>',
      '<mailto:a@b.c|mail>',
    ]) {
      const tokens = md.parseMrkdwn(raw);
      expect(
        all(tokens).some((t) => t.type === 'link'),
        raw,
      ).toBe(false);
    }
    expect(visible(md.parseMrkdwn('<javascript:alert(1)|click me>'))).toBe('click me');
    expect(md.isSafeUrl('https://ok.example/a')).toBe(true);
    expect(md.isSafeUrl(' javascript:alert(1)')).toBe(false);
  });

  it('makes http(s) links, decoding &amp; in the URL', () => {
    expect(md.parseMrkdwn('see <https://example.com/a?x=1&amp;y=2|the docs>')).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'link', url: 'https://example.com/a?x=1&y=2', text: 'the docs' },
    ]);
    expect(md.parseMrkdwn('<http://x.example/p_q_r>')).toEqual([
      { type: 'link', url: 'http://x.example/p_q_r', text: 'http://x.example/p_q_r' },
    ]);
  });
});

describe('parseMrkdwn mentions', () => {
  it('parses users, channels and broadcasts', () => {
    const tokens = md.parseMrkdwn('<@U123> <@U9|dana> in <#C0HANDOFFS> <#C1|general> <!here> <!channel>');
    expect(tokens.filter((t) => t.type !== 'text')).toEqual([
      { type: 'user', id: 'U123', label: '' },
      { type: 'user', id: 'U9', label: 'dana' },
      { type: 'channel', id: 'C0HANDOFFS', label: '' },
      { type: 'channel', id: 'C1', label: 'general' },
      { type: 'broadcast', name: 'here' },
      { type: 'broadcast', name: 'channel' },
    ]);
  });
});

describe('parseMrkdwn formatting', () => {
  it('renders bold, italic, strike and code', () => {
    expect(md.parseMrkdwn('*bold* _it_ ~gone~ `x*y*`')).toEqual([
      { type: 'bold', children: [{ type: 'text', text: 'bold' }] },
      { type: 'text', text: ' ' },
      { type: 'italic', children: [{ type: 'text', text: 'it' }] },
      { type: 'text', text: ' ' },
      { type: 'strike', children: [{ type: 'text', text: 'gone' }] },
      { type: 'text', text: ' ' },
      { type: 'code', text: 'x*y*' },
    ]);
  });

  it('nests and leaves intra-word markers alone', () => {
    expect(md.parseMrkdwn('*_both_*')).toEqual([
      { type: 'bold', children: [{ type: 'italic', children: [{ type: 'text', text: 'both' }] }] },
    ]);
    expect(md.parseMrkdwn('snake_case_name 2*3*4')).toEqual([
      { type: 'text', text: 'snake_case_name 2*3*4' },
    ]);
    expect(md.parseMrkdwn('* not bold *')).toEqual([{ type: 'text', text: '* not bold *' }]);
  });

  it('keeps formatting on one line', () => {
    expect(md.parseMrkdwn('*a\nb*')).toEqual([
      { type: 'text', text: '*a' },
      { type: 'br' },
      { type: 'text', text: 'b*' },
    ]);
  });

  it('handles pre blocks, quotes and newlines', () => {
    const tokens = md.parseMrkdwn(
      'intro\n```\nconst a = 1 < 2 && *x*;\n```\n&gt; quoted *bit*\n> more\nafter',
    );
    expect(tokens).toEqual([
      { type: 'text', text: 'intro' },
      { type: 'pre', text: 'const a = 1 < 2 && *x*;' },
      {
        type: 'quote',
        children: [
          { type: 'text', text: 'quoted ' },
          { type: 'bold', children: [{ type: 'text', text: 'bit' }] },
          { type: 'br' },
          { type: 'text', text: 'more' },
        ],
      },
      { type: 'text', text: 'after' },
    ]);
  });

  it('bolds mentions and ignores markers inside link URLs', () => {
    const tokens = md.parseMrkdwn('*<@U1> claimed* <https://a.example/x_y_|x_y>');
    expect(tokens[0]).toEqual({
      type: 'bold',
      children: [
        { type: 'user', id: 'U1', label: '' },
        { type: 'text', text: ' claimed' },
      ],
    });
    expect(tokens[2]).toEqual({ type: 'link', url: 'https://a.example/x_y_', text: 'x_y' });
  });

  it('replaces known emoji shortcodes only', () => {
    expect(visible(md.parseMrkdwn(':wave: :not_an_emoji_xyz:'))).toBe('👋 :not_an_emoji_xyz:');
  });

  it('returns nothing for empty or non-string input', () => {
    expect(md.parseMrkdwn('')).toEqual([]);
    expect(md.parseMrkdwn(undefined as unknown as string)).toEqual([]);
  });
});

describe('encodeOutgoing / toEditable', () => {
  const directory = {
    users: [{ id: 'U0DANA', name: 'dana', displayName: 'Dana' }],
    channels: [{ id: 'C0HANDOFFS', name: 'support-handoffs' }],
  };
  type Codec = Mrkdwn & {
    encodeOutgoing(text: string, d: typeof directory): string;
    toEditable(text: string, d: typeof directory): string;
  };

  it('escapes what a person types so it can never become markup or a mention', () => {
    const codec = md as Codec;
    const typed = 'a < b && <!channel> <https://evil.example|Reset>';
    const stored = codec.encodeOutgoing(typed, directory);
    expect(stored).toBe('a &lt; b &amp;&amp; &lt;!channel&gt; &lt;https://evil.example|Reset&gt;');
    expect(visible(md.parseMrkdwn(stored))).toBe(typed);
  });

  it('turns @handle, @here and #channel into control sequences, round-tripping for edits', () => {
    const codec = md as Codec;
    const stored = codec.encodeOutgoing('@dana, see #support-handoffs @here (cc @nobody)', directory);
    expect(stored).toBe('<@U0DANA>, see <#C0HANDOFFS> <!here> (cc @nobody)');
    expect(codec.toEditable(stored, directory)).toBe('@dana, see #support-handoffs @here (cc @nobody)');
    expect(codec.toEditable('x &lt;y&gt; <https://a.example|docs>', directory)).toBe(
      'x <y> docs (https://a.example)',
    );
  });
});

describe('date tokens', () => {
  it('renders <!date^…> in local time instead of the fallback', async () => {
    const tokens = JSON.stringify(md.parseMrkdwn('since <!date^1795262400^{time}|12:00 UTC>'));
    expect(tokens).not.toContain('12:00 UTC');
    expect(tokens).not.toContain('!date');
    expect(tokens).toMatch(/\d{1,2}:00/);
  });
});
