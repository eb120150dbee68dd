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
 * Group commit. With synchronous=FULL every commit waits for the disk (about 0.5 ms here, on the event
 * loop, since better-sqlite3 is synchronous); customer messages that arrive together now share one. Units
 * queued in the same turn of the event loop run one after another in one transaction, each inside its
 * own savepoint: a unit that throws is rolled back alone and its caller gets the error, the others go on.
 * Every caller is answered only after the shared commit, so an acknowledgement still means "on disk";
 * if that commit fails, every unit in it fails. A unit sees the writes of the units before it, exactly as
 * if they had committed one by one in that order.
 */
export function createGroupCommit(db: Db, maxBatch = MAX_BATCH): Transact {
  let queue: Pending[] = [];
  let scheduled = false;

  async function runBatch(batch: Pending[]) {
    const answers: (() => void)[] = [];
    const failed = new Set<Pending>();
    const failAll = (error: unknown) => {
      for (const unit of batch) if (!failed.has(unit)) unit.fail(error);
    };
    let trx;
    try {
      trx = await db.startTransaction().execute();
    } catch (error) {
      return failAll(error);
    }
    try {
      for (const unit of batch) {
        const savepoint = await trx.savepoint('unit').execute();
        try {
          answers.push(await unit.run(savepoint));
        } catch (error) {
          failed.add(unit);
          unit.fail(error);
          await savepoint.rollbackToSavepoint('unit').execute();
        }
        await savepoint.releaseSavepoint('unit').execute();
      }
      await trx.commit().execute();
    } catch (error) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      return failAll(error);
    }
    for (const answer of answers) answer();
  }

  async function flush() {
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
      setImmediate(() => void flush());
    });
}
