import { Pool } from 'undici';
import { summarize } from './stats.js';

export interface OpenLoopRequest {
  method: 'POST' | 'GET';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Offers requests at a fixed rate whatever the server does (open loop): each request leaves when it is
 * due, not when the previous one came back, and its latency counts from when it was due, so a server
 * that falls behind shows it in full (no coordinated omission). autocannon's fixed-rate mode releases
 * its connections in bursts, which adds latency a real visitor stream does not have.
 */
export async function openLoop(
  origin: string,
  /** The i-th request, asked for when it leaves; `dueMs` (performance.now() time) is when it was due. */
  request: (i: number, dueMs: number) => OpenLoopRequest,
  opts: { perSecond: number; seconds: number; connections?: number },
) {
  const pool = new Pool(origin, { connections: opts.connections ?? 256, pipelining: 1 });
  const total = Math.round(opts.perSecond * opts.seconds);
  const latencies: number[] = [];
  let failures = 0;
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < total;) {
    const now = performance.now();
    // Everything due by now leaves now; timers are millisecond-coarse, so 1,000/s goes out in small groups.
    while (i < total && started + (i * 1000) / opts.perSecond <= now) {
      const due = started + (i * 1000) / opts.perSecond;
      const r = request(i, due);
      inFlight.push(
        pool
          .request({ origin, method: r.method, path: r.path, headers: r.headers, body: r.body })
          .then(async (res) => {
            await res.body.dump();
            if (res.statusCode >= 300) failures += 1;
            else latencies.push(performance.now() - due);
          })
          .catch(() => {
            failures += 1;
          }),
      );
      i += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return {
    offered: opts.perSecond,
    achieved: latencies.length / seconds,
    acknowledged: latencies.length,
    failures,
    latency: summarize(latencies),
  };
}
