import { readdir, readFile, stat } from 'node:fs/promises';
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

/** One article file as listed: enough to tell, without reading it, whether it changed since it was indexed. */
export interface ArticleFile {
  file: string;
  id: string;
  mtimeMs: number;
  /** Also compared: tools that keep a copied file's modification time (cp -p, rsync -t) cannot keep this. */
  ctimeMs: number;
  ino: number;
  size: number;
}

/** The `*.md` files of a folder (not recursive), sorted by name; undefined when the folder cannot be read. */
export async function listArticleFiles(dir: string, log?: KbLogger): Promise<ArticleFile[] | undefined> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((file) => file.toLowerCase().endsWith('.md')).sort();
  } catch (err) {
    log?.warn({ err, dir }, 'knowledge base folder could not be read');
    return undefined;
  }
  const files: ArticleFile[] = [];
  for (let at = 0; at < names.length; at += 64) {
    const batch = names.slice(at, at + 64);
    // A file gone between the listing and its stat is simply not there.
    const infos = await Promise.all(batch.map((file) => stat(join(dir, file)).catch(() => undefined)));
    batch.forEach((file, k) => {
      const info = infos[k];
      if (!info?.isFile()) return;
      const id = basename(file, '.md')
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-');
      files.push({ file, id, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino, size: info.size });
    });
  }
  return files;
}

/** Reads and parses one listed file; a file that cannot be read or parsed is logged and yields undefined. */
export async function readArticleFile(
  dir: string,
  entry: ArticleFile,
  log?: KbLogger,
): Promise<Article | undefined> {
  try {
    const article = parseArticle(entry.id, await readFile(join(dir, entry.file), 'utf8'), entry.file);
    if (!article.body.trim()) throw new Error('article has no text');
    return article;
  } catch (err) {
    log?.warn(
      { file: entry.file, err: err instanceof Error ? err.message : String(err) },
      'skipping knowledge base article',
    );
    return undefined;
  }
}

/** Two files whose names fold to the same id: the first (by name) is kept, the other skipped with a warning. */
export function withoutDuplicateIds(files: ArticleFile[], log?: KbLogger): ArticleFile[] {
  const seen = new Set<string>();
  return files.filter((entry) => {
    if (!seen.has(entry.id)) return seen.add(entry.id);
    log?.warn(
      { file: entry.file, err: `duplicate article id ${entry.id}` },
      'skipping knowledge base article',
    );
    return false;
  });
}

/**
 * Loads every `*.md` file of a folder (not recursive), sorted by file name. A file that cannot be
 * read or parsed is logged and skipped; a missing folder yields an empty knowledge base.
 */
export async function loadKnowledgeBase(dir: string, log?: KbLogger): Promise<Article[]> {
  const articles: Article[] = [];
  for (const entry of withoutDuplicateIds((await listArticleFiles(dir, log)) ?? [], log)) {
    const article = await readArticleFile(dir, entry, log);
    if (article) articles.push(article);
  }
  return articles;
}
