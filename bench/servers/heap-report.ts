/**
 * Answers the bench's `heap` request over IPC with the heap in use after a full collection (the server
 * is started with --expose-gc), so memory per connection is measured, not garbage waiting for a GC.
 */
export function reportHeapOnRequest(): void {
  process.on('message', (message) => {
    if (message !== 'heap') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    process.send?.({ heapUsed: process.memoryUsage().heapUsed, collected: Boolean(gc) });
  });
  // The IPC channel must not keep a server alive once the bench lets go of it.
  process.channel?.unref();
}
