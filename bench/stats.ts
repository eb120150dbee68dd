/** Small helpers shared by the benchmarks: percentiles over recorded samples and a timer. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(samplesMs: number[]) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** The middle round of a scenario run several times, by the figure that judges it (a ratio). */
export function medianRound<T>(rounds: readonly T[], figure: (round: T) => number): T {
  const sorted = [...rounds].sort((a, b) => figure(a) - figure(b));
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) throw new Error('no rounds to take the median of');
  return middle;
}

export function time<T>(fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const value = fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

export const fmt = (ms: number) => (ms < 0.1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);

/**
 * Runs `work` while a 1 ms timer watches the event loop: its result, how long it took and the longest
 * the loop was held (a server would answer nothing meanwhile).
 */
export async function withLoopWatch<T>(
  work: () => Promise<T>,
): Promise<{ value: T; ms: number; longestLoopBlockMs: number }> {
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  const value = await work();
  const ms = performance.now() - started;
  clearInterval(timer);
  return { value, ms, longestLoopBlockMs: Math.max(longest, performance.now() - last) };
}
