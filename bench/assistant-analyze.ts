import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { knowledgeBaseFromArticles } from '../src/ai/create-knowledge-base.js';
import { loadKnowledgeBase } from '../src/ai/kb-loader.js';
import { createLocalAssistant } from '../src/ai/local-assistant.js';
import { summarize } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function lcg(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) % 2 ** 32;
    return s / 2 ** 32;
  };
}

/**
 * T7: the local assistant's whole analysis of one message (classifier, rules, sentiment, search, answer
 * extraction) on a 1,000-article knowledge base: the sample articles, each copied under other ids with
 * filler sections so the index is that large. Messages: the tuning questions (never the held-out ones).
 */
export async function benchAssistantAnalyze(size = 1_000, kind: 'copies' | 'distinct' = 'copies') {
  const sample = await loadKnowledgeBase(`${ROOT}kb`);
  // `copies`: the worst case, every sample article 30 times (every word's postings 30 times longer).
  // `distinct`: the sample articles plus synthetic ones with a vocabulary of their own, like a real large base.
  const rand = lcg(7);
  const vocab = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}x`);
  const words = (n: number) =>
    Array.from({ length: n }, () => vocab[Math.floor(vocab.length * rand() ** 3)]!).join(' ');
  const synthetic = (i: number) => {
    const body = words(150 + Math.floor(rand() * 150));
    return { id: `s${i}`, title: words(6), tags: [], body, sections: [{ heading: '', text: body }] };
  };
  const articles = Array.from({ length: size }, (_, i) => {
    if (kind === 'distinct') return i < sample.length ? sample[i]! : synthetic(i);
    const a = sample[i % sample.length]!;
    const extra = `Section ${i}: notes ${i % 97} about item ${i % 53} and region ${i % 31}.`;
    return {
      ...a,
      id: `${a.id}-${i}`,
      body: `${a.body}\n${extra}`,
      sections: [...a.sections, { heading: `Notes ${i}`, text: extra }],
    };
  });
  const assistant = createLocalAssistant({ kb: knowledgeBaseFromArticles(articles) });
  const questions = (
    JSON.parse(readFileSync(`${ROOT}eval/tuning/retrieval.json`, 'utf8')) as { text: string }[]
  ).map((q) => q.text);
  for (const q of questions.slice(0, 50)) await assistant.analyze({ history: [], message: q });
  const samples: number[] = [];
  for (const q of questions) {
    const started = performance.now();
    await assistant.analyze({ history: [], message: q });
    samples.push(performance.now() - started);
  }
  return { articles: size, kind, messages: questions.length, ...summarize(samples) };
}
