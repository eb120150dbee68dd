import pg from 'pg';
import type { Logger } from 'pino';

/** What the instances of a fleet say to each other (PostgreSQL channels). */
export type FleetChannel = 'baton_live' | 'baton_work' | 'baton_settings';
const CHANNELS: readonly FleetChannel[] = ['baton_live', 'baton_work', 'baton_settings'];

/**
 * One key for the whole fleet: the instance holding this advisory lock works the queues (outbox, inbox,
 * email) and runs the scheduled jobs. "baton" in ASCII.
 */
const WORKER_LOCK_KEY = 0x626174_6f6e;

export interface FleetEvents {
  /** This instance now holds the worker lock. */
  elected(): void;
  /** It lost it (its connection to PostgreSQL broke): stop working the queues at once. */
  deposed(): void;
  notice(channel: FleetChannel, payload: string): void;
}

export interface FleetLink {
  readonly instanceId: string;
  /** Resolves after the first attempt at the worker lock (elected() has run if it was won). */
  start(events: FleetEvents): Promise<void>;
  /**
   * Sends a notice to every instance (this one included) over this link's connection, so one instance's
   * notices leave in order. While the link is down a notice is dropped: every notice is a hint
   * (kick a worker, drop a cache) whose work is also found by a periodic pass or an expiry.
   */
  notify(channel: FleetChannel, payload: string): void;
  stop(): Promise<void>;
}

export interface FleetLinkOptions {
  url: string;
  instanceId: string;
  log: Logger;
  /** How often a follower tries for the lock and the worker checks that its connection still holds it. */
  checkMs?: number;
}

/**
 * An instance's standing connection to PostgreSQL: LISTENs for the fleet's notices and holds (or waits
 * for) the worker lock. The lock is a session-level advisory lock, so it is released the moment the
 * holder's connection ends: a process killed with -9 frees it at once, and the next check of another
 * instance takes over. If this connection breaks, the instance steps down before it reconnects, so two
 * instances never work the queues as holders at once for longer than one check.
 */
export function createFleetLink(opts: FleetLinkOptions): FleetLink {
  const checkMs = opts.checkMs ?? 1_000;
  let client: pg.Client | undefined;
  let events: FleetEvents | undefined;
  let leading = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  function stepDown() {
    if (!leading) return;
    leading = false;
    events?.deposed();
  }

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: opts.url, application_name: `${opts.instanceId}-link` });
    c.on('error', (error) => {
      opts.log.warn({ err: error }, 'fleet link lost its connection; reconnecting');
      if (client === c) client = undefined;
      stepDown();
    });
    c.on('notification', (n) => {
      if (n.payload !== undefined && (CHANNELS as readonly string[]).includes(n.channel))
        events?.notice(n.channel as FleetChannel, n.payload);
    });
    c.on('end', () => {
      if (client === c) client = undefined;
      stepDown();
    });
    await c.connect();
    for (const channel of CHANNELS) await c.query(`listen ${channel}`);
    client = c;
  }

  async function check(): Promise<void> {
    if (stopped) return;
    try {
      if (!client) await connect();
      const c = client!;
      if (leading) {
        await c.query('select 1');
      } else {
        const { rows } = await c.query<{ won: boolean }>('select pg_try_advisory_lock($1) as won', [
          WORKER_LOCK_KEY,
        ]);
        if (rows[0]?.won && !stopped) {
          leading = true;
          opts.log.info({ instance: opts.instanceId }, 'this instance now works the queues and jobs');
          events?.elected();
        }
      }
    } catch (error) {
      opts.log.warn({ err: error }, 'fleet link check failed; retrying');
      const broken = client;
      client = undefined;
      stepDown();
      await broken?.end().catch(() => undefined);
    }
  }

  function loop() {
    if (stopped) return;
    timer = setTimeout(() => void check().finally(loop), checkMs);
    timer.unref();
  }

  return {
    instanceId: opts.instanceId,
    async start(handlers) {
      events = handlers;
      await check();
      loop();
    },
    notify(channel, payload) {
      client
        ?.query('select pg_notify($1, $2)', [channel, payload])
        .catch((error: unknown) => opts.log.warn({ err: error, channel }, 'could not notify the fleet'));
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      stepDown();
      // Ending the session releases the lock for the next instance at once.
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
