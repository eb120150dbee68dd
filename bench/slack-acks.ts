import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSlackSandbox } from '../src/sandbox/create-sandbox.js';
import { SANDBOX_AGENT_DANA as DANA } from '../src/sandbox/default-workspace.js';
import type { MethodFault } from '../src/sandbox/method-faults.js';
import { signSlackRequest } from '../src/sandbox/signing.js';
import { openLoop } from './open-loop.js';
import { startServerProcess } from './server-process.js';
import { freePort } from '../test/support/free-port.js';

/**
 * Slack acknowledgements under bad Slack weather (issue 10): Baton runs as its own process against the
 * local workspace; this process sends signed thread-reply events at a fixed rate straight to
 * /slack/events and times each acknowledgement, while every Slack method is slow (5 s) or answers 429.
 * The baseline is a bare durable receiver (verify, one SQLite insert, 200) in its own process, driven
 * the same way in the same run.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(probe: () => Promise<boolean>, ms: number) {
  const deadline = Date.now() + ms;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

/** Sends `total` signed events at `perSecond` (open loop: a slow ack does not slow the sender). */
async function drive(
  url: string,
  secret: string,
  event: (i: number) => object,
  total: number,
  perSecond: number,
) {
  const { origin, pathname } = new URL(url);
  const result = await openLoop(
    origin,
    (i) => {
      const body = JSON.stringify(event(i));
      const { signature, timestamp } = signSlackRequest(secret, body, Math.floor(Date.now() / 1000));
      return {
        method: 'POST',
        path: pathname,
        headers: {
          'content-type': 'application/json',
          'x-slack-signature': signature,
          'x-slack-request-timestamp': timestamp,
        },
        body,
      };
    },
    { perSecond, seconds: total / perSecond },
  );
  return { ...result.latency, failures: result.failures };
}

export async function benchSlackAcks(total = 1000, perSecond = 100) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-bench-acks-'));
  const botToken = `xoxb-bench-${randomBytes(8).toString('hex')}`;
  const secret = randomBytes(16).toString('hex');
  const sandbox = await startSlackSandbox({
    port: 0,
    host: '127.0.0.1',
    botToken,
    signingSecret: secret,
    rateLimits: false,
  });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  sandbox.setAppRequestUrl(`${url}/slack/events`);
  const children: ChildProcess[] = [];
  try {
    // Started as deployed (node dist/src/app/main.js) when the bench runs on the build (bench/run.ts).
    const main = process.env.BENCH_BATON_BUILD
      ? ['dist/src/app/main.js']
      : ['--import', 'tsx', 'src/app/main.ts'];
    const baton = spawn(process.execPath, main, {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_PATH: path.join(dir, 'baton.db'),
        KB_DIR: 'kb',
        LOG_LEVEL: 'silent',
        SLACK_BOT_TOKEN: botToken,
        SLACK_SIGNING_SECRET: secret,
        SLACK_API_URL: sandbox.apiUrl,
        SLACK_HANDOFF_CHANNEL: sandbox.handoffChannelId,
      },
      stdio: 'ignore',
    });
    children.push(baton);
    await until(async () => (await fetch(`${url}/healthz`)).ok, 30_000);

    // One claimed handoff whose thread the agent keeps replying in.
    const start = (await (
      await fetch(`${url}/api/v1/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customer: { name: 'Bench' } }),
      })
    ).json()) as { conversation: { id: string }; token: string };
    await fetch(`${url}/api/v1/conversations/${start.conversation.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${start.token}` },
      body: JSON.stringify({ text: 'I want to talk to a person' }),
    });
    const card = await sandbox.waitFor(
      () =>
        sandbox
          .readChannel(sandbox.handoffChannelId)
          .find((m) => JSON.stringify(m.blocks ?? []).includes('baton_claim')),
      20_000,
    );
    await sandbox.clickButton(DANA, sandbox.handoffChannelId, card.ts, 'baton_claim');

    const epoch = Math.floor(Date.now() / 1000);
    const event = (tag: string) => (i: number) => {
      const ts = `${epoch}.${String(i).padStart(6, '0')}`;
      return {
        token: 'unused',
        team_id: sandbox.teamId,
        api_app_id: sandbox.appId,
        type: 'event_callback',
        event_id: `Ev${tag}${i}${randomBytes(4).toString('hex')}`.toUpperCase(),
        event_time: epoch,
        authorizations: [{ team_id: sandbox.teamId, user_id: sandbox.botUserId, is_bot: true }],
        event: {
          type: 'message',
          channel: sandbox.handoffChannelId,
          channel_type: 'channel',
          user: DANA,
          text: `bench reply ${tag} ${i}`,
          ts,
          event_ts: ts,
          thread_ts: card.ts,
          team: sandbox.teamId,
        },
      };
    };
    const weather: Record<string, MethodFault> = {
      slow: { kind: 'slow', ms: 5000 },
      ratelimited: { kind: 'ratelimited', retryAfterSeconds: 20 },
    };
    const baton5s: Record<string, Awaited<ReturnType<typeof drive>>> = {};
    for (const [name, fault] of Object.entries(weather)) {
      sandbox.setFault('*', fault);
      baton5s[name] = await drive(`${url}/slack/events`, secret, event(name), total, perSecond);
    }
    sandbox.clearFaults();

    const bare = await startServerProcess('bench/servers/bare-slack-receiver.ts', [
      secret,
      path.join(dir, 'bare.db'),
    ]);
    const baseline = await drive(bare.url, secret, event('bare'), total, perSecond).finally(() =>
      bare.stop(),
    );
    return { perSecond, total, baton: baton5s, baseline };
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await sandbox.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
