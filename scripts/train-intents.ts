/**
 * `npm run train:intents`: trains the intent classifier from the tuning corpus (eval/tuning/intents.json)
 * and writes the versioned artefact src/ai/model/intent-model.json. Deterministic: the same corpus gives
 * the same model. Never trained on eval/heldout/.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { trainIntentModel } from '../src/ai/intent-training.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CORPUS = `${ROOT}eval/tuning/intents.json`;
export const ARTEFACT = `${ROOT}src/ai/model/intent-model.json`;

const Corpus = z.array(
  z.object({ text: z.string().min(1), label: z.string().min(1), register: z.string().optional() }),
);

/** Of the corpus's content, not its bytes: reformatting the file does not make the model stale. */
export function corpusDigest(corpus: readonly { text: string; label: string }[]): string {
  return createHash('sha256')
    .update(JSON.stringify(corpus.map(({ text, label }) => [text, label])))
    .digest('hex');
}

async function main() {
  const raw = await readFile(CORPUS, 'utf8');
  const corpus = Corpus.parse(JSON.parse(raw));
  const started = performance.now();
  const model = trainIntentModel(corpus, corpusDigest(corpus));
  await writeFile(ARTEFACT, `${JSON.stringify(model)}\n`);
  console.log(
    `trained on ${corpus.length} messages, ${model.labels.length} labels, ${Object.keys(model.weights).length} features in ${Math.round(performance.now() - started)} ms`,
  );
  console.log(
    `cross-validated (${model.crossValidation.folds} folds): accuracy ${model.crossValidation.accuracy}, calibration error ${model.crossValidation.expectedCalibrationError}, temperature ${model.temperature}`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
