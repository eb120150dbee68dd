import { type FSWatcher, watch } from 'node:fs';
import { type KbCache, readKbCache, writeKbCache } from './kb-cache.js';
import {
  type Article,
  type ArticleFile,
  type KbLogger,
  listArticleFiles,
  readArticleFile,
  withoutDuplicateIds,
} from './kb-loader.js';
import { createSearchIndex, type EditableSearchIndex, type SearchHit } from './kb-search.js';

/** A loaded and indexed knowledge base; `reload()` brings it up to date article by article. */
export interface KnowledgeBase {
  search(query: string, limit?: number): SearchHit[];
  /** The stemmed terms a query is searched with. */
  queryTerms(query: string): string[];
  articles(): readonly Article[];
  get(id: string): Article | undefined;
  /** Resolves once every change made before the call is searchable. */
  reload(): Promise<void>;
}

/** How long an update may hold the event loop before it lets requests through. */
const SLICE_MS = 5;
/** Article files read at once. */
const READ_AHEAD = 16;
const yieldToLoop = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A knowledge base over an editable index: `apply` puts in the articles that changed and takes out the
 * ones that went, one at a time and letting the event loop run every few milliseconds, so a large
 * update never freezes the server; searches meanwhile see each article either old or new, never half.
 */
function editableKnowledgeBase(index: EditableSearchIndex, initial: readonly Article[]) {
  const byId = new Map(initial.map((article) => [article.id, article]));
  let sorted: Article[] | undefined;
  return {
    search: (query: string, limit?: number) => index.search(query, limit),
    queryTerms: (query: string) => index.queryTerms(query),
    articles: () => (sorted ??= [...byId.values()].sort((a, b) => a.id.localeCompare(b.id))),
    get: (id: string) => byId.get(id),
    ids: () => [...byId.keys()],
    save: () => index.save(),
    async apply(
      changes: AsyncIterable<Article | { removed: string }> | Iterable<Article | { removed: string }>,
    ) {
      let sliceStart = performance.now();
      for await (const change of changes) {
        if ('removed' in change) {
          index.remove(change.removed);
          byId.delete(change.removed);
        } else {
          index.upsert(change);
          byId.set(change.id, change);
        }
        sorted = undefined;
        if (performance.now() - sliceStart > SLICE_MS) {
          await yieldToLoop();
          sliceStart = performance.now();
        }
      }
    },
  };
}

/** Runs reloads one after another: a reload asked for during another starts when it ends. */
function serialized(run: () => Promise<void>): () => Promise<void> {
  let last: Promise<void> = Promise.resolve();
  return () => (last = last.then(run, run));
}

/** Builds a knowledge base from already loaded articles (tests, benchmarks); `load` gives the new set. */
export function knowledgeBaseFromArticles(
  initial: readonly Article[],
  load: () => Promise<Article[]> = async () => [...initial],
  log?: KbLogger,
): KnowledgeBase {
  const kb = editableKnowledgeBase(createSearchIndex(initial), initial);
  const reload = async () => {
    const articles = await load();
    if (articles.length === 0 && kb.ids().length > 0) return keepingOld(log, kb.ids().length);
    const next = new Set(articles.map((a) => a.id));
    const changed = articles.filter((a) => JSON.stringify(a) !== JSON.stringify(kb.get(a.id)));
    const removed = kb.ids().filter((id) => !next.has(id));
    await kb.apply([...changed, ...removed.map((id) => ({ removed: id }))]);
  };
  return { ...kb, reload: serialized(reload) };
}

function keepingOld(log: KbLogger | undefined, kept: number) {
  log?.warn({ kept }, 'knowledge base reload found no articles; keeping the old index');
}

/**
 * Loads every `*.md` article of `dir` and indexes it. Never throws for bad articles. With `cachePath`,
 * the articles and index are saved there and restored at the next start, reading again only the files
 * that changed (see kb-cache.ts). A reload reads only files whose size or modification time changed.
 */
