import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { z } from 'zod';
import { SANDBOX_HANDOFF_CHANNEL_ID } from '../src/sandbox/default-workspace.js';
import { startConversations } from './conversations.js';
import { cardsIn, checkRelayed, type RelayCheck } from './relay-check.js';
import { type OpenLoopRequest, openLoop } from './open-loop.js';
import {
  batonServerScript,
  loopBusyPercent,
  type ServerProcess,
  startServerProcess,
} from './server-process.js';

/**
 * Customer-message ingest (issue 12), measured from this process while each server runs in its own:
 * a bare HTTP echo, the same plus one SQLite insert per message (WAL, synchronous=FULL), and Baton's
 * chat API (validate, authenticate, commit, ack; the assistant answers in the background). Saturated
 * throughput first, then latency at fixed offered rates.
 */

interface Run {
  perSecond: number;
  /** Requests answered 2xx. */
  acknowledged: number;
  p50: number;
  p99: number;
  max: number;
  failures: number;
  serverCpuPercent: number;
  /** How busy the server's event loop was (its commits' waits for the disk included). */
  serverLoopPercent: number;
  generatorCpuPercent: number;
  /** Baton only: the CPU of the Slack stand-in (its own process, sharing the machine's two cores). */
  slackCpuPercent?: number;
  /** Baton only: what reached the Slack threads (every stored line, once, in stored order). */
  relay?: RelayCheck;
}

type Target = {
  server: ServerProcess;
  /** Baton's Slack stand-in, which the run keeps busy too: its CPU is reported beside the server's. */
  slackStandIn?: ServerProcess;
  request: () => OpenLoopRequest;
  checkRelayed?: (acknowledged: number) => Promise<RelayCheck>;
};

type Figures = Omit<
  Run,
  'serverCpuPercent' | 'serverLoopPercent' | 'generatorCpuPercent' | 'slackCpuPercent' | 'relay'
>;

/**
 * Runs `load` and adds what it cost: the CPU of the server, of this process (the generator) and of the
 * Slack stand-in (for Baton), and how busy the server's event loop was.
 */
async function measureRun(target: Target, load: (elapsedMs: () => number) => Promise<Figures>): Promise<Run> {
  const { server, slackStandIn } = target;
  const loop0 = await server.loopTime();
  const cpu0 = server.cpuMs();
  const slack0 = slackStandIn?.cpuMs();
  const own0 = process.cpuUsage();
  const started = performance.now();
  const elapsedMs = () => performance.now() - started;
  const figures = await load(elapsedMs);
  // Asked first, so the loop's window closes with the CPU readings' rather than an IPC round trip later.
  const loop1 = server.loopTime();
  const ms = elapsedMs();
  const own = process.cpuUsage(own0);
  const cpuMs = server.cpuMs() - cpu0;
  const slackMs = slackStandIn && slack0 !== undefined ? slackStandIn.cpuMs() - slack0 : undefined;
  return {
    ...figures,
    serverCpuPercent: (cpuMs / ms) * 100,
    serverLoopPercent: loopBusyPercent(loop0, await loop1),
    generatorCpuPercent: ((own.user + own.system) / 1000 / ms) * 100,
    ...(slackMs !== undefined ? { slackCpuPercent: (slackMs / ms) * 100 } : {}),
  };
}

/** Saturation: autocannon keeps `connections` requests in flight for `seconds`. */
export function saturate(target: Target, opts: { seconds: number; connections: number }): Promise<Run> {
  return measureRun(target, async (elapsedMs) => {
    const result = await autocannon({
      url: target.server.url,
      connections: opts.connections,
      duration: opts.seconds,
      requests: [{ setupRequest: () => target.request() }],
    });
    return {
      perSecond: result['2xx'] / (elapsedMs() / 1000),
      acknowledged: result['2xx'],
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      failures: result.non2xx + result.errors + result.timeouts,
    };
  });
}

/** A fixed offered rate (open loop), latency counted from when each request was due. */
function offer(target: Target, opts: { seconds: number; perSecond: number }): Promise<Run> {
  return measureRun(target, async () => {
    const result = await openLoop(target.server.url, () => target.request(), opts);
    return {
      perSecond: result.achieved,
      acknowledged: result.acknowledged,
      ...result.latency,
      failures: result.failures,
    };
  });
}

/** Adds what reached Slack, for targets that relay there (Baton). */
async function withRelayCheck(target: Target, run: Run): Promise<Run> {
  return target.checkRelayed ? { ...run, relay: await target.checkRelayed(run.acknowledged) } : run;
}

const text = (i: number) => `Hello, question number ${i} about my order`;

const conversationStatus = z.object({ conversation: z.object({ status: z.string() }) });

/**
 * Baton with `conversations` conversations that have already handed off, their cards posted: every
 * measured message is then the same work (store, acknowledge, relay to its thread), at any rate and
 * for any run length, instead of a mix whose share of first messages (handoffs) shrinks as runs grow.
 */
