import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSandbox } from '../../src/sandbox/create-sandbox.js';
import { SANDBOX_AGENT_SAM } from '../../src/sandbox/default-workspace.js';
import { migrateToLatest, type OpenedDatabase, openDatabase } from '../../src/storage/database.js';
import { enqueueOutbox } from '../../src/storage/outbox-repository.js';
import { noticeOutbox } from '../support/notice-outbox.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The real outbox worker with one lane, against the local Slack workspace. */
async function oneLaneOutbox() {
  const botToken = 'xoxb-lanes-test';
  const sandbox = await startSlackSandbox({
    port: 0,
    host: '127.0.0.1',
    botToken,
    signingSecret: 'lanes-test-secret',
    rateLimits: false,
  });
  cleanups.push(() => sandbox.close());
  const storage: OpenedDatabase = openDatabase(':memory:');
  await migrateToLatest(storage.db);
  cleanups.push(() => storage.close());
  const { worker, drain, close } = noticeOutbox({
    db: storage.db,
    apiUrl: sandbox.apiUrl,
    botToken,
    concurrency: 1,
  });
  cleanups.push(close);
  return { sandbox, storage, drain, worker };
}

describe('outbox lanes', () => {
  it('share out: a busy channel gives its lane back after its turn, so a channel waiting behind it is served', async () => {
    const { sandbox, storage, drain } = await oneLaneOutbox();
    const at = new Date().toISOString();
    const channel = sandbox.handoffChannelId;
    for (let k = 0; k < 30; k += 1)
      await enqueueOutbox(storage.db, { kind: 'channel_notice', channel, text: `busy ${k}` }, at);
    await enqueueOutbox(
      storage.db,
      { kind: 'channel_notice', channel: SANDBOX_AGENT_SAM, text: 'waiting' },
      at,
    );
    await drain(5000);
    const posted = sandbox
      .calls()
      .filter((c) => c.method === 'chat.postMessage')
      .map((c) => String(c.args.text));
    // One turn of the busy channel, then the waiting one, then the rest, each once and in order.
    expect(posted.indexOf('waiting')).toBe(20);
    expect(posted.filter((t) => t !== 'waiting')).toEqual(Array.from({ length: 30 }, (_, k) => `busy ${k}`));
  });

  it('delivers every line once and in order when the kicks name a channel being worked', async () => {
    const { sandbox, storage, worker } = await oneLaneOutbox();
    const channel = sandbox.handoffChannelId;
    // Posts take a little while, so most kicks land while the channel's lane is working; the rest land
    // as it finishes or after it has gone, which is where a kick told only to the lane could be lost.
    sandbox.setFault('chat.postMessage', { kind: 'slow', ms: 3 });
    for (let k = 0; k < 60; k += 1) {
      await enqueueOutbox(
        storage.db,
        { kind: 'channel_notice', channel, text: `line ${k}` },
        new Date().toISOString(),
      );
      worker.kick([channel]);
      await new Promise((resolve) => setTimeout(resolve, k % 7));
    }
    // No plain kick: what the channel kicks set in motion must deliver everything by itself.
    const deadline = Date.now() + 10_000;
    while ((await worker.pending()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const posted = sandbox
      .calls()
      .filter((c) => c.method === 'chat.postMessage')
      .map((c) => String(c.args.text));
    expect(posted).toEqual(Array.from({ length: 60 }, (_, k) => `line ${k}`));
  });
});
