import { Piscina } from 'piscina';
import type { Logger } from 'pino';
import type {
  Assistant,
  ConversationSummary,
  MessageAnalysis,
  TranscriptLine,
} from '../conversation/assistant.js';
import type { AssistantThreadData } from './assistant-thread.js';
import { threadModule } from '../lib/thread-module.js';

/**
 * The local assistant's CPU work (search, intents, answer extraction: 1–10 ms a message) moved off the
 * event loop into worker threads, so a burst of questions never delays acknowledgements or live streams.
 * Each thread holds its own copy of the knowledge base and watches the folder itself.
 *
 * A thread that fails (crashed, out of memory, could not start) must not cost a customer the answer:
 * its messages are answered by `fallback`, the same engine on the event loop, and the pool starts a new
 * thread. There is no time limit per message: a burst queues messages for seconds, and answering them
 * on the event loop instead would take the loop from acknowledgements exactly when it is busiest (and
 * aborting a running task kills its thread). The engine's work per message is bounded (bench: ≤ 50 ms
 * for 2,000-word messages), and a message never answered is answered at the next start.
 */
export interface PooledAssistant extends Assistant {
  close(): Promise<void>;
}

/** After a thread fails, messages are answered on the event loop for this long before the pool is tried again. */
const COOL_OFF_MS = 30_000;

export function createPooledAssistant(options: {
  threads: number;
  /** How far below the event loop the threads run (nice increment, 0-19): see ASSISTANT_NICE. */
  nice: number;
  thread: AssistantThreadData;
  fallback: Assistant;
  log: Logger;
}): PooledAssistant {
  const pool = new Piscina({
    ...threadModule(import.meta.url, './assistant-thread.js', './assistant-thread-source.mjs'),
    workerData: options.thread,
    minThreads: options.threads,
    maxThreads: options.threads,
    // Threads live as long as Baton: loading the knowledge base again is what a new thread costs.
    idleTimeout: Number.POSITIVE_INFINITY,
    // A thread's event loop must run between tasks: it watches the knowledge-base folder. (Piscina's
    // default parks an idle thread in Atomics.wait, where no file event or timer is ever seen.)
    atomics: 'disabled',
    // Below the event loop's priority: when the cores are busy (a reconnect storm after a restart, a
    // flood of messages) acknowledgements and live streams go first, and answers wait. On a host whose
    // other processes keep the cores busy, answers wait for them too: ASSISTANT_NICE=0 is the way out.
    niceIncrement: options.nice,
  });
  // Tasks in flight, so a thread that dies (or cannot start) sends them to the event loop at once.
  const inFlight = new Set<AbortController>();
  let coolUntil = 0;
  pool.on('error', (err: unknown) => {
    options.log.error({ err }, 'assistant thread failed');
    coolUntil = performance.now() + COOL_OFF_MS;
    for (const task of inFlight) task.abort(err);
  });

  async function run<T>(name: 'analyze' | 'summarize', input: unknown, inThread: () => Promise<T>) {
    // A pool that just failed is left alone for a while rather than handed every message to fail again.
    if (performance.now() < coolUntil) return inThread();
    const task = new AbortController();
    inFlight.add(task);
    try {
      // Typed by assistant-thread.ts's exports of the same name.
      const result: T = await pool.run(input, { name, signal: task.signal });
      return result;
    } catch (err) {
      options.log.warn({ err, task: name }, 'assistant thread failed; answered on the event loop');
      return inThread();
    } finally {
      inFlight.delete(task);
    }
  }

  return {
    analyze: (input: { history: TranscriptLine[]; message: string }) =>
      run<MessageAnalysis>('analyze', input, () => options.fallback.analyze(input)),
    summarize: (input: { history: TranscriptLine[] }) =>
      run<ConversationSummary>('summarize', input, () => options.fallback.summarize(input)),
    close: () => pool.destroy(),
  };
}