export async function batonTarget(
  server: ServerProcess,
  conversations: number,
  slack: { apiUrl: string; token: string },
  dbPath: string,
  /** The stand-in's process, when the caller started it: its CPU is reported beside Baton's. */
  slackStandIn?: ServerProcess,
): Promise<Target> {
  const earlierCards = await cardsIn({ ...slack, channel: SANDBOX_HANDOFF_CHANNEL_ID });
  const sessions = await startConversations(server.url, conversations);
  const call = (s: { id: string; token: string }, method: 'GET' | 'POST', path: string, body?: object) =>
    fetch(`${server.url}/api/v1/conversations/${s.id}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  for (const s of sessions) await call(s, 'POST', '/messages', { text: 'I want to talk to a person' });
  for (const s of sessions) {
    for (let tries = 0; ; tries += 1) {
      const { conversation } = conversationStatus.parse(await (await call(s, 'GET', '/messages')).json());
      if (conversation.status !== 'bot') break;
      if (tries > 200) throw new Error(`conversation ${s.id} never handed off`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  // Let the cards go out before the clock starts (a fixed 5 s was not always enough: posting the last
  // cards overlapped the measured run), then the routing DMs that follow them.
  for (let waited = 0; ; waited += 250) {
    const cards = await cardsIn({ ...slack, channel: SANDBOX_HANDOFF_CHANNEL_ID });
    if (cards.size - earlierCards.size >= conversations) break;
    if (waited > 120_000)
      throw new Error(`only ${cards.size - earlierCards.size} of ${conversations} cards posted`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));
  let n = 0;
  return {
    server,
    ...(slackStandIn ? { slackStandIn } : {}),
    checkRelayed: (acknowledged) =>
      checkRelayed({
        ...slack,
        channel: SANDBOX_HANDOFF_CHANNEL_ID,
        acknowledged,
        timeoutMs: 180_000,
        skipCards: earlierCards,
        dbPath,
      }),
    request: () => {
      n += 1;
      const s = sessions[n % sessions.length]!;
      return {
        method: 'POST',
        path: `/api/v1/conversations/${s.id}/messages`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
        body: JSON.stringify({ text: text(n), clientMessageId: `bench-${n}` }),
      };
    },
  };
}

function bareTarget(server: ServerProcess): Target {
  let n = 0;
  return {
    server,
    request: () => {
      n += 1;
      return {
        method: 'POST',
        path: `/conversations/c${n % 500}/messages`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: text(n), clientMessageId: `bench-${n}` }),
      };
    },
  };
}

export async function benchIngest(opts: { seconds?: number; rates?: number[] } = {}) {
  const seconds = opts.seconds ?? 8;
  const rates = opts.rates ?? [100, 300, 1000];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-bench-ingest-'));
  // Slack in its own process, as in production: cards and relays cost Baton a call, not Slack's work.
  const botToken = 'xoxb-bench-ingest';
  const slack = await startServerProcess('bench/servers/slack.ts', [botToken, '0', '0']);
  const slackEnv = {
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: 'bench-signing-secret',
    SLACK_API_URL: z.object({ apiUrl: z.string() }).parse(JSON.parse(slack.url)).apiUrl,
    SLACK_HANDOFF_CHANNEL: SANDBOX_HANDOFF_CHANNEL_ID,
  };
  let files = 0;
  const fresh = (name: string) => path.join(dir, `${name}-${(files += 1)}.db`);
  const results: Record<string, { saturated: Run; rates: Record<number, Run> }> = {};
  const targets: [string, () => Promise<Target>][] = [
    ['bareHttp', async () => bareTarget(await startServerProcess('bench/servers/bare-http.ts'))],
    [
      'bareSqlite',
      async () => bareTarget(await startServerProcess('bench/servers/bare-http.ts', [fresh('bare')])),
    ],
    [
      'baton',
      async () => {
        const dbPath = fresh('baton');
        const server = await startServerProcess(batonServerScript(), [dbPath], slackEnv);
        return batonTarget(server, 500, { apiUrl: slackEnv.SLACK_API_URL, token: botToken }, dbPath, slack);
      },
    ],
  ];
  try {
    for (const [name, start] of targets) {
      // A fresh server and database per scenario: a backlog left by saturation (its outbox, its answers
      // still to post) must not colour the latency runs.
      const saturatedTarget = await start();
      const saturated = await withRelayCheck(
        saturatedTarget,
        await saturate(saturatedTarget, { seconds, connections: 50 }),
      );
      await saturatedTarget.server.stop();
      const byRate: Record<number, Run> = {};
      for (const rate of rates) {
        const target = await start();
        byRate[rate] = await withRelayCheck(target, await offer(target, { seconds, perSecond: rate }));
        await target.server.stop();
      }
      results[name] = { saturated, rates: byRate };
    }
  } finally {
    await slack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.env.BENCH_OUT ?? 'bench-ingest.json';
  const results = await benchIngest({ seconds: Number(process.env.BENCH_SECONDS ?? 8) });
  fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written to ${out}`);
}
