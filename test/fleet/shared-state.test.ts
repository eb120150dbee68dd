import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ADMIN_ALEX as ALEX } from '../../src/sandbox/default-workspace.js';
import { type Harness, slashCommand, startHarness } from '../integration/harness.js';
import { type ScratchDatabase, scratchDatabase, testPostgresServer } from '../support/postgres-database.js';
import { readStream } from '../support/sse-reader.js';
import { until } from '../support/until.js';

/**
 * Two Batons in this process on one PostgreSQL database: what one instance knows that another must see
 * at once, not after a cache expires (2 s) or never.
 */
let database: ScratchDatabase;
let a: Harness;
let b: Harness;
beforeAll(async () => {
  const server = testPostgresServer();
  if (!server) throw new Error('runs under npm run test:postgres');
  database = await scratchDatabase(server);
  a = await startHarness({ DATABASE_URL: database.url });
  b = await startHarness({ DATABASE_URL: database.url });
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await database?.drop();
});

describe('two instances on one PostgreSQL', () => {
  it('know a customer streams from the other instance (so a reply is not also emailed), and stop knowing when it closes', async () => {
    const s = await a.chat.start();
    expect(await b.baton.deps.live.watchedAnywhere(s.id)).toBe(false);
    const stream = await readStream(`${a.baton.url}/api/v1/conversations/${s.id}/stream`, s.token);
    await until(() => b.baton.deps.live.watchedAnywhere(s.id), 2_000);
    expect(b.baton.deps.live.isWatched(s.id)).toBe(false);
    stream.close();
    await until(async () => !(await b.baton.deps.live.watchedAnywhere(s.id)), 2_000);
  });

  it('store a message sent to both at once (the page resending it) once, and answer both with it', async () => {
    const s = await a.chat.start();
    for (let k = 0; k < 10; k += 1) {
      const [first, second] = await Promise.all([
        a.chat.send(s, `twice ${k}`, `resent-${k}`),
        b.chat.send(s, `twice ${k}`, `resent-${k}`),
      ]);
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.json.message.id).toBe(first.json.message.id);
    }
    await a.baton.settle();
    await b.baton.settle();
    const stored = (await a.chat.messages(s)).json.messages as { author: string; text: string }[];
    const lines = stored.filter((m) => m.author === 'customer').map((m) => m.text);
    expect(lines).toEqual(Array.from({ length: 10 }, (_, k) => `twice ${k}`));
  });

  it('drop their cached settings when an admin changes one on another instance', async () => {
    expect((await b.baton.deps.settings()).widget.title).toBeNull();
    const answer = await slashCommand(a.sandbox, ALEX, a.sandbox.handoffChannelId, 'widget title Fleet help');
    expect(answer.text).toContain('Done.');
    // Well inside the 2 s the cache would otherwise keep the old value.
    const started = performance.now();
    await until(async () => (await b.baton.deps.settings()).widget.title === 'Fleet help', 1_000);
    const took = performance.now() - started;
    expect(took).toBeLessThan(1_000);
  });
});
