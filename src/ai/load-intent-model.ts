import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { createIntentClassifier, type IntentClassifier, type IntentModelArtefact } from './intent-model.js';

/** The artefact shipped with Baton, trained by `npm run train:intents`. */
export const INTENT_MODEL_PATH = new URL('./model/intent-model.json', import.meta.url);

const Artefact = z.object({
  format: z.literal(1),
  corpusSha256: z.string(),
  labels: z.array(z.string()).min(2),
  temperature: z.number().positive(),
  weights: z.record(z.string(), z.array(z.number())),
  bias: z.array(z.number()),
  crossValidation: z.object({
    accuracy: z.number(),
    expectedCalibrationError: z.number(),
    folds: z.number(),
  }),
});

/** Reads and checks the model once, when the assistant is built (never at import time). */
export function loadIntentArtefact(path: URL | string = INTENT_MODEL_PATH): IntentModelArtefact {
  const artefact: IntentModelArtefact = Artefact.parse(JSON.parse(readFileSync(path, 'utf8')));
  for (const [feature, w] of Object.entries(artefact.weights))
    if (w.length !== artefact.labels.length)
      throw new Error(`intent model: feature ${feature} has ${w.length} weights`);
  return artefact;
}

export function loadIntentClassifier(path?: URL | string): IntentClassifier {
  return createIntentClassifier(loadIntentArtefact(path));
}
