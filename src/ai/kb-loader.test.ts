import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKnowledgeBase } from './create-knowledge-base.js';
import { loadKnowledgeBase, markdownToText, parseArticle } from './kb-loader.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baton-kb-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const GOOD = `---\ntitle: Gift wrapping\nurl: https://help.example/gift\ntags: [orders, Gifts]\n---\n# Ignored heading\n\nWe wrap gifts.\n\n## Price\n\nWrapping costs **$4**.\n\n## Limits\n\n- Up to 5 items\n`;

describe('loadKnowledgeBase', () => {
  it('parses front matter, sections and plain text', async () => {
    await writeFile(join(dir, 'gift-wrapping.md'), GOOD);
    const [article] = await loadKnowledgeBase(dir);
    expect(article).toMatchObject({
      id: 'gift-wrapping',
      title: 'Gift wrapping',
      url: 'https://help.example/gift',
    });
    expect(article?.tags).toEqual(['orders', 'gifts']);
    expect(article?.sections.map((section) => section.heading)).toEqual(['Gift wrapping', 'Price', 'Limits']);
    expect(article?.sections[1]?.text).toBe('Wrapping costs $4.');
  });

  it('skips a file with broken front matter, logs it and keeps the others', async () => {
    await writeFile(join(dir, 'good.md'), GOOD);
    await writeFile(join(dir, 'broken.md'), '---\ntitle: [unclosed\ntags: : :\n---\nBody');
    await writeFile(join(dir, 'bad-tags.md'), '---\ntags: {a: 1}\n---\n# Bad\n\nText');
    await writeFile(join(dir, 'notes.txt'), 'not markdown');
    const warnings: object[] = [];
    const articles = await loadKnowledgeBase(dir, { warn: (obj) => warnings.push(obj) });
    expect(articles.map((article) => article.id)).toEqual(['good']);
    expect(warnings).toHaveLength(2);
  });

  it('takes the title from the first heading when front matter has none', () => {
    const article = parseArticle('no-front', '# Opening hours\n\nWe open at 9.');
    expect(article.title).toBe('Opening hours');
    expect(article.tags).toEqual([]);
    expect(article.body).toContain('We open at 9.');
  });

  it('returns an empty list for a missing folder', async () => {
    const warnings: object[] = [];
    expect(await loadKnowledgeBase(join(dir, 'missing'), { warn: (obj) => warnings.push(obj) })).toEqual([]);
    expect(warnings).toHaveLength(1);
  });

  it('flattens tables, links and emphasis', () => {
    const text = markdownToText(
      '| A | B |\n|---|---|\n| Standard | $5 |\n\nSee [our page](https://x.y) for *more*.',
    );
    expect(text).toBe('Standard: $5.\n\nSee our page for more.');
  });

  it('loads the sample knowledge base with at least 28 complete articles', async () => {
    const articles = await loadKnowledgeBase(fileURLToPath(new URL('../../kb', import.meta.url)));
    expect(articles.length).toBeGreaterThanOrEqual(28);
    for (const article of articles) {
      expect(article.url).toMatch(/^https:\/\/help\.northwind\.example\/articles\//);
      expect(article.tags.length).toBeGreaterThan(0);
      expect(article.sections.length).toBeGreaterThan(1);
    }
  });
});

describe('front matter is data, never code', () => {
  // gray-matter evaluated these blocks; each payload sets a global and writes a file if run.
  const payload = (target: string) =>
    `{ title: (globalThis.batonPwned = true, require('fs').writeFileSync(${JSON.stringify(target)}, 'x'), 'Pwned') }`;

  it.each(['js', 'javascript', ' coffee'])(
    'does not execute ---%s front matter and skips the article',
    async (lang) => {
      delete (globalThis as { batonPwned?: boolean }).batonPwned;
      const target = join(dir, 'pwned.txt');
      await writeFile(join(dir, 'evil.md'), `---${lang}\n${payload(target)}\n---\n# Evil\n\nText`);
      await writeFile(join(dir, 'good.md'), GOOD);
      const warnings: { file?: string; err?: string }[] = [];
      const articles = await loadKnowledgeBase(dir, { warn: (obj) => warnings.push(obj) });
      expect((globalThis as { batonPwned?: boolean }).batonPwned).toBeUndefined();
      await expect(access(target)).rejects.toThrow();
      expect(articles.map((article) => article.id)).toEqual(['good']);
      expect(warnings).toEqual([
        { file: 'evil.md', err: expect.stringMatching(/^evil\.md: front matter "---.*" is not supported/) },
      ]);
    },
  );

  it('still reads ordinary YAML front matter (comments, CRLF, comma-separated tags)', () => {
    const source =
      '---\r\n# internal note\r\ntitle: "Returns: how to"\r\ntags: Returns, refunds\r\n---\r\nSend it back.';
    const article = parseArticle('returns', source);
    expect(article).toMatchObject({ title: 'Returns: how to', tags: ['returns', 'refunds'] });
    expect(article.body).toBe('Returns: how to\nSend it back.');
  });

  it('reports a YAML syntax error with the file name and line', async () => {
    await writeFile(join(dir, 'broken.md'), '---\ntitle: ok\ntags: [unclosed\n---\nBody');
    const warnings: { err?: string }[] = [];
    expect(await loadKnowledgeBase(dir, { warn: (obj) => warnings.push(obj) })).toEqual([]);
    expect(warnings[0]?.err).toMatch(/^broken\.md: front matter is not valid YAML \(line 3\): /);
  });
});

describe('createKnowledgeBase', () => {
  it('indexes, looks up and reloads articles', async () => {
    await writeFile(join(dir, 'gift-wrapping.md'), GOOD);
    const kb = await createKnowledgeBase(dir);
    expect(kb.get('gift-wrapping')?.title).toBe('Gift wrapping');
    expect(kb.search('gift wrapping price', 3)[0]?.article.id).toBe('gift-wrapping');
    await writeFile(
      join(dir, 'engraving.md'),
      '---\ntitle: Engraving\ntags: [products]\n---\nWe engrave names.',
    );
    await kb.reload();
    expect(kb.articles().map((article) => article.id)).toEqual(['engraving', 'gift-wrapping']);
    expect(kb.search('engrave', 3)[0]?.article.id).toBe('engraving');
  });

  it('keeps the old index when a reload finds no articles', async () => {
    await writeFile(join(dir, 'gift-wrapping.md'), GOOD);
    const kb = await createKnowledgeBase(dir);
    await rm(join(dir, 'gift-wrapping.md'));
    await kb.reload();
    expect(kb.articles()).toHaveLength(1);
  });
});
