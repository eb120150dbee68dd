import http from 'node:http';
import { startConversations } from './conversations.js';
import { batonServerScript, type ServerProcess, startServerProcess } from './server-process.js';

/**
 * Idle live streams (issue 12): how much heap each open stream costs and how fast streams open, for
 * Baton's `/conversations/:id/stream` beside a bare server-sent-events server, each in its own process.
 * Streams are opened from this process, 100 at a time, and held without reading past the headers; each
 * server first opens and closes WARM_UP streams that are not counted.
 */
interface StreamTarget {
  server: ServerProcess;
  /** Path and headers of the i-th stream. */
  stream: (i: number) => { path: string; headers: Record<string, string> };
}

export function openStream(origin: string, path: string, headers: Record<string, string>) {
  return new Promise<http.ClientRequest>((resolve, reject) => {
    const req = http.get(`${origin}${path}`, { headers, agent: false }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`stream answered ${res.statusCode}`));
      else resolve(req);
    });
    req.on('error', reject);
  });
}

/**
 * Streams opened and closed before the measured ones, not counted: a server's first batch of opens is
 * slower (for both servers; most likely code the JIT has not compiled yet), and it was one of only 20. Opening right after a
 * start is what the reconnect storm measures. The warm-up's rate is reported beside the measured one.
 */
const WARM_UP = 100;
/** Heap is weighed every this many streams, for the memory-against-streams chart. */
const CURVE_STEP = 500;
const SETTLE_MS = 500;

/** Opens streams `from`..`to` (exclusive) at once and resolves with them once every one has its headers. */
async function openBatch(target: StreamTarget, from: number, to: number) {
  return Promise.all(
    Array.from({ length: to - from }, (_, k) => {
      const s = target.stream(from + k);
      return openStream(target.server.url, s.path, s.headers);
    }),
  );
}

export async function measure(target: StreamTarget, count: number) {
  const warmStarted = performance.now();
  const warm = await openBatch(target, 0, WARM_UP);
  const warmUpOpenPerSecond = WARM_UP / ((performance.now() - warmStarted) / 1000);
  for (const req of warm) req.destroy();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const before = await target.server.heapUsed();
  const held: http.ClientRequest[] = [];
  const curve = [{ streams: 0, heapBytes: 0 }];
  let openingMs = 0;
  for (let i = 0; i < count; i += 100) {
    const started = performance.now();
    held.push(...(await openBatch(target, WARM_UP + i, WARM_UP + Math.min(i + 100, count))));
    // Only opening counts towards the rate: the weighings in between (a full collection each) do not.
    openingMs += performance.now() - started;
    if (held.length % CURVE_STEP === 0 && held.length < count) {
      // Weighed as the last point is: after the work the opening started has settled.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      curve.push({ streams: held.length, heapBytes: (await target.server.heapUsed()) - before });
    }
  }
  const openPerSecond = count / (openingMs / 1000);
  // Let the servers finish what opening started (replays, first writes) before weighing them.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const after = await target.server.heapUsed();
  curve.push({ streams: count, heapBytes: after - before });
  for (const req of held) req.destroy();
  return { count, openPerSecond, warmUpOpenPerSecond, heapPerStreamBytes: (after - before) / count, curve };
}

export async function batonTarget(count: number): Promise<StreamTarget> {
  const server = await startServerProcess(
    batonServerScript(),
    [':memory:'],
    process.env.BENCH_NODE_ARGS ? { BENCH_NODE_ARGS: process.env.BENCH_NODE_ARGS } : {},
  );
  const sessions = await startConversations(server.url, count + WARM_UP);
  return {
    server,
    stream: (i) => ({
      path: `/api/v1/conversations/${sessions[i]!.id}/stream`,
      headers: { authorization: `Bearer ${sessions[i]!.token}` },
    }),
  };
}

export async function benchLiveStreams(count = 2000) {
  const bare = {
    server: await startServerProcess('bench/servers/bare-sse.ts'),
    stream: () => ({ path: '/', headers: {} }),
  };
  const bareResult = await measure(bare, count);
  await bare.server.stop();
  const baton = await batonTarget(count);
  const batonResult = await measure(baton, count);
  await baton.server.stop();
  return { bare: bareResult, baton: batonResult };
}

if (import.meta.url === `file://${process.argv[1]}`)
  console.log(await benchLiveStreams(Number(process.env.STREAMS ?? 2000)));
