import pino from 'pino';
import { reportHeapOnRequest } from './heap-report.js';

/**
 * Baton as deployed runs its build (`npm run build`, then `node dist/src/app/main.js`: docs/deploy.md),
 * and `npm run bench` measures that (it builds first and sets BENCH_BATON_BUILD). From the sources, tsx
 * compiles every module as it is loaded, in the server and again in the assistant's thread, which a
 * restarted server was still doing while a reconnect storm hit it.
 */
const app = process.env.BENCH_BATON_BUILD ? '../../dist/src/app' : '../../src/app';
const { loadConfig }: typeof import('../../src/app/config.js') = await import(`${app}/config.js`);
const { startBaton }: typeof import('../../src/app/create-app.js') = await import(`${app}/create-app.js`);

/**
 * Baton as the benchmarks' server, in its own process: the real app on a file database against the
 * local Slack workspace, with the per-visitor limits lifted (one load generator speaks for every
 * customer from one address). Prints its URL on stdout. Args: db path. Commits sync like the bare
 * SQLite baseline (FULL), whatever the shell says.
 */
const [dbPath = ':memory:'] = process.argv.slice(2);
const config = loadConfig({
  ...process.env,
  NODE_ENV: 'test',
  PORT: '0',
  LOCAL_SLACK_PORT: '0',
  DATABASE_PATH: dbPath,
  SQLITE_SYNCHRONOUS: process.env.BENCH_SYNC ?? 'full',
  LOG_LEVEL: 'silent',
});
const lifted = 1e9;
const baton = await startBaton(config, {
  log: pino({ level: 'silent' }),
  limits: {
    conversationsPerMinute: lifted,
    conversationsPerHour: lifted,
    messagesPerMinute: lifted,
    writesPerAddressPerMinute: lifted,
    readsPerAddressPerMinute: lifted,
    handoffsPerAddressPerHour: lifted,
    streamsPerAddress: lifted,
    streamsPerConversation: lifted,
    streamsTotal: lifted,
  },
});
baton.slack.sandbox?.setRateLimits(false);
console.log(baton.url);
process.on('SIGTERM', () => void baton.stop().then(() => process.exit(0)));
reportHeapOnRequest();
