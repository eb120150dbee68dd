import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { z } from 'zod';

export interface BackupReport {
  target: string;
  bytes: number;
  conversations: number;
  messages: number;
}

/**
 * An online backup of Baton's SQLite file while Baton keeps running: SQLite's backup API (through
 * better-sqlite3) copies the pages of one consistent snapshot, and writers carry on meanwhile (a plain
 * file copy of a WAL database can catch a half-written state and lose what is still in the -wal file).
 * The copy goes to a temporary file beside the target and is checked (integrity, readable tables)
 * before it is renamed into place, so a failed or interrupted backup never leaves a file that looks
 * like a good one. An existing target is kept unless `overwrite` is set.
 */
export async function backupDatabase(
  sourcePath: string,
  targetPath: string,
  opts: { overwrite?: boolean } = {},
): Promise<BackupReport> {
  const target = path.resolve(targetPath);
  if (path.resolve(sourcePath) === target) throw new Error('the backup must go to another file');
  if (!opts.overwrite && fs.existsSync(target))
    throw new Error(`${target} exists; choose a new name (or pass --overwrite)`);
  if (!fs.existsSync(sourcePath)) throw new Error(`no database at ${path.resolve(sourcePath)}`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  const source = new SQLite(sourcePath, { readonly: true, fileMustExist: true });
  try {
    await source.backup(partial);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
  try {
    const report = verify(partial);
    fs.renameSync(partial, target);
    return { target, bytes: fs.statSync(target).size, ...report };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
}

const counted = z.object({ n: z.number() });

/**
 * The copy opens, passes SQLite's integrity check, and its tables read. It is turned into one
 * self-contained file first (rollback journal, not WAL: no -wal or -shm beside it to lose when it is
 * moved); Baton switches it back to WAL when it starts on it.
 */
function verify(file: string): { conversations: number; messages: number } {
  const copy = new SQLite(file, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`the backup failed SQLite's integrity check: ${String(check)}`);
    const count = (table: 'conversations' | 'messages') =>
      counted.parse(copy.prepare(`select count(*) as n from ${table}`).get()).n;
    return { conversations: count('conversations'), messages: count('messages') };
  } finally {
    copy.close();
  }
}
