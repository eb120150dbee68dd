import { migrateToLatest } from '../storage/database.js';
import { describeStorage, openStorage } from '../storage/open-storage.js';
import { loadConfig } from './config.js';

/** `npm run db:migrate`: applies pending migrations and prints what ran. */
const config = loadConfig();
const storage = openStorage(config);
console.log(`Migrating ${describeStorage(config)}`);
const result = await migrateToLatest(storage.db);
for (const r of result.results ?? []) console.log(`${r.status}: ${r.migrationName}`);
if ((result.results ?? []).length === 0) console.log('Database is up to date.');
await storage.close();
