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
const SLICE_MS = 3;
/** Article files read at once. */
const READ_AHEAD = 16;
const yieldToLoop = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A knowledge base over an editable index: `apply` puts in the articles that changed and takes out the
 * ones that went, one at a time and letting the event loop run every few milliseconds, so a large
 * update never freezes the server; searches meanwhile see each article either old or new, never half.
 */
function editableKnowledgeBase(index: EditableSearchIndex) {
  let sorted: Article[] | undefined;
  return {
    search: (query: string, limit?: number) => index.search(query, limit),
    queryTerms: (query: string) => index.queryTerms(query),
    articles: () =>
      (sorted ??= [...index.articles()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))),
    get: (id: string) => index.get(id),
    save: () => index.save(),
    async apply(changes: readonly (Article | { removed: string })[]) {
      if (changes.length === 0) return;
      // Whatever ran before (listing and comparing every file) is a slice of its own.
      await yieldToLoop();
      let sliceStart = performance.now();
      for (const change of changes) {
        if ('removed' in change) index.remove(change.removed);
        else index.upsert(change);
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
  const kb = editableKnowledgeBase(createSearchIndex(initial));
  const reload = async () => {
    const articles = await load();
    const before = kb.articles().map((a) => a.id);
    if (articles.length === 0 && before.length > 0) return keepingOld(log, before.length);
    const next = new Set(articles.map((a) => a.id));
    const changed = articles.filter((a) => JSON.stringify(a) !== JSON.stringify(kb.get(a.id)));
    const removed = before.filter((id) => !next.has(id));
    await kb.apply([...changed, ...removed.map((id) => ({ removed: id }))]);
  };
  return { ...kb, reload: serialized(reload) };
}

function keepingOld(log: KbLogger | undefined, kept: number) {
  log?.warn({ kept }, 'knowledge base reload found no articles; keeping the old index');
}

/**
 * Loads every `*.md` article of `dir` and indexes it. Never throws for bad articles or a bad saved copy.
 * With `cachePath`, the articles and index are saved there and restored at the next start, reading again
 * only the files that changed (see kb-cache.ts). A reload reads only files whose size, modification
 * time, change time or inode changed.
 */
export async function createKnowledgeBase(
  dir: string,
  log?: KbLogger,
  options: { cachePath?: string } = {},
): Promise<KnowledgeBase> {
  const cache = options.cachePath ? await readKbCache(options.cachePath, dir, log) : undefined;
  let state = (cache && restoreIndex(cache, log)) ?? freshState();
  const reload = () => reloadFolder(dir, state, log);
  try {
    await reload();
  } catch (err) {
    // A saved copy that restored but does not match its own files (or any other surprise) must not
    // keep Baton from starting: start over from the folder alone.
    log?.warn({ err }, 'knowledge base cache not used; rebuilding the index');
    state = freshState();
    await reload();
  }
  if (options.cachePath && (!cache || state.changed)) {
    // Saved at start only: serialising a large index takes long enough to stall requests later on.
    await writeKbCache(options.cachePath, dir, [...state.indexed.values()], state.kb.save()).catch(
      (err: unknown) =>
        log?.warn({ err, path: options.cachePath }, 'knowledge base cache could not be saved'),
    );
  }
  return { ...state.kb, reload: serialized(reload) };
}

interface FolderState {
  kb: ReturnType<typeof editableKnowledgeBase>;
  /** Each indexed file as it was when read. */
  indexed: Map<string, { entry: ArticleFile; article: Article }>;
  /** Whether a reload changed anything since the state was made. */
  changed: boolean;
}

function freshState(): FolderState {
  return { kb: editableKnowledgeBase(createSearchIndex([])), indexed: new Map(), changed: false };
}

const sameFile = (a: ArticleFile | undefined, b: ArticleFile) =>
  a !== undefined &&
  a.file === b.file &&
  a.size === b.size &&
  a.mtimeMs === b.mtimeMs &&
  a.ctimeMs === b.ctimeMs &&
  a.ino === b.ino;

/** Brings `state` up to date with the folder: reads the files that changed, then applies the difference. */
async function reloadFolder(dir: string, state: FolderState, log?: KbLogger): Promise<void> {
  const listed = await listArticleFiles(dir, log);
  if (!listed) return;
  // Each pass over the whole folder (10,000 files take a few milliseconds) runs in a turn of its own.
  await yieldToLoop();
  const files = withoutDuplicateIds(listed, log);
  const toRead = files.filter((entry) => !sameFile(state.indexed.get(entry.id)?.entry, entry));
  await yieldToLoop();
  const read: { entry: ArticleFile; article: Article | undefined }[] = [];
  // A few files at a time: one read at a time would leave the process waiting on the disk.
  for (let at = 0; at < toRead.length; at += READ_AHEAD) {
    const batch = toRead.slice(at, at + READ_AHEAD);
    const articles = await Promise.all(batch.map((entry) => readArticleFile(dir, entry, log)));
    batch.forEach((entry, k) => read.push({ entry, article: articles[k] }));
  }
  await yieldToLoop();
  const good = new Set(files.map((f) => f.id));
  for (const { entry, article } of read) if (!article) good.delete(entry.id);
  // Nothing readable (a folder emptied or unmounted, permissions lost): keep answering from what we have.
  if (good.size === 0 && state.indexed.size > 0) return keepingOld(log, state.indexed.size);

  const changes: (Article | { removed: string })[] = [];
  for (const { entry, article } of read) {
    if (article) {
      state.indexed.set(entry.id, { entry, article });
      changes.push(article);
    }
  }
  for (const id of [...state.indexed.keys()]) {
    if (good.has(id)) continue;
    state.indexed.delete(id);
    changes.push({ removed: id });
  }
  if (changes.length > 0) state.changed = true;
  await state.kb.apply(changes);
}

/**
 * The state restored from a cache, or undefined (logged) when MiniSearch cannot read it or it does not
 * hold exactly the articles it lists.
 */
function restoreIndex(cache: KbCache, log?: KbLogger): FolderState | undefined {
  const articles = cache.files.map((f) => f.article);
  try {
    const index = createSearchIndex(articles, { saved: cache.index });
    if (!index.holdsExactly(articles.map((a) => a.id)))
      throw new Error('its index does not match its articles');
    return {
      kb: editableKnowledgeBase(index),
      indexed: new Map(cache.files.map((f) => [f.entry.id, f])),
      changed: false,
    };
  } catch (err) {
    log?.warn(
      { err: err instanceof Error ? err.message : String(err) },
      'knowledge base cache not used; rebuilding the index',
    );
    return undefined;
  }
}
