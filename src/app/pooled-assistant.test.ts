import { readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKnowledgeBase } from '../ai/create-knowledge-base.js';
import { createLocalAssistant } from '../ai/local-assistant.js';
import type { Assistant } from '../conversation/assistant.js';
import { createPooledAssistant, type PooledAssistant } from './pooled-assistant.js';

/**
 * The assistant in worker threads (issue 12): real threads, the real engine. It must answer exactly as
 * the engine on the event loop does, follow edits of the knowledge base, and never cost a customer the
 * answer when a thread fails.
 */
const SAMPLE_KB = fileURLToPath(new URL('../../kb', import.meta.url));
let dir: string;
let pool: PooledAssistant | undefined;
const warnings: string[] = [];
const log = pino(
  { level: 'warn' },
  { write: (line: string) => void warnings.push(String(JSON.parse(line).msg)) },
);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baton-pool-kb-'));
  await cp(SAMPLE_KB, dir, { recursive: true });
  warnings.length = 0;
});
afterEach(async () => {
  await pool?.close();
  pool = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function inThread(): Promise<Assistant> {
  return createLocalAssistant({ kb: await createKnowledgeBase(dir) });
}

const QUESTIONS = [
  'Where is my order?',
  'I was charged twice for one order',
  'how do I reset my pasword',
  'I want to talk to a person, this is ridiculous',
  'quantum flux capacitor warranty',
];

/** One thread on the test's knowledge base; `logLevel` is handed to the thread. */
const startPool = (fallback: Assistant, logLevel = 'silent', nice = 10) =>
  (pool = createPooledAssistant({ threads: 1, nice, thread: { kbDir: dir, logLevel }, fallback, log }));

/** A thread's nice value: field 19 of its stat in /proc. */
function niceOf(statPath: string): number {
  const stat = readFileSync(statPath, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}
const threadNiceValues = () =>
  readdirSync('/proc/self/task').map((task) => niceOf(`/proc/self/task/${task}/stat`));

describe('the pooled assistant', () => {
  it('answers and summarizes exactly as the engine on the event loop', async () => {
    const local = await inThread();
    const pool = startPool(local);
    for (const message of QUESTIONS) {
      const history = [{ author: 'customer' as const, text: 'Hello' }];
      expect(await pool.analyze({ history, message })).toEqual(await local.analyze({ history, message }));
    }
    const history = QUESTIONS.map((text) => ({ author: 'customer' as const, text }));
    expect(await pool.summarize({ history })).toEqual(await local.summarize({ history }));
    expect(warnings).toEqual([]);
  });

  // Thread priorities are read from /proc: Linux only (where CI and the deployments run).
  it.runIf(process.platform === 'linux')(
    'runs its thread the given nice increment below the event loop',
    async () => {
      const own = niceOf('/proc/self/stat');
      const pool = startPool(await inThread(), 'silent', 7);
      await pool.analyze({ history: [], message: 'Where is my order?' });
      expect(threadNiceValues()).toContain(Math.min(19, own + 7));
      expect(niceOf('/proc/self/stat')).toBe(own);
    },
  );

  it('follows an article added while it runs', async () => {
    const pool = startPool(await inThread());
    const question = { history: [], message: 'Can I bring my llama to the Northwind store?' };
    const cites = async () => (await pool.analyze(question)).articles.some((a) => a.id === 'llamas');
    expect(await cites()).toBe(false);
    await writeFile(
      join(dir, 'llamas.md'),
      '---\ntitle: Bringing your llama to a Northwind store\n---\n# Bringing your llama to a Northwind store\n\nLlamas are welcome in every Northwind store when kept on a lead. Please bring your llama through the side entrance.\n',
    );
    const deadline = Date.now() + 10_000;
    while (!(await cites()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await cites()).toBe(true);
  });

  it('answers on the event loop when its thread cannot start, and says so', async () => {
    const local = await inThread();
    // pino refuses an unknown level, so the thread fails while it starts.
    const pool = startPool(local, 'no-such-level');
    const question = { history: [], message: 'Where is my order?' };
    expect(await pool.analyze(question)).toEqual(await local.analyze(question));
    expect(await pool.analyze(question)).toEqual(await local.analyze(question));
    expect(warnings).toContain('assistant thread failed; answered on the event loop');
  });
});
