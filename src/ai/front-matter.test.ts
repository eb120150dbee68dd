import { describe, expect, it } from 'vitest';
import { splitFrontMatter } from './front-matter.js';

describe('splitFrontMatter', () => {
  it('returns YAML data and the body after the closing line', () => {
    expect(splitFrontMatter('---\ntitle: A\ntags: [x, 2]\n---\n# A\n\nBody\n', 'a.md')).toEqual({
      data: { title: 'A', tags: ['x', 2] },
      content: '# A\n\nBody\n',
    });
  });

  it('tolerates a byte-order mark, trailing spaces on the fences and empty front matter', () => {
    expect(splitFrontMatter('\uFEFF---  \ntitle: A\n--- \nBody', 'a.md')).toEqual({
      data: { title: 'A' },
      content: 'Body',
    });
    expect(splitFrontMatter('---\n---\nBody', 'a.md')).toEqual({ data: null, content: 'Body' });
  });

  it('treats a file without a first-line fence, or starting with a markdown rule, as all body', () => {
    expect(splitFrontMatter('# A\n---\ntitle: B\n---\n', 'a.md')).toEqual({
      data: null,
      content: '# A\n---\ntitle: B\n---\n',
    });
    expect(splitFrontMatter('----\nText', 'a.md').data).toBeNull();
  });

  it.each(['---js', '---javascript', '--- coffee', '---yaml', '---json'])(
    'rejects %s front matter without evaluating it',
    (fence) => {
      expect(() => splitFrontMatter(`${fence}\n{ title: 'x' }\n---\nBody`, 'lang.md')).toThrow(
        /^lang\.md: front matter ".*" is not supported/,
      );
    },
  );

  it('rejects front matter that is never closed', () => {
    expect(() => splitFrontMatter('---\ntitle: A\n\nBody', 'open.md')).toThrow(
      'open.md: front matter starts with "---" on line 1 but is never closed',
    );
  });

  it('keeps to plain YAML: language tags and duplicate keys are errors, dates stay strings', () => {
    expect(() => splitFrontMatter('---\ntitle: !!js/function "() => 1"\n---\n', 'tag.md')).toThrow(
      /^tag\.md: front matter is not valid YAML \(line 2\)/,
    );
    expect(() => splitFrontMatter('---\ntitle: A\ntitle: B\n---\n', 'dup.md')).toThrow(/^dup\.md: .*line 3/);
    expect(splitFrontMatter('---\nupdated: 2024-05-01\n---\n', 'd.md').data).toEqual({
      updated: '2024-05-01',
    });
  });

  it('refuses exponential alias expansion ("billion laughs")', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i += 1) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    expect(() => splitFrontMatter(`---\n${levels.join('\n')}\n---\n`, 'bomb.md')).toThrow(
      /^bomb\.md: front matter could not be read: /,
    );
  });
});
