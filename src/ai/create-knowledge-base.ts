import { type FSWatcher, watch } from 'node:fs';
import { type Article, type KbLogger, loadKnowledgeBase } from './kb-loader.js';
import { createSearchIndex, type SearchHit, type SearchIndex } from './kb-search.js';

/** A loaded and indexed knowledge base; `reload()` swaps in a fresh index atomically. */
export interface KnowledgeBase {
  search(query: string, limit?: number): SearchHit[];
  /** The stemmed terms a query is searched with. */
  queryTerms(query: string): string[];
  articles(): readonly Article[];
  get(id: string): Article | undefined;
  reload(): Promise<void>;
}

/** Builds a knowledge base from already loaded articles (handy for tests). */
export function knowledgeBaseFromArticles(
  initial: readonly Article[],
  load: () => Promise<Article[]> = async () => [...initial],
  log?: KbLogger,
): KnowledgeBase {
  let state = indexState(initial);
  return {
    search: (query, limit) => state.index.search(query, limit),
    queryTerms: (query) => state.index.queryTerms(query),
    articles: () => state.articles,
    get: (id) => state.byId.get(id),
    async reload() {
      const articles = await load();
      if (articles.length === 0 && state.articles.length > 0) {
        log?.warn(
          { kept: state.articles.length },
          'knowledge base reload found no articles; keeping the old index',
        );
        return;
      }
      state = indexState(articles);
    },
  };
}

/** Loads every `*.md` article of `dir` and indexes it. Never throws for bad articles. */
export async function createKnowledgeBase(dir: string, log?: KbLogger): Promise<KnowledgeBase> {
  const load = () => loadKnowledgeBase(dir, log);
  return knowledgeBaseFromArticles(await load(), load, log);
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

function indexState(articles: readonly Article[]) {
  const index: SearchIndex = createSearchIndex(articles);
  return { articles: [...articles], index, byId: new Map(articles.map((article) => [article.id, article])) };
}
