import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { splitFrontMatter } from './front-matter.js';

/** One `##` section of an article, as plain text (markdown emphasis, links and tables flattened). */
export interface ArticleSection {
  heading: string;
  text: string;
}

export interface Article {
  /** The file name without `.md`, e.g. "refund-timing". */
  id: string;
  title: string;
  url?: string;
  tags: string[];
  /** Plain text of the whole article without the title. */
  body: string;
  sections: ArticleSection[];
}

/** The slice of a pino logger the loader needs. */
export interface KbLogger {
  warn(obj: object, msg: string): void;
}

const FrontMatter = z.object({
  title: z.string().trim().min(1).optional(),
  url: z.string().trim().min(1).optional(),
  tags: z
    .union([z.array(z.union([z.string(), z.number()])), z.string()])
    .optional()
    .transform((tags) =>
      (typeof tags === 'string' ? tags.split(',') : (tags ?? []))
        .map((tag) => String(tag).trim().toLowerCase())
        .filter(Boolean),
    ),
});

/** Flattens markdown to readable plain text: one line per paragraph, list item or table row. */
export function markdownToText(markdown: string): string {
  const lines: string[] = [];
  let tableRow = 0;
  for (const raw of markdown.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('|')) {
      const cells = line
        .split('|')
        .map((cell) => cell.trim())
        .filter(Boolean);
      tableRow += 1;
      // Skip the header row and the |---| separator; other rows become "First: rest, rest."
      if (tableRow === 1 || cells.every((cell) => /^:?-+:?$/.test(cell))) continue;
      lines.push(`${cells[0]}: ${cells.slice(1).join(', ')}.`);
      continue;
    }
    tableRow = 0;
    lines.push(line);
  }
  return lines
    .join('\n')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/^>\s?/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Parses one markdown file's content into an Article; throws (naming `file`) if the front matter is
 * not YAML, is invalid YAML or has invalid fields. Front matter is only ever parsed, never evaluated.
 */
export function parseArticle(id: string, source: string, file = `${id}.md`): Article {
  const parsed = splitFrontMatter(source, file);
  const front = FrontMatter.parse(parsed.data ?? {});
  const content = parsed.content;
  const h1 = /^#\s+(.+)$/m.exec(content)?.[1]?.trim();
  const title = front.title ?? h1 ?? id.replace(/-/g, ' ');
  const withoutH1 = content.replace(/^#\s+.+$/m, '');

  const sections: ArticleSection[] = [];
  let heading = title;
  let buffer: string[] = [];
  const flush = () => {
    const text = markdownToText(buffer.join('\n'));
    if (text) sections.push({ heading, text });
    buffer = [];
  };
  for (const line of withoutH1.split(/\r?\n/)) {
    const match = /^##\s+(.+)$/.exec(line);
    if (match?.[1]) {
      flush();
      heading = match[1].trim();
    } else {
      buffer.push(line);
    }
  }
  flush();

  const body = sections.map((section) => `${section.heading}\n${section.text}`).join('\n\n');
  return { id, title, url: front.url, tags: front.tags, body, sections };
}

/**
 * Loads every `*.md` file of a folder (not recursive), sorted by file name. A file that cannot be
 * read or parsed is logged and skipped; a missing folder yields an empty knowledge base.
 */
export async function loadKnowledgeBase(dir: string, log?: KbLogger): Promise<Article[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((file) => file.toLowerCase().endsWith('.md')).sort();
  } catch (err) {
    log?.warn({ err, dir }, 'knowledge base folder could not be read');
    return [];
  }
  const articles: Article[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const id = basename(file, '.md')
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-');
    try {
      const source = await readFile(join(dir, file), 'utf8');
      const article = parseArticle(id, source, file);
      if (seen.has(id)) throw new Error(`duplicate article id ${id}`);
      if (!article.body.trim()) throw new Error('article has no text');
      seen.add(id);
      articles.push(article);
    } catch (err) {
      log?.warn(
        { file, err: err instanceof Error ? err.message : String(err) },
        'skipping knowledge base article',
      );
    }
  }
  return articles;
}