export async function createKnowledgeBase(
  dir: string,
  log?: KbLogger,
  options: { cachePath?: string } = {},
): Promise<KnowledgeBase> {
  const cache = options.cachePath ? await readKbCache(options.cachePath, dir, log) : undefined;
  const restored = cache && restoreIndex(cache, log);
  const kb = restored?.kb ?? editableKnowledgeBase(createSearchIndex([]), []);
  /** Each indexed file as it was when read. */
  const indexed = new Map(restored ? cache.files.map((f) => [f.entry.id, f]) : []);

  const reload = async () => {
    const listed = await listArticleFiles(dir, log);
    if (!listed) return;
    const files = withoutDuplicateIds(listed, log);
    if (files.length === 0 && indexed.size > 0) return keepingOld(log, indexed.size);
    const present = new Set(files.map((f) => f.id));
    const unchanged = (entry: ArticleFile) => {
      const before = indexed.get(entry.id)?.entry;
      return (
        before !== undefined &&
        before.file === entry.file &&
        before.mtimeMs === entry.mtimeMs &&
        before.size === entry.size
      );
    };
    const toRead = files.filter((entry) => !unchanged(entry));
    async function* changes() {
      // Read a few files ahead: one read at a time would leave the process waiting on the disk.
      for (let at = 0; at < toRead.length; at += READ_AHEAD) {
        const batch = toRead.slice(at, at + READ_AHEAD);
        const articles = await Promise.all(batch.map((entry) => readArticleFile(dir, entry, log)));
        for (const [k, entry] of batch.entries()) {
          const article = articles[k];
          if (article) {
            indexed.set(entry.id, { entry, article });
            yield article;
          } else if (indexed.delete(entry.id)) {
            yield { removed: entry.id };
          }
        }
      }
      for (const id of [...indexed.keys()]) {
        if (present.has(id)) continue;
        indexed.delete(id);
        yield { removed: id };
      }
    }
    await kb.apply(changes());
  };

  const before = JSON.stringify([...indexed.values()].map((f) => f.entry));
  await reload();
  if (options.cachePath && JSON.stringify([...indexed.values()].map((f) => f.entry)) !== before) {
    // Saved at start only: serialising a large index takes long enough to stall requests later on.
    await writeKbCache(options.cachePath, dir, [...indexed.values()], kb.save()).catch((err: unknown) =>
      log?.warn({ err, path: options.cachePath }, 'knowledge base cache could not be saved'),
    );
  }
  return { ...kb, reload: serialized(reload) };
}

/** The index restored from a cache, or undefined (logged) when MiniSearch cannot read it. */
function restoreIndex(cache: KbCache, log?: KbLogger) {
  const articles = cache.files.map((f) => f.article);
  try {
    return { kb: editableKnowledgeBase(createSearchIndex(articles, { saved: cache.index }), articles) };
  } catch (err) {
    log?.warn({ err }, 'knowledge base cache not used; rebuilding the index');
    return undefined;
  }
}

export interface WatchOptions {
  debounceMs?: number;
  log?: KbLogger;
}

/**
 * Reloads the knowledge base when files in `dir` change (debounced). Returns a function that stops
 * watching. Uses fs.watch, so it is best-effort: on platforms without it, it logs and does nothing.
 */
export function watchKnowledgeBase(kb: KnowledgeBase, dir: string, options: WatchOptions = {}): () => void {
  const debounceMs = options.debounceMs ?? 300;
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      kb.reload().catch((err: unknown) => options.log?.warn({ err }, 'knowledge base reload failed'));
    }, debounceMs);
    timer.unref?.();
  };
  try {
    watcher = watch(dir, { persistent: false }, (_event, file) => {
      if (!file || String(file).toLowerCase().endsWith('.md')) schedule();
    });
    watcher.on('error', (err) => options.log?.warn({ err, dir }, 'knowledge base watcher failed'));
  } catch (err) {
    options.log?.warn({ err, dir }, 'cannot watch the knowledge base folder');
  }
  return () => {
    if (timer) clearTimeout(timer);
    watcher?.close();
  };
}
