import pino from 'pino';
import { loadConfig } from '../../src/app/config.js';
import { startBaton } from '../../src/app/create-app.js';
import { answerBenchRequests } from './bench-requests.js';

/**
 * Baton as the benchmarks' server, in its own process: the real app on a file database against the
 * local Slack workspace, with the per-visitor limits lifted (one load generator speaks for every
 * customer from one address). Prints its URL on stdout. Args: db path. Commits sync like the bare
 * SQLite baseline (FULL), whatever the shell says.
 *
 * Baton as deployed runs its build (`npm run build`, then `node dist/src/app/main.js`: docs/deploy.md),
 * and `npm run bench` measures that: it compiles this launcher beside the build (tsconfig.bench.json), so
 * `dist/bench/servers/baton.js` imports `dist/src/app` and runs under plain Node. Under tsx, every module
 * is compiled as it loads, in the server and again in the assistant's thread (which inherits tsx), and a
 * restarted server was still doing that while a reconnect storm hit it. From the sources (this file run
 * by tsx) it imports `src/app`, for trying a change without a build.
 */
// Run from the TypeScript, this file imports the sources: refuse rather than measure them as the build.
if (process.env.BENCH_BATON_BUILD && import.meta.url.endsWith('.ts'))
  throw new Error('BENCH_BATON_BUILD is set: start dist/bench/servers/baton.js (batonServerScript())');
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
answerBenchRequests();
