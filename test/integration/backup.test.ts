import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase } from '../../src/storage/backup.js';
import { type Harness, type Session, startHarness } from './harness.js';

/**
 * The online backup and the restore drill of docs/deploy.md: a backup taken while customers keep
 * writing holds every message acknowledged before it started, and a fresh Baton started on it carries
 * on the same conversations.
 */

let dir: string;
let h: Harness | undefined;
let restored: Harness | undefined;
const lifted = { messagesPerMinute: 1e6, writesPerAddressPerMinute: 1e6, readsPerAddressPerMinute: 1e6 };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-backup-'));
});
afterEach(async () => {
  await h?.stop();
  await restored?.stop();
  h = restored = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

const lines = async (harness: Harness, s: Session) =>
  ((await harness.chat.messages(s)).json.messages as { author: string; text: string; seq: number }[]).filter(
    (m) => m.author === 'customer',
  );

describe('npm run db:backup', () => {
  it('copies a running Baton, writers and all, and a Baton started on the copy carries on', async () => {
    const live = path.join(dir, 'baton.db');
    h = await startHarness({ DATABASE_PATH: live }, lifted);
    const s = await h.chat.start();
    for (let i = 1; i <= 20; i += 1) expect((await h.chat.send(s, `line ${i}`)).status).toBe(201);

    // Customers keep writing while the backup runs.
    let writing = true;
    let n = 20;
    const writer = (async () => {
      while (writing) expect((await h!.chat.send(s, `line ${(n += 1)}`)).status).toBe(201);
    })();
    const backup = path.join(dir, 'backups', 'baton-1.db');
    const report = await backupDatabase(live, backup);
    writing = false;
    await writer;

    expect(report.target).toBe(backup);
    expect(report.conversations).toBe(1);
    expect(report.messages).toBeGreaterThanOrEqual(20);
    expect(fs.readdirSync(path.dirname(backup))).toEqual(['baton-1.db']); // no partial file left

    // The restore drill: Baton stopped, the copy put in place, Baton started on it.
    await h.stop();
    h = undefined;
    const restoredPath = path.join(dir, 'restored.db');
    fs.copyFileSync(backup, restoredPath);
    restored = await startHarness({ DATABASE_PATH: restoredPath }, lifted);
    const kept = await lines(restored, s);
    // Everything acknowledged before the backup began is there, in order, with no gaps.
    expect(kept.slice(0, 20).map((m) => m.text)).toEqual(
      Array.from({ length: 20 }, (_, i) => `line ${i + 1}`),
    );
    expect(kept.map((m) => m.text)).toEqual(kept.map((_, i) => `line ${i + 1}`));
    const seqs = kept.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // And the conversation goes on there, with the same token.
    expect((await restored.chat.send(s, 'after the restore')).status).toBe(201);
    expect((await lines(restored, s)).at(-1)?.text).toBe('after the restore');
  });

  it('never overwrites a file, never backs up onto itself, and says what went wrong', async () => {
    const live = path.join(dir, 'baton.db');
    h = await startHarness({ DATABASE_PATH: live }, lifted);
    const taken = path.join(dir, 'taken.db');
    fs.writeFileSync(taken, 'an older backup');
    await expect(backupDatabase(live, taken)).rejects.toThrow(/exists; choose a new name/);
    expect(fs.readFileSync(taken, 'utf8')).toBe('an older backup');
    await expect(backupDatabase(live, live)).rejects.toThrow(/another file/);
    await expect(backupDatabase(path.join(dir, 'nothing.db'), path.join(dir, 'x.db'))).rejects.toThrow(
      /no database at/,
    );
    expect((await backupDatabase(live, taken, { overwrite: true })).conversations).toBe(0);
  });

  it('runs as a command with the database from the configuration', () => {
    const live = path.join(dir, 'cli.db');
    // The migrations make the file; the command then backs it up and reports.
    execFileSync('npx', ['tsx', 'src/app/migrate-cli.ts'], { env: { ...process.env, DATABASE_PATH: live } });
    const out = execFileSync('npx', ['tsx', 'src/app/backup-cli.ts', path.join(dir, 'cli-backup.db')], {
      env: { ...process.env, DATABASE_PATH: live },
    }).toString();
    expect(out).toMatch(
      /Backed up .*cli\.db to .*cli-backup\.db: \d+ bytes, 0 conversations, 0 messages; integrity check ok\./,
    );
  });
});
