import { parseArgs } from 'node:util';
import { backupDatabase } from '../storage/backup.js';
import { loadConfig } from './config.js';

/**
 * `npm run db:backup -- <file> [--overwrite]` (built: `node dist/src/app/backup-cli.js <file>`): an
 * online backup of DATABASE_PATH, safe while Baton runs. docs/deploy.md has the restore drill.
 */
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { overwrite: { type: 'boolean', default: false } },
});
const [target] = positionals;
if (!target || positionals.length > 1) {
  console.error('usage: npm run db:backup -- <backup file> [--overwrite]');
  process.exit(64);
}
const config = loadConfig();
if (config.DATABASE_URL) {
  // PostgreSQL has its own tools for this, which Baton should not imitate.
  console.error('DATABASE_URL is set: back up PostgreSQL with pg_dump or your provider (docs/deploy.md).');
  process.exit(64);
}
try {
  const report = await backupDatabase(config.DATABASE_PATH, target, { overwrite: values.overwrite });
  console.log(
    `Backed up ${config.DATABASE_PATH} to ${report.target}: ${report.bytes} bytes, ` +
      `${report.conversations} conversations, ${report.messages} messages; integrity check ok.`,
  );
} catch (error) {
  console.error(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
