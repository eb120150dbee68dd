import { type FSWatcher, watch } from 'node:fs';
import type { KnowledgeBase } from './create-knowledge-base.js';
import type { KbLogger } from './kb-loader.js';

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
