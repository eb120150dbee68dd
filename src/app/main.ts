import { z } from 'zod';
import { ConfigError, loadConfig } from './config.js';
import { startBaton } from './create-app.js';
import { createLogger } from './logger.js';

/** Starts Baton and stops it cleanly on SIGINT/SIGTERM. All wiring lives in create-app. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const log = createLogger(config);
  const baton = await startBaton(config, { log });
  const lines = [
    '',
    '  Baton is running.',
    `  Customer chat:  ${baton.url}/`,
    baton.slack.sandbox
      ? `  Agent view:     ${baton.slack.sandbox.url}/   (local Slack workspace: act as an agent here)`
      : '  Agent view:     your Slack workspace',
    `  Health:         ${baton.url}/healthz`,
    '',
  ];
  console.log(lines.join('\n'));

  let signals = 0;
  const shutdown = (signal: string) => {
    signals += 1;
    if (signals > 1) process.exit(130);
    log.info({ signal }, 'shutting down');
    baton.stop().then(
      () => process.exit(0),
      (error) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** Any thrown value may carry a message and a code (ConfigError, SlackConnectionError, EADDRINUSE). */
const startFailure = z.object({
  code: z.string().optional().catch(undefined),
  message: z.string().optional().catch(undefined),
});

main().catch((error: unknown) => {
  const e = startFailure.safeParse(error).data;
  console.error(`Baton could not start: ${e?.message ?? String(error)}${e?.code ? ` (${e.code})` : ''}`);
  process.exit(1);
});
