import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinFleet } from '../../src/app/fleet-membership.js';
import { openPostgres } from '../../src/storage/postgres.js';
import { createLiveHub } from '../../src/webchat/live-hub.js';
import { type ScratchDatabase, scratchDatabase, testPostgresServer } from '../support/postgres-database.js';
import { until } from '../support/until.js';

/**
 * A fleet instance hears of changes through its link's LISTEN. Notices sent while the link is not
 * listening (before it first connects: the server takes requests before it joins; or while it is broken)
 * are never heard, so the streams open then must end and resume, and a stream whose conversation was read
 * before the link listened must read it again (the hub's change count moves).
 */
let database: ScratchDatabase | undefined;
beforeAll(async () => {
  const server = testPostgresServer();
  if (!server) throw new Error('the fleet tests run under npm run test:postgres');
  database = await scratchDatabase(server);
});
afterAll(async () => {
  await database?.drop();
});

describe('the fleet link starting to listen', () => {
  it('ends the streams already open and counts a change, the first time and after a break', async () => {
    const storage = openPostgres(database!.url);
    const hub = createLiveHub();
    let ended = 0;
    const openStream = () => hub.onShutdown(() => (ended += 1));
    openStream();
    const before = hub.changes();
    const instanceId = `listen-test-${process.pid}`;
    const fleet = joinFleet({
      url: database!.url,
      instanceId,
      db: storage.db,
      hub,
      log: pino({ level: 'silent' }),
      dropSettings: () => {},
      onKick: () => {},
    });
    try {
      await fleet.start({ elected: () => {}, deposed: async () => {} });
      expect(ended).toBe(1);
      expect(hub.changes()).toBe(before + 1);

      // A stream opened while the link listens, then the link's connection is cut.
      openStream();
      const admin = new pg.Client({ connectionString: database!.url });
      await admin.connect();
      try {
        await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
          [`${instanceId}-link`],
        );
      } finally {
        await admin.end();
      }
      await until(async () => ended === 2, 15_000);
      expect(hub.changes()).toBe(before + 2);
    } finally {
      await fleet.stop();
      await storage.close();
    }
  });
});
