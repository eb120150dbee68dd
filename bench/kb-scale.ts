import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKnowledgeBase } from '../src/ai/create-knowledge-base.js';
import { syntheticArticleText } from './kb-search.js';
import { withLoopWatch } from './stats.js';

/**
 * Issue 12's knowledge base at scale, from files as Baton reads them: 10,000 articles in a folder,
 * started cold (nothing saved: parse and index everything, then save) and warm (a fresh process that
 * finds the saved copy), then one edited article and 500 edited articles reloaded while a 1 ms timer
 * measures the longest the event loop was held.
 */
export async function benchKbScale(docs = 10_000) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-kb-scale-'));
  const cachePath = path.join(dir, 'saved', 'kb-index.json');
  try {
    const texts = syntheticArticleText(docs);
    texts.forEach((text, i) => fs.writeFileSync(path.join(dir, `article-${i}.md`), text));

    const coldStart = performance.now();
    const kb = await createKnowledgeBase(dir, undefined, { cachePath });
    const coldMs = performance.now() - coldStart;
    const warm = spawnSync(process.execPath, ['--import', 'tsx', 'bench/kb-start.ts', dir, cachePath], {
      encoding: 'utf8',
    });
    if (warm.status !== 0) throw new Error(`warm start failed: ${warm.stderr.slice(0, 500)}`);
    const warmMs = Number(warm.stdout.trim());

    const reloadBlock = async (count: number) => {
      for (let i = 0; i < count; i += 1) {
        fs.appendFileSync(
          path.join(dir, `article-${i * 17}.md`),
          `\n\nEdited ${i}: ${i === 0 ? 'qqeditfirst' : 'qqeditother'} refund.\n`,
        );
      }
      const { ms, longestLoopBlockMs } = await withLoopWatch(() => kb.reload());
      return { reloadMs: ms, longestLoopBlockMs };
    };
    const oneEdit = await reloadBlock(1);
    const found = kb.search('qqeditfirst', 1)[0]?.article.id === 'article-0';
    const manyEdits = await reloadBlock(500);
    return { docs, coldMs, warmMs, oneEdit, manyEdits, editSearchable: found };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
