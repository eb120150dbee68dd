import { performance } from 'node:perf_hooks';

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
    if (message === 'heap') {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      process.send?.({ heapUsed: process.memoryUsage().heapUsed, collected: Boolean(gc) });
    } else if (message === 'loop') {
      const { active, idle } = performance.eventLoopUtilization();
      process.send?.({ loop: { active, idle } });
    }
  });
  // The IPC channel must not keep a server alive once the bench lets go of it.
  process.channel?.unref();
}
