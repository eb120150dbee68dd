import pg from 'pg';
import type { Logger } from 'pino';

/** What the instances of a fleet say to each other (PostgreSQL channels). */
export type FleetChannel = 'baton_live' | 'baton_work' | 'baton_settings';
const CHANNELS: readonly FleetChannel[] = ['baton_live', 'baton_work', 'baton_settings'];
const isChannel = (name: string): name is FleetChannel => (CHANNELS as readonly string[]).includes(name);

/**
 * One key for the whole fleet: the instance holding this advisory lock works the queues (outbox, inbox,
 * email) and runs the scheduled jobs. "baton" in ASCII.
 */
const WORKER_LOCK_KEY = 0x626174_6f6e;

export interface FleetEvents {
  /** This instance now holds the worker lock. */
  elected(): void;
  /** It lost it (its connection broke): stop working the queues; resolves once they have stopped. */
  deposed(): Promise<void>;
  /**
   * The link is listening: after a break (`again`), or for the first time. Either way notices sent
   * before were not heard here.
   */
  listening(again: boolean): void;
  notice(channel: FleetChannel, payload: string): void;
}

export interface FleetLink {
  /** Resolves after the first attempt at the worker lock (elected() has run if it was won). */
  start(events: FleetEvents): Promise<void>;
  /**
   * Sends a notice to every instance (this one included) over this link's connection, so one instance's
   * notices leave in order. While the link is down a notice is dropped: kicks and settings notices are
   * hints whose work is also found by a periodic pass or an expiry.
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
 * for) the worker lock. The lock is a session-level advisory lock, released the moment the holder's
 * session ends: a process killed with -9 frees it at once, and another instance's next check takes over.
 * A check that fails or takes longer than checkMs counts as a broken connection: the instance steps
 * down (and waits for its queues to stop) before it reconnects or tries for the lock again.
 */
export function createFleetLink(opts: FleetLinkOptions): FleetLink {
  const checkMs = opts.checkMs ?? 1_000;
  let client: pg.Client | undefined;
  let events: FleetEvents | undefined;
  let leading = false;
  let stepping: Promise<void> | undefined;
  let stopped = false;
  let everConnected = false;
  let timer: NodeJS.Timeout | undefined;

  function stepDown() {
    if (!leading) return;
    leading = false;
    stepping = (events?.deposed() ?? Promise.resolve()).finally(() => (stepping = undefined));
  }

  function drop(c: pg.Client) {
    if (client !== c) return;
    client = undefined;
    stepDown();
    void c.end().catch(() => undefined);
  }

  async function connect(): Promise<void> {
    const c = new pg.Client({
      connectionString: opts.url,
      application_name: `${opts.instanceId}-link`,
      // A connection that died without a word (a lost machine, a cut network) is noticed in seconds.
      keepAlive: true,
      keepAliveInitialDelayMillis: 5_000,
      query_timeout: checkMs * 3,
      connectionTimeoutMillis: checkMs * 3,
    });
    c.on('error', (error) => {
      opts.log.warn({ err: error }, 'fleet link lost its connection; reconnecting');
      drop(c);
    });
    c.on('end', () => drop(c));
    c.on('notification', (n) => {
      if (client === c && n.payload !== undefined && isChannel(n.channel))
        events?.notice(n.channel, n.payload);
    });
    try {
      await c.connect();
      for (const channel of CHANNELS) await c.query(`listen ${channel}`);
    } catch (error) {
      await c.end().catch(() => undefined);
      throw error;
    }
    if (stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    events?.listening(everConnected);
    everConnected = true;
  }

  async function check(): Promise<void> {
    if (stopped) return;
    // A set of queue workers still stopping after a break must be gone before this instance may win again.
    if (stepping) await stepping;
    const c = client;
    try {
      if (!c) return await connect();
      if (leading) {
        await c.query('select 1');
        return;
      }
      const { rows } = await c.query<{ won: boolean }>('select pg_try_advisory_lock($1) as won', [
        WORKER_LOCK_KEY,
      ]);
      if (!rows[0]?.won) return;
      if (stopped || client !== c) {
        // Won on a connection that is being given up: ending it releases the lock.
        await c.end().catch(() => undefined);
        return;
      }
      leading = true;
      opts.log.info({ instance: opts.instanceId }, 'this instance now works the queues and jobs');
      events?.elected();
    } catch (error) {
      opts.log.warn({ err: error }, 'fleet link check failed; reconnecting');
      if (c) drop(c);
    }
  }

  function loop() {
    if (stopped) return;
    timer = setTimeout(() => void check().finally(loop), checkMs);
    timer.unref();
  }

  return {
    async start(handlers) {
      events = handlers;
      await check();
      // Connected on the first try: try for the lock at once rather than a check later.
      if (client && !leading) await check();
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
      await stepping;
      // Ending the session releases the lock for the next instance at once.
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
