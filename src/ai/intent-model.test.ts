import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { intentFeatures } from './intent-features.js';
import { createIntentClassifier, expectedCalibrationError } from './intent-model.js';
import { trainIntentModel } from './intent-training.js';
import { corpusDigest } from '../../scripts/train-intents.js';
import { loadIntentArtefact, loadIntentClassifier } from './load-intent-model.js';

describe('the shipped intent model', () => {
  it('was trained on the tuning corpus as it is now (run npm run train:intents after editing it)', () => {
    const corpus = JSON.parse(
      readFileSync(new URL('../../eval/tuning/intents.json', import.meta.url), 'utf8'),
    ) as {
      text: string;
      label: string;
    }[];
    expect(loadIntentArtefact().corpusSha256).toBe(corpusDigest(corpus));
  });

  it('reads typos, slang and the difference between asking about a policy and asking for the action', () => {
    const model = loadIntentClassifier();
    expect(model.predict('talk to a humna pls').label).toBe('human');
    expect(model.predict('whats ur refund policy').label).toBe('question');
    expect(model.predict('refund me now, the sofa is broken').label).toBe('refund_request');
    expect(model.predict('how do I cancel an order?').label).toBe('question');
    expect(model.predict('cancel my order right now').label).toBe('cancel_request');
  });
});

describe('training', () => {
  const corpus = [
    ...['refund me', 'i want a refund', 'give my money back', 'refund my order now'].map((text) => ({
      text,
      label: 'refund',
    })),
    ...['how long is shipping', 'where is my parcel', 'do you ship abroad', 'shipping cost?'].map((text) => ({
      text,
      label: 'question',
    })),
  ];

  it('is deterministic and separates what it was shown', () => {
    const a = trainIntentModel(corpus, 'x', { epochs: 20, minCount: 1 });
    const b = trainIntentModel(corpus, 'x', { epochs: 20, minCount: 1 });
    expect(a).toEqual(b);
    const model = createIntentClassifier(a);
    expect(model.predict('refund me please').label).toBe('refund');
    expect(model.predict('how long does shipping take').label).toBe('question');
  });

  it('uses character n-grams, so a misspelt word still shares most of its features', () => {
    const right = new Set(intentFeatures('refund'));
    const typo = intentFeatures('refnud');
    expect(typo.filter((f) => right.has(f)).length).toBeGreaterThan(2);
  });
});

describe('expected calibration error', () => {
  it('is 0 when confidence matches accuracy and grows when it does not', () => {
    const honest = [
      ...Array.from({ length: 8 }, () => ({ confidence: 0.8, correct: true })),
      ...Array.from({ length: 2 }, () => ({ confidence: 0.8, correct: false })),
    ];
    expect(expectedCalibrationError(honest)).toBeCloseTo(0, 5);
    const overconfident = honest.map((p) => ({ ...p, confidence: 1 }));
    expect(expectedCalibrationError(overconfident)).toBeCloseTo(0.2, 5);
  });
});
