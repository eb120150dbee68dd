import fs from 'node:fs/promises';

/** What a file handle is asked to do: flush its data to the disk (fdatasync), tell its inode, close. */
/** The code of the error every group commit gets once the log could not be flushed (see `poison`). */
export const WAL_FLUSH_FAILED = 'WAL_FLUSH_FAILED';

export interface SyncableFile {
  datasync(): Promise<void>;
  stat(): Promise<{ ino: number }>;
  close(): Promise<void>;
}

export interface FileSystemForSync {
  open(path: string): Promise<SyncableFile>;
  /** The inode now at `path` (SQLite may have made a new write-ahead log since the handle was opened). */
  inodeAt(path: string): Promise<number>;
}

const realFileSystem: FileSystemForSync = {
  open: (path) => fs.open(path, 'r'),
  inodeAt: async (path) => (await fs.stat(path)).ino,
};

export interface WalSync {
  /**
   * Resolves once everything committed before the call is on the disk: a flush that was already running
   * when it was called may have missed it, so it then waits for the next one. Calls made while a flush
   * runs share the next one (one flush for every commit made meanwhile).
   */
  sync(): Promise<void>;
  /**
   * Marks the log as not safely flushable: every later `sync` fails. After a failed fdatasync the kernel
   * may have dropped the pages it could not write, so a later flush that succeeds proves nothing; and a
   * connection left at synchronous=NORMAL no longer flushes its own commits. Only a restart is safe.
   */
  poison(error: unknown): void;
  /** False once poisoned (readiness reports it, so the process is restarted). */
  healthy(): boolean;
  /** Waits for the flushes asked for, then closes the file. */
  close(): Promise<void>;
}

/**
 * Flushes SQLite's write-ahead log from libuv's thread pool instead of the event loop. With
 * synchronous=FULL each commit waits for the disk inside better-sqlite3's call, and that wait (0.2 ms
 * alone, 0.7 ms under load on this machine) was a quarter of the event loop's time at 300 customer
 * messages a second. The group commit now commits with synchronous=NORMAL (the log is written but not
 * flushed) and answers its callers only after this flush: an acknowledged message is on the disk exactly
 * as before, but the event loop goes on serving requests while the disk works.
 */
export function createWalSync(walPath: string, files: FileSystemForSync = realFileSystem): WalSync {
  let handle: { file: SyncableFile; ino: number } | undefined;
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let closed = false;
  let poisoned: Error | undefined;

  async function closeHandle() {
    const old = handle;
    handle = undefined;
    await old?.file.close();
  }

  async function currentFile(): Promise<SyncableFile> {
    const ino = await files.inodeAt(walPath);
    if (handle && handle.ino === ino) return handle.file;
    const old = handle;
    handle = undefined;
    await old?.file.close().catch(() => undefined);
    const file = await files.open(walPath);
    handle = { file, ino: (await file.stat()).ino };
    return file;
  }

  function flush(): Promise<void> {
    const done = (async () => {
      if (poisoned) throw poisoned;
      try {
        await (await currentFile()).datasync();
      } catch (error) {
        // Closing checkpoints the log into the database, flushes it and deletes the log: nothing is left
        // to flush for a commit that came in meanwhile.
        if (closed && isMissingFile(error)) return;
        poison(error);
        throw poisoned;
      }
      if (closed) await closeHandle();
    })();
    // A failed flush fails the commits waiting for it; the next call starts a fresh one.
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    running = settled;
    void settled.then(() => {
      if (running === settled) running = undefined;
    });
    return done;
  }

  function poison(error: unknown) {
    poisoned ??= Object.assign(
      new Error('The database log could not be flushed to the disk', { cause: error }),
      {
        code: WAL_FLUSH_FAILED,
      },
    );
  }

  return {
    poison,
    healthy: () => poisoned === undefined,
    sync() {
      if (!running) return flush();
      queued ??= running
        .catch(() => undefined)
        .then(() => {
          queued = undefined;
          return flush();
        });
      return queued;
    },
    async close() {
      closed = true;
      await Promise.allSettled([running, queued]);
      await closeHandle();
    },
  };
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
