/**
 * `npm run eval`: replays the labelled conversations of eval/cases.json against the real local
 * assistant and the real knowledge base in kb/, exactly as src/conversation/assistant-turn.ts does, and
 * reports per-trigger precision/recall, false handoffs, article hit rates and time per message.
 * Writes eval-results.json and exits non-zero when a target is missed.
 *
 *   npm run eval                # all cases
 *   npm run eval -- --verbose   # also print every case's verdict and top articles
 *   npm run eval -- --only id1,id2
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createKnowledgeBase } from '../src/ai/create-knowledge-base.js';
import { createLocalAssistant } from '../src/ai/local-assistant.js';
import type { Assistant, TranscriptLine } from '../src/conversation/assistant.js';
import { decideHandoff, DEFAULT_TRIGGER_SETTINGS, type TriggerSettings } from '../src/handoff/triggers.js';
import {
  type CaseResult,
  computeMetrics,
  formatReport,
  missedTargets,
  REASONS,
  type Verdict,
} from './metrics.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What the app shows when the assistant has no answer but did not hand off (assistant-turn.ts). */
const NO_ANSWER_REPLY = "I'm not sure about that one, so I'm getting a person to help.";

const EvalCase = z.object({
  id: z.string().min(1),
  category: z.string().min(1),
  turns: z.array(z.string()).min(1),
  expect: z.union([
    z.object({ handoff: z.literal(false) }),
    z.object({ handoff: z.literal(true), reason: z.enum(REASONS) }),
  ]),
  articles: z.array(z.string()).optional(),
  note: z.string().optional(),
});
export type EvalCase = z.infer<typeof EvalCase>;

export async function loadCases(file = `${ROOT}eval/cases.json`): Promise<EvalCase[]> {
  const cases = z.array(EvalCase).parse(JSON.parse(await readFile(file, 'utf8')));
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
    seen.add(c.id);
  }
  return cases;
}

/**
 * One case, turn by turn: history holds the earlier customer turns and the assistant's replies; the
 * first turn that hands off decides the case (the app stops answering then).
 */
export async function replayCase(
  assistant: Assistant,
  c: EvalCase,
  settings: TriggerSettings = DEFAULT_TRIGGER_SETTINGS,
): Promise<CaseResult> {
  const history: TranscriptLine[] = [];
  const messageMs: number[] = [];
  let got: Verdict = { handoff: false };
  let articles: string[] = [];
  let decidedAtTurn = c.turns.length;
  for (const [index, message] of c.turns.entries()) {
    const start = performance.now();
    const analysis = await assistant.analyze({ history: [...history], message });
    messageMs.push(performance.now() - start);
    const customerTurns = history.filter((line) => line.author === 'customer').length + 1;
    const decision = decideHandoff({ message, analysis, customerTurns }, settings);
    articles = analysis.articles.map((article) => article.id);
    if (decision.handoff) {
      got = { handoff: true, reason: decision.reason, detail: decision.detail };
      decidedAtTurn = index + 1;
      break;
    }
    got = { handoff: false };
    history.push({ author: 'customer', text: message });
    history.push({ author: 'bot', text: analysis.reply ?? NO_ANSWER_REPLY });
  }
  return {
    id: c.id,
    category: c.category,
    expect: c.expect,
    got,
    decidedAtTurn,
    turns: c.turns.length,
    ...(c.articles ? { expectedArticles: c.articles } : {}),
    articles,
    messageMs,
    ...(c.note ? { note: c.note } : {}),
  };
}

async function main(argv: string[]) {
  const verbose = argv.includes('--verbose');
  const onlyArg = argv[argv.indexOf('--only') + 1];
  const only = argv.includes('--only') && onlyArg ? new Set(onlyArg.split(',')) : undefined;

  const kb = await createKnowledgeBase(`${ROOT}kb`);
  const ids = new Set(kb.articles().map((article) => article.id));
  const assistant = createLocalAssistant({ kb });
  const cases = (await loadCases()).filter((c) => !only || only.has(c.id));
  for (const c of cases)
    for (const id of c.articles ?? [])
      if (!ids.has(id)) throw new Error(`case ${c.id} expects unknown article "${id}"`);

  // Warm up (JIT, lazy regexes) so the first case's timing is not an outlier.
  for (let i = 0; i < 20; i += 1)
    await assistant.analyze({ history: [], message: 'how long does shipping take' });

  const results: CaseResult[] = [];
  for (const c of cases) results.push(await replayCase(assistant, c));
  const metrics = computeMetrics(results);

  if (verbose) {
    for (const r of results)
      console.log(
        `${r.id.padEnd(28)} ${r.got.handoff ? `handoff:${r.got.reason}` : 'no handoff'}${
          r.decidedAtTurn < r.turns ? ` (turn ${r.decidedAtTurn}/${r.turns})` : ''
        }  [${r.articles.join(', ')}]`,
      );
    console.log('');
  }
  console.log(formatReport(metrics));

  const missed = missedTargets(metrics);
  await writeFile(
    `${ROOT}eval-results.json`,
    `${JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        settings: 'DEFAULT_TRIGGER_SETTINGS',
        metrics,
        missedTargets: missed,
        cases: results.map(({ messageMs, ...rest }) => ({
          ...rest,
          messageMs: messageMs.map((ms) => Math.round(ms * 1000) / 1000),
        })),
      },
      null,
      2,
    )}\n`,
  );
  console.log('\nwrote eval-results.json');
  if (missed.length > 0) {
    console.error(`\n${missed.length} target(s) missed: ${missed.map((t) => t.name).join('; ')}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 2;
  });
}
