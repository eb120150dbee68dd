import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWalSync, type FileSystemForSync } from './wal-sync.js';

/** A file system whose flushes finish when the test says, recording what was asked of it. */
function manualFiles() {
  const log: string[] = [];
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  let ino = 1;
  const files: FileSystemForSync = {
    inodeAt: async () => ino,
    open: async () => {
      const opened = ino;
      log.push(`open ${opened}`);
      return {
        stat: async () => ({ ino: opened }),
        close: async () => void log.push(`close ${opened}`),
        datasync: () => {
          log.push(`flush ${opened}`);
          return new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
        },
      };
    },
  };
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  return {
    files,
    log,
    tick,
    finishNext: async () => {
      await tick();
      pending.shift()?.resolve();
      await tick();
    },
    failNext: async () => {
      await tick();
      pending.shift()?.reject(new Error('EIO'));
      await tick();
    },
    replaceFile: () => (ino += 1),
  };
}

describe('createWalSync', () => {
  it('makes a call during a flush wait for the next one, and calls made meanwhile share it', async () => {
    const fsm = manualFiles();
    const wal = createWalSync('/db-wal', fsm.files);
    const done: string[] = [];
    void wal.sync().then(() => done.push('first'));
    await fsm.tick();
    // Commits made while the first flush runs may not be in it.
    void wal.sync().then(() => done.push('second'));
    void wal.sync().then(() => done.push('third'));
    await fsm.finishNext();
    expect(done).toEqual(['first']);
    await fsm.finishNext();
    expect(done).toEqual(['first', 'second', 'third']);
    expect(fsm.log.filter((l) => l.startsWith('flush'))).toHaveLength(2);
  });

  it('fails the callers of a failed flush, and every later call: only a restart is safe', async () => {
    const fsm = manualFiles();
    const wal = createWalSync('/db-wal', fsm.files);
    const caught = wal.sync().catch((e: Error) => e.message);
    await fsm.failNext();
    expect(await caught).toBe('The database log could not be flushed to the disk');
    expect(wal.healthy()).toBe(false);
    await expect(wal.sync()).rejects.toMatchObject({ code: 'WAL_FLUSH_FAILED' });
    // No second flush was even tried.
    expect(fsm.log.filter((l) => l.startsWith('flush'))).toHaveLength(1);
  });

  it('takes a log deleted by closing as flushed (closing checkpoints and flushes it)', async () => {
    const files: FileSystemForSync = {
      inodeAt: async () => {
        throw Object.assign(new Error('gone'), { code: 'ENOENT' });
      },
      open: async () => {
        throw new Error('not reached');
      },
    };
    const wal = createWalSync('/db-wal', files);
    const closing = wal.close();
    await expect(wal.sync()).resolves.toBeUndefined();
    await closing;
    expect(wal.healthy()).toBe(true);
  });

  it('follows a log file SQLite made anew, closing the old handle', async () => {
    const fsm = manualFiles();
    const wal = createWalSync('/db-wal', fsm.files);
    const first = wal.sync();
    await fsm.finishNext();
    await first;
    fsm.replaceFile();
    const second = wal.sync();
    await fsm.finishNext();
    await second;
    expect(fsm.log).toEqual(['open 1', 'flush 1', 'close 1', 'open 2', 'flush 2']);
    await wal.close();
    expect(fsm.log.at(-1)).toBe('close 2');
  });

  it('flushes a real file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-wal-sync-'));
    const file = path.join(dir, 'x.db-wal');
    fs.writeFileSync(file, 'frames');
    const wal = createWalSync(file);
    await wal.sync();
    await wal.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
