import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { migrateToLatest, openDatabase } from '../src/storage/database.js';
import { enqueueOutbox } from '../src/storage/outbox-repository.js';
import { noticeOutbox } from '../test/support/notice-outbox.js';
import { countArrivals } from './relay-check.js';
import { startServerProcess } from './server-process.js';

/**
 * Relay capacity (issue 12): Baton's Slack outbox, with its real renderer, client and SQLite queue on
 * disk, delivers a backlog of posts to a Slack stand-in in another process that answers every post after
 * 0 or 100 ms, into 1 or 50 channels. Reports posts per second, and checks that every post arrived once
 * and in order within its channel.
 */
const standIn = z.object({ apiUrl: z.string(), channels: z.array(z.string()) });

export async function benchSlackRelay(opts: { latencyMs: number; channels: number; posts: number }) {
  const token = 'xoxb-bench-relay';
  const slack = await startServerProcess('bench/servers/slack.ts', [
    token,
    String(opts.latencyMs),
    String(opts.channels),
  ]);
  const { apiUrl, channels } = standIn.parse(JSON.parse(slack.url));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-bench-relay-'));
  const storage = openDatabase(path.join(dir, 'relay.db'));
  await migrateToLatest(storage.db);
  const nowIso = new Date().toISOString();
  for (let i = 0; i < opts.posts; i += 1) {
    const channel = channels[i % channels.length]!;
    await enqueueOutbox(storage.db, { kind: 'channel_notice', channel, text: `post ${i}` }, nowIso);
  }
  const { drain, close, client: outboxClient } = noticeOutbox({ db: storage.db, apiUrl, botToken: token });
  // The client's thread up (it loads its modules first; calls go from the event loop until then): the
  // drain is timed, and made from the thread as Baton's would be, not the start.
  if (!(await outboxClient.ready)) throw new Error('the Slack call thread did not start');
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await drain(300_000);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await close();

  // Every post once, in order, in its channel.
  const client = new WebClient(token, { slackApiUrl: apiUrl });
  let delivered = 0;
  let outOfOrder = 0;
  let doubled = 0;
  for (const channel of channels) {
    const history = await client.conversations.history({ channel, limit: 999 });
    const numbers = (history.messages ?? [])
      .map((m) => Number(/post (\d+)/.exec(m.text ?? '')?.[1]))
      .reverse();
    const counted = countArrivals(numbers);
    delivered += numbers.length;
    doubled += counted.doubled;
    outOfOrder += counted.outOfOrder;
  }
  await storage.close();
  await slack.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    ...opts,
    postsPerSecond: opts.posts / seconds,
    workerCpuPercent: ((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100,
    delivered,
    doubled,
    outOfOrder,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const latencyMs of [0, 100])
    for (const channels of [1, 50])
      console.log(await benchSlackRelay({ latencyMs, channels, posts: channels === 1 ? 100 : 1000 }));
}
