import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AbuseTarget, eventLoopP99Ms, p99, processUse, sleep, startTarget } from './abuse-harness.js';
import { ATTACKS } from './attacks.js';

/**
 * The abuse suite (issue 11): each attack runs against a fresh Baton (its own process) for
 * ABUSE_SECONDS (5 in CI; 60 for the figure: `ABUSE_SECONDS=60 npx vitest run test/abuse`) at
 * the rate issue 11 measured, while fifteen honest customers keep chatting from their own addresses and
 * /healthz is probed. Bounded: a fixed time and rate per attack, loopback only.
 */
const SECONDS = Number(process.env.ABUSE_SECONDS ?? 5);
const HONEST = 15;
/** How often each honest customer writes (well inside the 60 a minute a conversation may send). */
const HONEST_EVERY_MS = 1500;
/**
 * Latency bounds. Issue 11's targets are 50 ms (event-loop p99) and 100 ms (honest ack p99); here the
 * attacker shares the machine's two cores with Baton, and the local assistant still answers on the
 * event loop (issue 12 moves it off), so CI gates on coarse tripwires that catch the seconds-long stalls
 * seen before, and the report prints each figure beside its target.
 * `ABUSE_LOOP_P99_MS=50 ABUSE_ACK_P99_MS=100` applies the targets themselves.
 */
const LOOP_P99_LIMIT_MS = Number(process.env.ABUSE_LOOP_P99_MS ?? 250);
const ACK_P99_LIMIT_MS = Number(process.env.ABUSE_ACK_P99_MS ?? 750);

interface Customer {
  id: string;
  token: string;
  address: string;
}
let target: AbuseTarget | undefined;
let idle: { rss: number; fds: number };
let honest: Customer[] = [];

/** One honest message; resolves with its status and how long the ack took. */
async function say(t: AbuseTarget, h: Customer, text: string) {
  const t0 = performance.now();
  const res = await fetch(`${t.url}/api/v1/conversations/${h.id}/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${h.token}`,
      'x-forwarded-for': h.address,
    },
    body: JSON.stringify({ text }),
  });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t0 };
}

