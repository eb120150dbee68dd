/**
 * `npx tsx scripts/measure-retrieval.ts`: retrieval on the tuning questions (eval/tuning/retrieval.json):
 * how often an answerable question gets an answer and the right article, how often an unanswerable one
 * is answered anyway, and how honest the confidence is. Tuning data only; never the held-out sets.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createKnowledgeBase } from '../src/ai/create-knowledge-base.js';
import { expectedCalibrationError } from '../src/ai/intent-model.js';
import { createLocalAssistant, REPLY_THRESHOLD } from '../src/ai/local-assistant.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const Questions = z.array(
  z.object({ text: z.string(), articles: z.array(z.string()), register: z.string() }),
);

async function main() {
  const questions = Questions.parse(JSON.parse(await readFile(`${ROOT}eval/tuning/retrieval.json`, 'utf8')));
  const assistant = createLocalAssistant({ kb: await createKnowledgeBase(`${ROOT}kb`) });
  let answerable = 0,
    answered = 0,
    top3 = 0,
    top1 = 0,
    unanswerable = 0,
    wronglyAnswered = 0;
  const calibration: { confidence: number; correct: boolean }[] = [];
  const misses: string[] = [];
  for (const q of questions) {
    const a = await assistant.analyze({ history: [], message: q.text });
    const ids = a.articles.map((x) => x.id);
    const ok = a.reply !== null && a.confidence >= REPLY_THRESHOLD;
    if (q.articles.length === 0) {
      unanswerable += 1;
      if (ok) {
        wronglyAnswered += 1;
        misses.push(`UNANS answered (${a.confidence}) ${ids[0]}: ${q.text}`);
      }
      calibration.push({ confidence: a.confidence, correct: false });
      continue;
    }
    answerable += 1;
    if (ok) answered += 1;
    else misses.push(`NOANS (${a.confidence}) want ${q.articles.join('|')}: ${q.text}`);
    if (ids.slice(0, 3).some((id) => q.articles.includes(id))) top3 += 1;
    else if (ok) misses.push(`WRONG want ${q.articles.join('|')} got ${ids.join(',')}: ${q.text}`);
    if (q.articles.includes(ids[0] ?? '')) top1 += 1;
    calibration.push({ confidence: a.confidence, correct: q.articles.includes(ids[0] ?? '') });
  }
  if (process.argv.includes('--misses')) console.log(misses.join('\n'));
  const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)}%`;
  console.log(
    `answerable ${answerable}: answered ${pct(answered, answerable)}, top-1 ${pct(top1, answerable)}, top-3 ${pct(top3, answerable)}`,
  );
  console.log(`unanswerable ${unanswerable}: answered anyway ${pct(wronglyAnswered, unanswerable)}`);
  console.log(`confidence calibration error ${expectedCalibrationError(calibration).toFixed(3)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
