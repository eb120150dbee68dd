import { intentFeatures } from './intent-features.js';
import {
  expectedCalibrationError,
  type IntentModelArtefact,
  scoreFeatures,
  softmax,
} from './intent-model.js';

/**
 * Trains the intent model (see intent-model.ts). Deterministic: a seeded shuffle, fixed epochs.
 * Pure apart from CPU: the script in scripts/train-intents.ts reads the corpus and writes the artefact.
 */

export interface LabelledText {
  text: string;
  label: string;
}

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
  /** Features seen fewer times than this in the corpus are dropped (noise, and a smaller artefact). */
  minCount?: number;
}

interface Trained {
  weights: Map<string, number[]>;
  bias: number[];
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Softmax regression with AdaGrad and L2, on L2-normalised binary features. */
function fit(
  examples: readonly { features: string[]; y: number }[],
  k: number,
  options: TrainOptions,
): Trained {
  const epochs = options.epochs ?? 30;
  const rate = options.learningRate ?? 0.5;
  const l2 = options.l2 ?? 1e-5;
  const random = mulberry32(options.seed ?? 7);
  const weights = new Map<string, number[]>();
  const grads = new Map<string, number[]>();
  const bias = new Array<number>(k).fill(0);
  const biasGrad = new Array<number>(k).fill(1e-8);
  for (const ex of examples)
    for (const f of ex.features)
      if (!weights.has(f)) {
        weights.set(f, new Array<number>(k).fill(0));
        grads.set(f, new Array<number>(k).fill(1e-8));
      }
  for (let epoch = 0; epoch < epochs; epoch += 1) {
    for (const ex of shuffled(examples, random)) {
      const p = softmax(scoreFeatures(ex.features, weights, bias));
      const norm = 1 / Math.sqrt(Math.max(1, ex.features.length));
      for (let c = 0; c < k; c += 1) {
        const g = p[c]! - (c === ex.y ? 1 : 0);
        biasGrad[c]! += g * g;
        bias[c]! -= (rate * g) / Math.sqrt(biasGrad[c]!);
        for (const f of ex.features) {
          const w = weights.get(f)!;
          const acc = grads.get(f)!;
          const gf = g * norm + l2 * w[c]!;
          acc[c]! += gf * gf;
          w[c]! -= (rate * gf) / Math.sqrt(acc[c]!);
        }
      }
    }
  }
  return { weights, bias };
}

/** The temperature that minimises the negative log-likelihood of held-out predictions. */
function fitTemperature(scored: readonly { scores: number[]; y: number }[]): number {
  let best = { t: 1, nll: Number.POSITIVE_INFINITY };
  for (let t = 0.3; t <= 5; t += 0.05) {
    const nll = scored.reduce((s, x) => s - Math.log(Math.max(1e-12, softmax(x.scores, t)[x.y]!)), 0);
    if (nll < best.nll) best = { t, nll };
  }
  return Math.round(best.t * 100) / 100;
}

export function trainIntentModel(
  corpus: readonly LabelledText[],
  corpusSha256: string,
  options: TrainOptions = {},
): IntentModelArtefact {
  const labels = [...new Set(corpus.map((c) => c.label))].sort();
  const minCount = options.minCount ?? 2;
  const counts = new Map<string, number>();
  const featurized = corpus.map((c) => {
    const features = intentFeatures(c.text);
    for (const f of features) counts.set(f, (counts.get(f) ?? 0) + 1);
    return { features, y: labels.indexOf(c.label) };
  });
  const examples = featurized.map((e) => ({
    ...e,
    features: e.features.filter((f) => (counts.get(f) ?? 0) >= minCount),
  }));

  // Cross-validation: the temperature and the reported figures come from predictions on unseen folds.
  const folds = 5;
  const order = shuffled(
    examples.map((_, i) => i),
    mulberry32((options.seed ?? 7) + 1),
  );
  const scored: { scores: number[]; y: number }[] = [];
  for (let fold = 0; fold < folds; fold += 1) {
    const test = new Set(order.filter((_, i) => i % folds === fold));
    const model = fit(
      examples.filter((_, i) => !test.has(i)),
      labels.length,
      options,
    );
    for (const i of test)
      scored.push({
        scores: scoreFeatures(examples[i]!.features, model.weights, model.bias),
        y: examples[i]!.y,
      });
  }
  const temperature = fitTemperature(scored);
  const cv = scored.map((s) => {
    const p = softmax(s.scores, temperature);
    const best = p.indexOf(Math.max(...p));
    return { confidence: p[best]!, correct: best === s.y };
  });

  const final = fit(examples, labels.length, options);
  const weights: Record<string, number[]> = {};
  for (const [feature, w] of [...final.weights.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (Math.max(...w.map(Math.abs)) < 0.01) continue;
    weights[feature] = w.map((x) => Math.round(x * 1000) / 1000);
  }
  return {
    format: 1,
    corpusSha256,
    labels,
    temperature,
    weights,
    bias: final.bias.map((x) => Math.round(x * 1000) / 1000),
    crossValidation: {
      accuracy: Math.round((cv.filter((c) => c.correct).length / cv.length) * 1000) / 1000,
      expectedCalibrationError: Math.round(expectedCalibrationError(cv) * 1000) / 1000,
      folds,
    },
  };
}
