import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { indexFingerprint, type SavedIndex } from './kb-index.js';
import type { Article, ArticleFile, KbLogger } from './kb-loader.js';

/**
 * The knowledge base saved between starts: each file as it was listed with the article parsed from it,
 * and the index built from them. At start-up only files whose size or modification time differ are
 * read again, and the index is restored instead of rebuilt (10,000 articles: seconds, not tens of them).
 * A cache of another folder, another index format or in any way unreadable is ignored and replaced.
 */
export interface KbCache {
  dir: string;
  fingerprint: string;
  files: { entry: ArticleFile; article: Article }[];
  index: SavedIndex;
}

const ArticleShape = z.object({
  id: z.string(),
  title: z.string(),
  url: z.string().optional(),
  tags: z.array(z.string()),
  body: z.string(),
  sections: z.array(z.object({ heading: z.string(), text: z.string() })),
});
const CacheShape = z.object({
  dir: z.string(),
  fingerprint: z.string(),
  files: z.array(
    z.object({
      entry: z.object({
        file: z.string(),
        id: z.string(),
        mtimeMs: z.number(),
        ctimeMs: z.number(),
        ino: z.number(),
        size: z.number(),
      }),
      article: ArticleShape,
    }),
  ),
  // The index's inside is MiniSearch's own format: restoring it is its check (a failure rebuilds).
  index: z.object({
    mini: z.custom<SavedIndex['mini']>((value) => typeof value === 'object' && value !== null),
    docFreq: z.array(z.tuple([z.string(), z.number().int().positive()])),
    words: z.array(z.tuple([z.string(), z.number().int().positive()])),
  }),
});

/** The saved knowledge base of `dir`, or undefined when there is none usable (said in the log why). */
export async function readKbCache(path: string, dir: string, log?: KbLogger): Promise<KbCache | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const cache = CacheShape.parse(JSON.parse(text));
    if (cache.dir !== resolve(dir)) throw new Error(`it is of another folder (${cache.dir})`);
    if (cache.fingerprint !== indexFingerprint()) throw new Error('it was made by another index format');
    return cache;
  } catch (err) {
    log?.warn(
      { path, err: err instanceof Error ? err.message.slice(0, 300) : String(err) },
      'knowledge base cache not used; rebuilding the index',
    );
    return undefined;
  }
}

/** Saves the knowledge base of `dir`: written aside, then renamed, so a crash never leaves half a file. */
export async function writeKbCache(
  path: string,
  dir: string,
  files: KbCache['files'],
  index: SavedIndex,
): Promise<void> {
  const cache: KbCache = { dir: resolve(dir), fingerprint: indexFingerprint(), files, index };
  const aside = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(aside, JSON.stringify(cache));
    await rename(aside, path);
  } finally {
    await rm(aside, { force: true });
  }
}
