import { sql } from 'kysely';
import type { Db } from './database.js';

/**
 * Runs a unit of work in a transaction that may be shared with others; resolves once it is durable. The
 * work must use only the `trx` it is given: calling `transact` (or the plain db) from inside it would wait
 * for a batch that cannot start until this one ends.
 */
export type Transact = <T>(work: (trx: Db) => Promise<T>) => Promise<T>;

interface Pending {
  /** Runs the work; the function it returns answers the caller (called once the commit is made). */
  run: (trx: Db) => Promise<() => void>;
  fail: (error: unknown) => void;
}

/** Past this many units one commit is made anyway, so a steady stream of work never waits long. */
const MAX_BATCH = 64;

/**
 * How a group's commit reaches the disk when it should not wait for it inside the commit (SQLite with
 * synchronous=FULL: the connection is switched to NORMAL around the group's transaction, so its commit
 * writes the log without flushing it, and `durable` flushes the log from the thread pool, wal-sync.ts).
 */
export interface DeferredFlush {
  /** Run on the held connection before the group's transaction begins, and after it ends. */
  beforeBegin: string;
  afterEnd: string;
  /** Resolves once everything committed so far is on the disk. */
  durable(): Promise<void>;
  /** Makes every later `durable` fail (the connection could not be put back: see wal-sync.ts). */
  poison(error: unknown): void;
}

export interface GroupCommitOptions {
  maxBatch?: number;
  /** What begins a transaction ('begin immediate' on SQLite: see database.ts). */
  begin?: string;
  flush?: DeferredFlush;
}

/**
 * Group commit. With synchronous=FULL every commit waits for the disk (about 0.5 ms here, on the event
 * loop, since better-sqlite3 is synchronous); customer messages that arrive together now share one. Units
 * queued in the same turn of the event loop run one after another in one transaction, each inside its
 * own savepoint: a unit that throws is rolled back alone and its caller gets the error, the others go on.
 * Every caller is answered only after the shared commit is on the disk, so an acknowledgement still means
 * "on disk"; if that commit fails, every unit in it fails. A unit sees the writes of the units before it,
 * exactly as if they had committed one by one in that order.
 *
 * The batch holds the one connection from its first statement to its last (kysely's `connection()`), so
 * nothing else can run between them, nor inherit a setting made for the batch alone.
 */
export function createGroupCommit(db: Db, opts: GroupCommitOptions = {}): Transact {
  const { maxBatch = MAX_BATCH, begin = 'begin', flush } = opts;
  let queue: Pending[] = [];
  let scheduled = false;

  async function runTransaction(conn: Db, batch: Pending[], failed: Set<Pending>) {
    const answers: (() => void)[] = [];
    await sql.raw(begin).execute(conn);
    try {
      for (const unit of batch) {
        await sql.raw('savepoint unit').execute(conn);
        try {
          answers.push(await unit.run(conn));
        } catch (error) {
          failed.add(unit);
          unit.fail(error);
          await sql.raw('rollback to unit').execute(conn);
        }
        await sql.raw('release unit').execute(conn);
      }
      await sql.raw('commit').execute(conn);
    } catch (error) {
      await sql
        .raw('rollback')
        .execute(conn)
        .catch(() => undefined);
      throw error;
    }
    return answers;
  }

  async function runBatch(batch: Pending[]) {
    const failed = new Set<Pending>();
    const failAll = (error: unknown) => {
      for (const unit of batch) if (!failed.has(unit)) unit.fail(error);
    };
    // Deferred only under load: a lone unit with nothing behind it commits and flushes inline, which
    // answers it sooner (its caller would otherwise wait for a flush already running, then its own);
    // when work piles up, the event loop is what is short, and the flush leaves it.
    const deferred = flush !== undefined && (batch.length > 1 || queue.length > 0) ? flush : undefined;
    let answers: (() => void)[];
    try {
      answers = await db.connection().execute(async (conn) => {
        if (!deferred) return runTransaction(conn, batch, failed);
        await sql.raw(deferred.beforeBegin).execute(conn);
        try {
          return await runTransaction(conn, batch, failed);
        } finally {
          // Never in place of the batch's own outcome: a connection that cannot be put back to waiting for
          // the disk poisons the flush (every later commit fails until a restart), and this batch with it.
          await sql
            .raw(deferred.afterEnd)
            .execute(conn)
            .catch((error: unknown) => deferred.poison(error));
        }
      });
    } catch (error) {
      return failAll(error);
    }
    // Committed: the next batch may start while this one's flush runs, and share the one after.
    if (deferred) void answerWhenDurable(deferred, answers, failAll);
    else for (const answer of answers) answer();
  }

  async function flushQueue() {
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(maxBatch);
        await runBatch(batch);
      }
    } finally {
      scheduled = false;
    }
  }

  return <T>(work: (trx: Db) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({
        run: async (trx) => {
          const value = await work(trx);
          return () => resolve(value);
        },
        fail: reject,
      });
      if (scheduled) return;
      scheduled = true;
      // setImmediate, not a microtask: requests whose bodies arrived in the same poll phase join in.
      setImmediate(() => void flushQueue());
    });
}

async function answerWhenDurable(
  flush: DeferredFlush,
  answers: (() => void)[],
  failAll: (e: unknown) => void,
) {
  try {
    await flush.durable();
  } catch (error) {
    // Committed but not known to be on the disk. The callers hear of a failure (the chat API answers 503)
    // and storage refuses every later commit until a restart (readiness reports it): see wal-sync.ts.
    return failAll(error);
  }
  for (const answer of answers) answer();
}
