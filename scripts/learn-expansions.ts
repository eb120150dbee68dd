/**
 * `npm run learn:expansions`: learns query expansions from the tuning questions (eval/tuning/retrieval.json
 * and the answerable cases of eval/tuning/cases.json) against the sample knowledge base in kb/, and writes
 * src/ai/model/expansions.json. Never reads eval/heldout/.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadKnowledgeBase } from '../src/ai/kb-loader.js';
import { type ExpansionExample, learnExpansions } from '../src/ai/term-expansions.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const Retrieval = z.array(z.object({ text: z.string(), articles: z.array(z.string()) }));
const Cases = z.array(z.object({ turns: z.array(z.string()), articles: z.array(z.string()).optional() }));

async function main() {
  const articles = new Map((await loadKnowledgeBase(`${ROOT}kb`)).map((a) => [a.id, a]));
  const questions = [
    ...Retrieval.parse(JSON.parse(await readFile(`${ROOT}eval/tuning/retrieval.json`, 'utf8'))),
    ...Cases.parse(JSON.parse(await readFile(`${ROOT}eval/tuning/cases.json`, 'utf8')))
      .filter((c) => c.turns.length === 1 && (c.articles?.length ?? 0) > 0)
      .map((c) => ({ text: c.turns[0]!, articles: c.articles! })),
  ];
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
  const expansions = learnExpansions(examples);
  await writeFile(`${ROOT}src/ai/model/expansions.json`, `${JSON.stringify(expansions, null, 1)}\n`);
  console.log(`learned ${Object.keys(expansions).length} expansions from ${examples.length} questions`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
