import { intentFeatures } from './intent-features.js';

/**
 * A multinomial logistic regression over sparse binary features, small enough to ship as JSON and
 * fast enough for every message (a few hundred map lookups). Trained by scripts/train-intents.ts from
 * eval/tuning/intents.json; probabilities are calibrated by a temperature fitted on cross-validation.
 */

export interface IntentModelArtefact {
  /** Bumped when the feature extraction or the format changes. */
  format: 1;
  /** sha256 of the training corpus, so a stale model is caught by a test. */
  corpusSha256: string;
  labels: string[];
  temperature: number;
  /** Feature name -> weights per label (same order as `labels`), rounded. */
  weights: Record<string, number[]>;
  bias: number[];
  /** Cross-validated figures on the tuning corpus, recorded at training time. */
  crossValidation: { accuracy: number; expectedCalibrationError: number; folds: number };
}

export interface IntentPrediction {
  label: string;
  probability: number;
  /** Every label's probability, best first. */
  ranked: { label: string; probability: number }[];
}

export interface IntentClassifier {
  predict(text: string): IntentPrediction;
  labels: readonly string[];
}

export function softmax(scores: number[], temperature = 1): number[] {
  const scaled = scores.map((s) => s / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** Raw class scores for a feature list: bias plus the sum of the weights of the features present. */
export function scoreFeatures(
  features: readonly string[],
  weights: ReadonlyMap<string, readonly number[]>,
  bias: readonly number[],
): number[] {
  const scores = [...bias];
  // Features are L2-normalised: every message weighs the same however long it is.
  const norm = 1 / Math.sqrt(Math.max(1, features.length));
  for (const feature of features) {
    const w = weights.get(feature);
    if (!w) continue;
    for (let k = 0; k < scores.length; k += 1) scores[k]! += w[k]! * norm;
  }
  return scores;
}

export function createIntentClassifier(artefact: IntentModelArtefact): IntentClassifier {
  const weights = new Map(Object.entries(artefact.weights));
  return {
    labels: artefact.labels,
    predict(text) {
      const probabilities = softmax(
        scoreFeatures(intentFeatures(text), weights, artefact.bias),
        artefact.temperature,
      );
      const ranked = artefact.labels
        .map((label, i) => ({ label, probability: probabilities[i]! }))
        .sort((a, b) => b.probability - a.probability);
      return { label: ranked[0]!.label, probability: ranked[0]!.probability, ranked };
    },
  };
}

/** Expected calibration error over equal-width confidence bins: how far stated confidence is from accuracy. */
export function expectedCalibrationError(
  predictions: readonly { confidence: number; correct: boolean }[],
  bins = 10,
): number {
  if (predictions.length === 0) return 0;
  let total = 0;
  for (let b = 0; b < bins; b += 1) {
    const lo = b / bins;
    const hi = (b + 1) / bins;
    const inBin = predictions.filter(
      (p) => (p.confidence > lo && p.confidence <= hi) || (b === 0 && p.confidence === 0),
    );
    if (inBin.length === 0) continue;
    const accuracy = inBin.filter((p) => p.correct).length / inBin.length;
    const confidence = inBin.reduce((s, p) => s + p.confidence, 0) / inBin.length;
    total += (inBin.length / predictions.length) * Math.abs(accuracy - confidence);
  }
  return total;
}
