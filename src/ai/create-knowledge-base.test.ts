import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createKnowledgeBase,
  type KnowledgeBase,
  knowledgeBaseFromArticles,
} from './create-knowledge-base.js';

/**
 * The knowledge base follows its folder article by article and is saved between starts (issue 12):
 * whatever way it got there (built, edited, restored), it must search exactly like one built afresh.
 */
const SAMPLE_KB = fileURLToPath(new URL('../../kb', import.meta.url));
let dir: string;
let cacheDir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baton-kb-'));
  cacheDir = await mkdtemp(join(tmpdir(), 'baton-kb-cache-'));
  await cp(SAMPLE_KB, dir, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(cacheDir, { recursive: true, force: true });
});

/** Questions that touch titles, bodies, typos, prefixes and words no article uses. */
async function questions(): Promise<string[]> {
  const fromTitles = (await readdir(dir)).map((file) => file.replace(/\.md$/, '').replace(/-/g, ' '));
  return [
    ...fromTitles,
    'how long does a refund take to reach my card',
    'pasword reset email never arrived',
    'internationaly shipping to canada',
    'gift wrapping price',
    'engrave my name on the lamp',
    'quantum flux capacitor warranty',
  ];
}

/** What a knowledge base answers to each question: ids, confidences and matched terms of the top 5. */
async function answers(kb: KnowledgeBase) {
  return (await questions()).map((q) =>
    kb.search(q, 5).map((hit) => [hit.article.id, hit.confidence, hit.matchedTerms.join(' ')]),
  );
}

const GHOST = { id: 'ghost', title: 'Ghost', tags: [], body: 'Boo.', sections: [] };
const ENGRAVING =
  '---\ntitle: Engraving\ntags: [products]\n---\nWe engrave names on lamps and frames for $9.';

async function editFolder() {
  const refund = join(
    dir,
    (await readdir(dir)).find((f) => f.includes('refund'))!,
  );
  await writeFile(
    refund,
    `${await readFile(refund, 'utf8')}\n\n## Store credit\n\nStore credit arrives at once.\n`,
  );
  await writeFile(join(dir, 'engraving.md'), ENGRAVING);
  await rm(
    join(
      dir,
      (await readdir(dir)).find((f) => f.includes('gift'))!,
    ),
  );
}

describe('createKnowledgeBase', () => {
  it('after edits, an added and a removed article, searches exactly like a knowledge base built afresh', async () => {
    const kb = await createKnowledgeBase(dir);
    await editFolder();
    await kb.reload();
    const fresh = await createKnowledgeBase(dir);
    expect(kb.articles().map((a) => a.id)).toEqual(fresh.articles().map((a) => a.id));
    expect(kb.get('engraving')?.title).toBe('Engraving');
    expect(await answers(kb)).toEqual(await answers(fresh));
  });

  it('is saved at start and restored at the next, reading again only the files that changed', async () => {
    const cachePath = join(cacheDir, 'kb-index.json');
    const first = await createKnowledgeBase(dir, undefined, { cachePath });
    const expected = await answers(first);

    // Files that did not change are not read again: a title altered in the saved copy only (its file
    // untouched) is what the restored knowledge base shows.
    const saved = JSON.parse(await readFile(cachePath, 'utf8')) as {
      files: { entry: { id: string }; article: { title: string } }[];
    };
    const marked = saved.files.find((f) => f.entry.id === 'warranty')!;
    marked.article.title = 'Warranty (from the saved copy)';
    await writeFile(cachePath, JSON.stringify(saved));
    const restored = await createKnowledgeBase(dir, undefined, { cachePath });
    expect(restored.get('warranty')?.title).toBe('Warranty (from the saved copy)');
    expect(restored.get('return-policy')).toEqual(first.get('return-policy'));

    // Changed files are read again, searches match a fresh build, and the saved copy follows.
    await rm(cachePath);
    await createKnowledgeBase(dir, undefined, { cachePath });
    await editFolder();
    const updated = await createKnowledgeBase(dir, undefined, { cachePath });
    const fresh = await createKnowledgeBase(dir);
    expect(await answers(updated)).toEqual(await answers(fresh));
    expect(await answers(updated)).not.toEqual(expected);
    const again = await createKnowledgeBase(dir, undefined, { cachePath });
    expect(await answers(again)).toEqual(await answers(fresh));
  });

  it('ignores, with a warning, a saved copy that is corrupt, of another folder or of another index format', async () => {
    const cachePath = join(cacheDir, 'kb-index.json');
    const expected = await answers(await createKnowledgeBase(dir, undefined, { cachePath }));
    const saved = JSON.parse(await readFile(cachePath, 'utf8')) as Record<string, unknown>;
    const variants = [
      '{"dir": "/elsewhere", "truncated',
      JSON.stringify({ ...saved, dir: '/elsewhere' }),
      JSON.stringify({ ...saved, fingerprint: 'an-older-format' }),
      // Well formed, but listing an article its index does not hold.
      JSON.stringify({
        ...saved,
        files: [
          ...(saved.files as object[]),
          {
            entry: { file: 'ghost.md', id: 'ghost', mtimeMs: 1, ctimeMs: 1, ino: 1, size: 1 },
            article: GHOST,
          },
        ],
      }),
    ];
    for (const variant of variants) {
      await writeFile(cachePath, variant);
      const warnings: string[] = [];
      const kb = await createKnowledgeBase(dir, { warn: (_obj, msg) => warnings.push(msg) }, { cachePath });
      expect(warnings).toContain('knowledge base cache not used; rebuilding the index');
      expect(await answers(kb)).toEqual(expected);
      // ...and it is replaced by a good one.
      expect(JSON.parse(await readFile(cachePath, 'utf8'))).toMatchObject({ fingerprint: saved.fingerprint });
    }
  });

  it('keeps answering from what it has when every file stops being readable', async () => {
    const kb = await createKnowledgeBase(dir);
    const count = kb.articles().length;
    for (const file of await readdir(dir))
      await writeFile(join(dir, file), '---\ntitle: [unclosed\n---\nBody');
    await kb.reload();
    expect(kb.articles()).toHaveLength(count);
  });

  it('lets the event loop run while a reload works through many articles', async () => {
    const kb = knowledgeBaseFromArticles([], async () =>
      Array.from({ length: 400 }, (_, i) => {
        const body = Array.from({ length: 300 }, (_, k) => `word${(i * 7 + k) % 997}`).join(' ');
        return {
          id: `bulk-${i}`,
          title: `Bulk ${i}`,
          tags: [],
          body,
          sections: [{ heading: '', text: body }],
        };
      }),
    );
    let turns = 0;
    const ticker = setInterval(() => (turns += 1), 0);
    await kb.reload();
    clearInterval(ticker);
    expect(kb.articles()).toHaveLength(400);
    expect(turns).toBeGreaterThan(0);
  });
});
