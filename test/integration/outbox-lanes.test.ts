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
  const { worker, drain } = noticeOutbox({
    db: storage.db,
    apiUrl: sandbox.apiUrl,
    botToken,
    concurrency: 1,
  });
  cleanups.push(() => worker.stop());
  return { sandbox, storage, drain };
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
});
