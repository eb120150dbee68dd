import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

const Retrieval = z.array(z.object({ text: z.string(), articles: z.array(z.string()) }));
const Cases = z.array(
  z.object({ turns: z.array(z.string()), category: z.string(), articles: z.array(z.string()).optional() }),
);

/**
 * The tuning questions retrieval learns from, with the sample-base articles that answer each ([] when
 * none does): eval/tuning/retrieval.json and the single-turn tuning cases. Never eval/heldout/.
 */
export async function loadTuningQuestions(): Promise<{ text: string; articles: string[] }[]> {
  return [
    ...Retrieval.parse(JSON.parse(await readFile(`${ROOT}eval/tuning/retrieval.json`, 'utf8'))),
    ...Cases.parse(JSON.parse(await readFile(`${ROOT}eval/tuning/cases.json`, 'utf8')))
      .filter((c) => c.turns.length === 1 && ((c.articles?.length ?? 0) > 0 || c.category === 'unanswerable'))
      .map((c) => ({ text: c.turns[0]!, articles: c.articles ?? [] })),
  ];
}
