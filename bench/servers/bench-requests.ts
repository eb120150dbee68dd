import { performance } from 'node:perf_hooks';
import { z } from 'zod';

/** What the bench asks a server process over IPC; `id` pairs the answer with its question. */
export const benchRequest = z.object({ id: z.number().int(), ask: z.enum(['heap', 'loop']) });
export type BenchRequest = z.infer<typeof benchRequest>;

/** Every answer names the question it answers. */
export const answerId = z.object({ id: z.number().int() });
export const heapAnswer = answerId.extend({ heapUsed: z.number(), collected: z.boolean() });
export const loopAnswer = answerId.extend({ loop: z.object({ active: z.number(), idle: z.number() }) });

/**
 * Answers the bench's requests over IPC:
 * - `heap`: the heap in use after a full collection (the server is started with --expose-gc), so memory
 *   per connection is measured, not garbage waiting for a GC;
 * - `loop`: the event loop's busy and idle time so far (performance.eventLoopUtilization), so a run can
 *   report how busy the server's loop was, a commit's wait for the disk included (better-sqlite3 waits
 *   on the loop).
 */
export function answerBenchRequests(): void {
  process.on('message', (message) => {
    const request = benchRequest.safeParse(message);
    if (!request.success) return;
    const { id, ask } = request.data;
    if (ask === 'heap') {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      process.send?.({ id, heapUsed: process.memoryUsage().heapUsed, collected: Boolean(gc) });
    } else {
      const { active, idle } = performance.eventLoopUtilization();
      process.send?.({ id, loop: { active, idle } });
    }
  });
  // The IPC channel must not keep a server alive once the bench lets go of it.
  process.channel?.unref();
}
