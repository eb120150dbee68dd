import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSlackSandbox } from '../../src/sandbox/create-sandbox.js';
import type { SlackSandbox } from '../../src/sandbox/types.js';
import { freePort } from '../support/free-port.js';

/**
 * Baton as its own process behind a (pretend) trusted proxy, so the load generator in this process can
 * speak for many addresses through X-Forwarded-For; plus what the abuse suite measures from outside:
 * resident memory and open file handles from /proc, event-loop delay from /metrics.
 */
export interface AbuseTarget {
  url: string;
  pid: number;
  metricsToken: string;
  logPath: string;
  sandbox: SlackSandbox;
  stop(): Promise<void>;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startTarget(): Promise<AbuseTarget> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-abuse-'));
  const botToken = `xoxb-abuse-${randomBytes(8).toString('hex')}`;
  const signingSecret = randomBytes(16).toString('hex');
  const metricsToken = randomBytes(16).toString('hex');
  const sandbox = await startSlackSandbox({
    port: 0,
    host: '127.0.0.1',
    botToken,
    signingSecret,
    rateLimits: false,
  });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  sandbox.setAppRequestUrl(`${url}/slack/events`);
  // Node grows its heap lazily up to a limit set by the machine's memory (about 4 GB here), so under a
  // flood RSS keeps garbage for a long while; docs/security.md advises a heap limit in production, and
  // the suite runs Baton with one (ABUSE_NODE_FLAGS overrides it; "" runs with Node's default).
  const flags = (process.env.ABUSE_NODE_FLAGS ?? '--max-old-space-size=256').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...flags, '--import', 'tsx', 'src/app/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: path.join(dir, 'baton.db'),
      KB_DIR: 'kb',
      LOG_LEVEL: 'info',
      TRUST_PROXY: 'true',
      METRICS_TOKEN: metricsToken,
      SLACK_BOT_TOKEN: botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: sandbox.apiUrl,
      SLACK_HANDOFF_CHANNEL: sandbox.handoffChannelId,
    },
    // The log is read by the test (its size under attack is one of the bounds).
    stdio: ['ignore', fs.openSync(path.join(dir, 'baton.log'), 'a'), 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  while (
    !(await fetch(`${url}/healthz`)
      .then((r) => r.ok)
      .catch(() => false))
  ) {
    if (Date.now() > deadline) throw new Error('Baton did not start');
    await sleep(100);
  }
  return {
    url,
    pid: child.pid!,
    metricsToken,
    logPath: path.join(dir, 'baton.log'),
    sandbox,
    async stop() {
      child.kill('SIGKILL');
      await sandbox.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resident memory (bytes) and open file handles of a process, read from /proc. */
export function processUse(pid: number): { rss: number; fds: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { rss: kb * 1024, fds: fs.readdirSync(`/proc/${pid}/fd`).length };
}

/** Event-loop delay p99 since the last scrape, in ms (prom-client resets its histogram on every scrape). */
export async function eventLoopP99Ms(target: AbuseTarget): Promise<number> {
  const res = await fetch(`${target.url}/metrics`, {
    headers: { authorization: `Bearer ${target.metricsToken}` },
  });
  const line = (await res.text()).split('\n').find((l) => l.startsWith('nodejs_eventloop_lag_p99_seconds '));
  return Number(line?.split(' ')[1] ?? Number.NaN) * 1000;
}

export function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? Number.NaN;
}
