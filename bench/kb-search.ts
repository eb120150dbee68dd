import { knowledgeBaseFromArticles } from '../src/ai/create-knowledge-base.js';
import type { Article } from '../src/ai/kb-loader.js';
import { summarize, time } from './stats.js';

/** A deterministic pseudo-random generator, so every run searches the same corpus. */
function lcg(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 2 ** 32;
    return s / 2 ** 32;
  };
}

/** A Zipf-like vocabulary: 30% common words, the rest drawn from 20,000 made-up ones, rare ones rarer. */
function syntheticCorpus() {
  const rand = lcg(42);
  const vocab = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}x`);
  const common = ['the', 'and', 'of', 'to', 'a', 'in', 'order', 'shipping', 'refund', 'account'];
  const word = () =>
    rand() < 0.3
      ? common[Math.floor(rand() * common.length)]!
      : vocab[Math.floor(vocab.length * rand() ** 3)]!;
  const words = (n: number) => Array.from({ length: n }, word).join(' ');
  return { rand, vocab, words };
}

/** The synthetic corpus as markdown files' text (a title line and a body), for bench/kb-scale.ts. */
export function syntheticArticleText(docs: number): string[] {
  const { rand, words } = syntheticCorpus();
  return Array.from({ length: docs }, () => `# ${words(8)}\n\n${words(150 + Math.floor(rand() * 150))}\n`);
}

/**
 * T6: search over a synthetic 10k-article base (Zipf-like vocabulary), informative and raw queries,
 * first right after the build, then informative ones again once the process has warmed up.
 */
export function benchKbSearch(docs = 10_000) {
  const { rand, vocab, words } = syntheticCorpus();
  const articles: Article[] = Array.from({ length: docs }, (_, i) => {
    const body = words(150 + Math.floor(rand() * 150));
    return { id: `a${i}`, title: words(8), tags: [], body, sections: [{ heading: '', text: body }] };
  });
  const [kb, buildMs] = time(() => knowledgeBaseFromArticles(articles));
  const informativeQueries = (n: number) =>
    Array.from(
      { length: n },
      () =>
        `${vocab[Math.floor(rand() * 5000)]} ${vocab[Math.floor(rand() * 5000)]} ${vocab[Math.floor(rand() * 5000)]}`,
    );
  const informative = informativeQueries(300);
  const raw = Array.from(
    { length: 100 },
    () => `the order and the shipping of a refund to my account ${words(4)}`,
  );
  const huge = [words(2000), 'the and of to a in', `${'the '.repeat(500)}`];
  const run = (queries: string[]) => summarize(queries.map((q) => time(() => kb.search(q, 10))[1]));
  // The passes above run right after the build: the first searches the code ever makes (not yet
  // optimised by the JIT) and collections of what the build left behind. A server searches for hours
  // after one build, so the steady state is measured too, on queries it has not seen: 300 to warm up,
  // then 1,000 (enough that p99 is not the fourth-slowest query).
  const firstPass = { informative: run(informative), raw: run(raw), adversarial: run(huge) };
  run(informativeQueries(300));
  return { buildMs, ...firstPass, informativeWarm: run(informativeQueries(1_000)) };
}
