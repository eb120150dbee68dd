import { cp, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
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
    // A file whose time can be put back exactly (utimes cannot restore sub-millisecond precision).
    const victim = join(
      dir,
      (await readdir(dir)).find((f) => f.includes('shipping'))!,
    );
    const then = new Date('2026-01-01T00:00:00Z');
    await utimes(victim, then, then);
    const first = await createKnowledgeBase(dir, undefined, { cachePath });
    const expected = await answers(first);
    expect((await stat(cachePath)).size).toBeGreaterThan(0);

    // An unchanged file (same size, same time) is not read again: garbage written into one, with its
    // size and time put back, goes unnoticed, which shows the article came from the cache.
    const original = await readFile(victim, 'utf8');
    await writeFile(victim, 'x'.repeat(Buffer.byteLength(original)));
    await utimes(victim, then, then);
    const restored = await createKnowledgeBase(dir, undefined, { cachePath });
    expect(await answers(restored)).toEqual(expected);
    await writeFile(victim, original);

    // Changed files are read again, and the saved copy follows.
    await editFolder();
    const updated = await createKnowledgeBase(dir, undefined, { cachePath });
    const fresh = await createKnowledgeBase(dir);
    expect(await answers(updated)).toEqual(await answers(fresh));
    expect(updated.get('engraving')?.title).toBe('Engraving');
  });

  it('ignores, with a warning, a saved copy that is corrupt, of another folder or of another index format', async () => {
    const cachePath = join(cacheDir, 'kb-index.json');
    const expected = await answers(await createKnowledgeBase(dir, undefined, { cachePath }));
    const saved = JSON.parse(await readFile(cachePath, 'utf8')) as Record<string, unknown>;
    const variants = [
      '{"dir": "/elsewhere", "truncated',
      JSON.stringify({ ...saved, dir: '/elsewhere' }),
      JSON.stringify({ ...saved, fingerprint: 'an-older-format' }),
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
