import pino from 'pino';
import { createOutboxRenderer } from '../../src/slack/outbox-renderer.js';
import { createOutboxWorker } from '../../src/slack/outbox-worker.js';
import { startSlackCallThread } from '../../src/slack/slack-call-thread.js';
import type { Db } from '../../src/storage/database.js';
import { DEFAULT_MASKED } from '../../src/privacy/sensitive-data.js';

/**
 * Baton's real outbox worker (scheduler, renderer, Web API client in its thread) against a Slack at `apiUrl`, for
 * items whose posting changes nothing in a conversation (channel notices): outcomes do nothing.
 * Shared by the lane tests and the relay bench.
 */
export function noticeOutbox(opts: { db: Db; apiUrl: string; botToken: string; concurrency?: number }) {
  const now = () => new Date();
  // Baton's own client: its calls made from their own thread.
  const client = startSlackCallThread({
    botToken: opts.botToken,
    apiUrl: opts.apiUrl,
    timeoutMs: 10_000,
    log: pino({ level: 'silent' }),
  });
  const worker = createOutboxWorker({
    db: opts.db,
    transact: (work) => opts.db.transaction().execute(work),
    client,
    log: pino({ level: 'silent' }),
    now,
    renderer: createOutboxRenderer({ db: opts.db, now, maskedKinds: async () => DEFAULT_MASKED }),
    outcomes: { delivered: async () => () => {}, failed: async () => () => {} },
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
  });
  return {
    worker,
    client,
    /** Stops the worker, then its client's thread. */
    async close() {
      await worker.stop();
      await client.close();
    },
    /** Kicks the worker and resolves once nothing is pending (or throws after `timeoutMs`). */
    async drain(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      worker.kick();
      while ((await worker.pending()) > 0) {
        if (Date.now() > deadline) throw new Error('outbox did not drain');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}