// A fresh Baton for every attack: each is measured against its own idle, not what the one before left.
beforeEach(async () => {
  const t = await startTarget();
  target = t;
  honest = [];
  for (let i = 0; i < HONEST; i += 1) {
    const address = `198.51.100.${i + 1}`;
    const res = await fetch(`${t.url}/api/v1/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ customer: { name: `Honest ${i}` } }),
    });
    const body = (await res.json()) as { conversation: { id: string }; token: string };
    honest.push({ id: body.conversation.id, token: body.token, address });
  }
  // Warm up (the first requests load caches and JIT the hot paths), then measure idle.
  for (let round = 0; round < 3; round += 1) for (const h of honest) await say(t, h, `warm up ${round}`);
  await sleep(1000);
  idle = processUse(t.pid);
}, 60_000);

afterEach(async () => {
  await target?.stop();
  target = undefined;
});

describe.each(ATTACKS)('under attack: $name', (attack) => {
  it(
    `keeps memory, file handles, the event loop and honest customers within bounds for ${SECONDS} s`,
    async () => {
      const t = target!;
      const started = Date.now();
      const deadline = started + SECONDS * 1000;
      const over = () => Date.now() >= deadline;
      // Each loop of the attacker takes every concurrency-th slot of the attack's rate.
      const slotMs = attack.perSecond ? (1000 * attack.concurrency) / attack.perSecond : 0;
      let attempts = 0;
      const pacer = (w: number) => {
        let next = started + (w * slotMs) / attack.concurrency;
        return async () => {
          attempts += 1;
          next += slotMs;
          const wait = next - Date.now();
          if (wait > 0) await sleep(wait);
        };
      };
      const held: (() => void)[] = [];
      const failures: unknown[] = [];
      const logBefore = fs.statSync(t.logPath).size;
      await eventLoopP99Ms(t); // resets the event-loop histogram: the next scrape covers the attack only
      const attackers = Array.from({ length: attack.concurrency }, (_, w) =>
        attack
          .run({ url: t.url, over, pace: pacer(w), hold: (close) => held.push(close) }, w)
          .catch((error: unknown) => failures.push(error)),
      );
      // Honest customers, from a process of their own (see honest-customers.ts), until the attack ends.
      const honestRun = new Promise<{ startedAt: number; acks: { status: number; ms: number }[] }>(
        (resolve, reject) => {
          const args = [
            '--import',
            'tsx',
            'test/abuse/honest-customers.ts',
            t.url,
            String(deadline),
            String(HONEST_EVERY_MS),
          ];
          const child = spawn(process.execPath, [...args, JSON.stringify(honest)], {
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          let err = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (err += d.toString()));
          child.on('error', reject);
          child.on('close', (code) =>
            code === 0
              ? resolve(JSON.parse(out) as { startedAt: number; acks: { status: number; ms: number }[] })
              : reject(new Error(`honest customers failed (${code}): ${err.slice(0, 500)}`)),
          );
        },
      );
      const health: number[] = [];
      let peak = { rss: 0, fds: 0 };
      const watch = (async () => {
        while (!over()) {
          const use = processUse(t.pid);
          peak = { rss: Math.max(peak.rss, use.rss), fds: Math.max(peak.fds, use.fds) };
          const res = await fetch(`${t.url}/healthz`, { signal: AbortSignal.timeout(2000) }).catch(
            () => undefined,
          );
          health.push(res?.status ?? 0);
          await sleep(250);
        }
      })();
      const [{ startedAt, acks }] = await Promise.all([honestRun, ...attackers, watch]);
      // The time the honest customers had: their process may start late on a loaded machine.
      const honestMs = deadline - startedAt;
      const loopP99 = await eventLoopP99Ms(t);
      for (const close of held) close();
      const logGrowth = fs.statSync(t.logPath).size - logBefore;

      const report = {
        attack: attack.name,
        attempts,
        streamsHeld: held.length,
        rssMB: [idle.rss, peak.rss].map((b) => Math.round(b / 2 ** 20)),
        fds: [idle.fds, peak.fds],
        eventLoopP99Ms: Math.round(loopP99),
        eventLoopTargetMet: loopP99 <= 50,
        honestAckP99Ms: Math.round(p99(acks.map((a) => a.ms))),
        honestAckTargetMet: p99(acks.map((a) => a.ms)) <= 100,
        honestAcks: acks.length,
        logKB: Math.round(logGrowth / 1024),
      };
      console.log(JSON.stringify(report));
      // The attack really ran, at (nearly) its rate.
      expect(failures).toEqual([]);
      // (At least a quarter of the rate: the attacker shares two cores with Baton and the honest customers.)
      expect(attempts).toBeGreaterThan((attack.perSecond ?? 100) * SECONDS * 0.25);
      expect(
        acks.filter((a) => a.status !== 201).map((a) => a.status),
        'every honest message accepted',
      ).toEqual([]);
      // Everyone got a word in: nine in ten of the messages they had time for (each customer's first
      // waits up to one interval), counted from when their process was up, not from when it was asked for.
      expect(honestMs, 'the honest customers had more than one interval').toBeGreaterThan(HONEST_EVERY_MS);
      expect(acks.length).toBeGreaterThanOrEqual(
        Math.floor(((HONEST * (honestMs - HONEST_EVERY_MS)) / HONEST_EVERY_MS) * 0.9),
      );
      expect(
        health.every((s) => s === 200),
        '/healthz answered every probe',
      ).toBe(true);
      expect(peak.rss).toBeLessThanOrEqual(idle.rss * 1.5);
      // Streams are capped at 2,000 in total; each is one handle. Far from the 20,000 that ran out before.
      // (Held streams stay open until the attack ends, so more than the cap accepted would be a leak.)
      expect(peak.fds).toBeLessThanOrEqual(idle.fds + 2100);
      expect(held.length).toBeLessThanOrEqual(2000);
      expect(loopP99).toBeLessThanOrEqual(LOOP_P99_LIMIT_MS);
      expect(report.honestAckP99Ms).toBeLessThanOrEqual(ACK_P99_LIMIT_MS);
      // Logs stay small: never a line per refused request, never the request's own size.
      expect(logGrowth).toBeLessThan(2 ** 20);
    },
    (SECONDS + 30) * 1000,
  );
});
