import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/app/config.js';
import { startBaton } from '../src/app/create-app.js';
import { summarize } from './stats.js';

async function drive(
  url: (i: number) => string,
  init: (i: number) => RequestInit,
  total: number,
  concurrency: number,
) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        const res = await fetch(url(i), init(i));
        await res.arrayBuffer();
        if (res.status >= 300) throw new Error(`HTTP ${res.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: total / seconds, latency: summarize(latencies) };
}

/** A bare node:http server that parses and echoes JSON: the baseline the chat API is compared with. */
async function bareEcho() {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: JSON.parse(body) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(r)),
  };
}

/** T2-style: customer messages through the real chat API (validate, authenticate, commit to SQLite on disk, ack). */
export async function benchChatApi(total = 3000, concurrency = 50) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-bench-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOCAL_SLACK_PORT: '0',
    DATABASE_PATH: path.join(dir, 'bench.db'),
    LOG_LEVEL: 'silent',
  });
  const baton = await startBaton(config, {
    log: pino({ level: 'silent' }),
    // One load generator speaks for every customer from one address: the visitor limits do not apply here.
    limits: {
      conversationsPerMinute: 1e6,
      conversationsPerHour: 1e6,
      messagesPerMinute: 1e6,
      writesPerAddressPerMinute: 1e6,
      readsPerAddressPerMinute: 1e6,
    },
  });
  baton.slack.sandbox?.setRateLimits(false);
  const sessions = await Promise.all(
    Array.from({ length: 100 }, async () => {
      const res = await fetch(`${baton.url}/api/v1/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return (await res.json()) as { conversation: { id: string }; token: string };
    }),
  );
  const body = (i: number) =>
    JSON.stringify({ text: `Hello, question number ${i} about my order`, clientMessageId: `b-${i}` });
  const api = await drive(
    (i) => `${baton.url}/api/v1/conversations/${sessions[i % sessions.length]!.conversation.id}/messages`,
    (i) => ({
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${sessions[i % sessions.length]!.token}`,
      },
      body: body(i),
    }),
    total,
    concurrency,
  );
  await baton.stop();
  fs.rmSync(dir, { recursive: true, force: true });

  const echo = await bareEcho();
  const baseline = await drive(
    () => `${echo.url}/`,
    (i) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: body(i) }),
    total,
    concurrency,
  );
  await echo.close();
  return { api, baseline };
}
