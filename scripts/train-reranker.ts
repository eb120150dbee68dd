/**
 * `npm run train:reranker`: fits the search re-ranker (src/ai/kb-search.ts, RERANK_FEATURES) on the tuning
 * questions (eval/tuning/retrieval.json and the single-turn tuning cases) against kb/, and writes
 * src/ai/model/reranker.json. A logistic regression: P(this article answers this question). Never reads
 * eval/heldout/. Prints cross-validated figures. It reads the best hit only: P(it answers the question).
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase } from '../src/ai/kb-loader.js';
import { createSearchIndex } from '../src/ai/kb-search.js';
import { RERANK_FEATURES, type Reranker, rerank } from '../src/ai/kb-scoring.js';
import { bestQuestion } from '../src/ai/local-assistant.js';
import { loadTuningQuestions, ROOT } from './tuning-questions.js';

interface Row {
  q: number;
  x: number[];
  y: number;
}

function fit(rows: readonly Row[], epochs = 400, rate = 0.5, l2 = 1e-3): Reranker {
  const k = RERANK_FEATURES.length;
  const w = new Array<number>(k).fill(0);
  let b = 0;
  for (let e = 0; e < epochs; e += 1) {
    const gw = new Array<number>(k).fill(0);
    let gb = 0;
    for (const r of rows) {
      const p = rerank({ weights: w, bias: b }, r.x);
      const g = p - r.y;
      for (let i = 0; i < k; i += 1) gw[i]! += g * r.x[i]!;
      gb += g;
    }
    for (let i = 0; i < k; i += 1) w[i]! -= rate * (gw[i]! / rows.length + l2 * w[i]!);
    b -= (rate * gb) / rows.length;
  }
  return { weights: w.map((v) => Math.round(v * 1000) / 1000), bias: Math.round(b * 1000) / 1000 };
}

/** The tuning questions as re-ranker rows: the best hit's features, and whether it answers. */
async function tuningRows() {
  const index = createSearchIndex(await loadKnowledgeBase(`${ROOT}kb`), { reranker: null });
  const questions = await loadTuningQuestions();
  const rows: Row[] = [];
  const perQuestion = questions.map((q, i) => {
    const { hits } = bestQuestion(index, q.text);
    const cands = hits.slice(0, 5).map((h) => ({ y: q.articles.includes(h.article.id) ? 1 : 0 }));
    // The model answers one question: does the best hit answer it? The others keep their order.
    const x = hits[0]?.features;
    if (x && cands[0]) rows.push({ q: i, x, y: cands[0].y });
    return { answerable: q.articles.length > 0, cands, x };
  });

  return { rows, perQuestion };
}

/** What `npm run train:reranker` writes to src/ai/model/reranker.json. Deterministic (full-batch descent). */
export async function trainShippedReranker(): Promise<Reranker> {
  return fit((await tuningRows()).rows);
}

async function main() {
  const { rows, perQuestion } = await tuningRows();
  // Cross-validation by question: what the figures would be on questions the re-ranker did not see.
  const folds = 5;
  for (const threshold of [0.15, 0.2, 0.25, 0.3, 0.35]) {
    let answerable = 0,
      answered = 0,
      top3 = 0,
      unanswerable = 0,
      wronglyAnswered = 0;
    for (let f = 0; f < folds; f += 1) {
      const model = fit(rows.filter((r) => r.q % folds !== f));
      perQuestion.forEach((pq, i) => {
        if (i % folds !== f) return;
        // The search's own order; the model only says whether the best hit answers at all.
        const ranked = pq.cands;
        const ok = pq.x !== undefined && rerank(model, pq.x) >= threshold;
        if (pq.answerable) {
          answerable += 1;
          if (ok) answered += 1;
          if (ranked.slice(0, 3).some((c) => c.y === 1)) top3 += 1;
        } else {
          unanswerable += 1;
          if (ok) wronglyAnswered += 1;
        }
      });
    }
    const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)}%`;
    console.log(
      `threshold ${threshold} cross-validated: answerable answered ${pct(answered, answerable)}, top-3 ${pct(top3, answerable)}; unanswerable answered anyway ${pct(wronglyAnswered, unanswerable)}`,
    );
  }
  const model = fit(rows);
  await writeFile(
    `${ROOT}src/ai/model/reranker.json`,
    `${JSON.stringify({ features: RERANK_FEATURES, ...model })}\n`,
  );
  console.log(`wrote reranker: ${JSON.stringify(model)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
