/**
 * `npm run learn:expansions`: learns query expansions from the tuning questions (eval/tuning/retrieval.json
 * and the answerable cases of eval/tuning/cases.json) against the sample knowledge base in kb/, and writes
 * src/ai/model/expansions.json. Never reads eval/heldout/.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase } from '../src/ai/kb-loader.js';
import { type ExpansionExample, learnExpansions } from '../src/ai/term-expansions.js';
import { loadTuningQuestions, ROOT } from './tuning-questions.js';

/** What `npm run learn:expansions` writes to src/ai/model/expansions.json. Deterministic. */
export async function learnShippedExpansions(): Promise<Record<string, string[]>> {
  const articles = new Map((await loadKnowledgeBase(`${ROOT}kb`)).map((a) => [a.id, a]));
  const questions = await loadTuningQuestions();
  const examples: ExpansionExample[] = questions
    .filter((q) => q.articles.length > 0)
    .map((q) => {
      const answering = q.articles.map((id) => articles.get(id)).filter((a) => a !== undefined);
      return {
        question: q.text,
        articleText: answering.map((a) => `${a.title} ${a.tags.join(' ')} ${a.body}`).join(' '),
        articleTopic: answering.map((a) => `${a.title} ${a.tags.join(' ')}`).join(' '),
      };
    });
  return learnExpansions(examples);
}

async function main() {
  const expansions = await learnShippedExpansions();
  await writeFile(`${ROOT}src/ai/model/expansions.json`, `${JSON.stringify(expansions, null, 1)}\n`);
  console.log(`learned ${Object.keys(expansions).length} expansions`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
