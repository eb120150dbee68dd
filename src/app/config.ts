import { z } from 'zod';
import { isLoopbackHost, parseHost } from '../sandbox/host-guard.js';

/** Values that ship in docs or examples and must never be accepted as real secrets. */
const PLACEHOLDER_SECRETS = new Set([
  '',
  'changeme',
  'change-me',
  'secret',
  'xoxb-your-token',
  'your-signing-secret',
]);

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** The name customers know the desk by, as it appears in follow-up emails ("Dana from <brand>"). */
const brandName = z
  .string()
  .max(80, 'at most 80 characters')
  .regex(/^[^<>\r\n]*$/, 'a plain name, without <, > or line breaks');

/** The display name of an address such as `Northwind Goods <support@northwind.example>`, else "Support". */
function brandFromAddress(from: string): string {
  const name = /^\s*([^<]+?)\s*</.exec(from)?.[1];
  return (
    name
      ?.replace(/^"(.*)"$/, '$1')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 80) || 'Support'
  );
}

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('127.0.0.1'),
    PUBLIC_URL: z.url().optional(),
    DATABASE_PATH: z.string().min(1).default('./data/baton.db'),
    // Set, Baton keeps its data in PostgreSQL instead (required for several instances): see docs/deploy.md.
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .refine(
          (v) => /^postgres(ql)?:\/\/[^/]/.test(v) && URL.canParse(v),
          'a postgres://user:password@host:port/database URL',
        )
        .optional(),
    ),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(10),
    // FULL syncs the WAL at every commit (an acknowledged message survives power loss); NORMAL syncs at
    // checkpoints only (a crash of Baton loses nothing, power loss may lose the last commits): see docs/performance.md.
    SQLITE_SYNCHRONOUS: z.enum(['full', 'normal']).default('full'),
    SLACK_BOT_TOKEN: optionalString,
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: optionalString,
    SLACK_API_URL: z.url().default('https://slack.com/api/'),
    SLACK_HANDOFF_CHANNEL: optionalString,
    LOCAL_SLACK_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
    LOCAL_SLACK_ALLOWED_HOSTS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z
            .string()
            .refine(
              (h) => parseHost(h) !== undefined,
              'host names or host:port, comma-separated, without http://',
            ),
        ),
      ),
    // Guards the agent view when it is reachable from other machines: it shows every handoff.
    LOCAL_SLACK_UI_TOKEN: optionalString.pipe(
      z
        .string()
        .min(16, 'at least 16 characters (e.g. openssl rand -hex 16)')
        .refine((t) => !PLACEHOLDER_SECRETS.has(t), 'not a placeholder')
        .optional(),
    ),
    KB_DIR: z.string().min(1).default('./kb'),
    // Where the parsed articles and their index are saved between starts; empty = next to the database
    // (none for an in-memory database), 'off' = never saved. See kbIndexPath.
    KB_INDEX_PATH: optionalString,
    // Worker threads that run the local assistant off the event loop; 0 = on the event loop itself.
    ASSISTANT_THREADS: z.coerce.number().int().min(0).max(16).default(1),
    // Their priority below the event loop (a nice increment): acknowledgements first under a flood.
    ASSISTANT_NICE: z.coerce.number().int().min(0).max(19).default(10),
    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: z.url().optional(),
    OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
    OPENAI_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(8000),
    ALLOWED_ORIGINS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    TRUST_PROXY: z.stringbool().default(false),
    BATON_ADMINS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'Slack user IDs such as U0123ABCD, comma-separated')),
      ),
    ESCALATION_MINUTES: z.coerce.number().int().min(1).max(1440).default(5),
    JOBS_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
    SMTP_URL: optionalString.pipe(z.url().optional()),
    METRICS_TOKEN: optionalString,
    EMAIL_FROM: z.string().default('Northwind Goods support <support@northwind.example>'),
    EMAIL_BRAND: optionalString.pipe(brandName.optional()),
    LOG_LEVEL: logLevel.default('info'),
    LOG_PRETTY: z.stringbool().optional(),
  })
  .superRefine((env, ctx) => {
    const usingRealSlack = env.SLACK_BOT_TOKEN !== undefined;
    if (!usingRealSlack && !isLoopbackHost(env.HOST) && !env.LOCAL_SLACK_UI_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['LOCAL_SLACK_UI_TOKEN'],
        message: `required when HOST (${env.HOST}) is not a loopback address and the local Slack workspace runs: it guards the agent view, which shows every handoff`,
      });
    }
    if (!usingRealSlack) {
      if (env.NODE_ENV === 'production') {
        ctx.addIssue({
          code: 'custom',
          path: ['SLACK_BOT_TOKEN'],
          message: 'required in production (the local Slack workspace is for trying Baton out and for tests)',
        });
      }
      return;
    }
    if (!env.SLACK_BOT_TOKEN?.startsWith('xoxb-') || PLACEHOLDER_SECRETS.has(env.SLACK_BOT_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_BOT_TOKEN'],
        message: 'expected a real bot token starting with xoxb-',
      });
    }
    // Socket Mode has no HTTP requests to verify: the signing secret is needed only without an app token.
    const needsSecret = !env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET !== undefined;
    if (needsSecret && (!env.SLACK_SIGNING_SECRET || PLACEHOLDER_SECRETS.has(env.SLACK_SIGNING_SECRET))) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message:
          "required with SLACK_BOT_TOKEN over HTTP: the signing secret from your Slack app's Basic Information page (not needed with SLACK_APP_TOKEN, Socket Mode)",
      });
    }
    if (!env.SLACK_HANDOFF_CHANNEL) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_HANDOFF_CHANNEL'],
        message:
          'required with SLACK_BOT_TOKEN: the ID of the channel handoff cards go to (e.g. C0123456789)',
      });
    }
    if (env.SLACK_APP_TOKEN && !env.SLACK_APP_TOKEN.startsWith('xapp-')) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_APP_TOKEN'],
        message: 'expected an app-level token starting with xapp-',
      });
    }
  })
  .transform((env) => ({ ...env, EMAIL_BRAND: env.EMAIL_BRAND ?? brandFromAddress(env.EMAIL_FROM) }));

export type Config = Readonly<z.infer<typeof configSchema>>;

export class ConfigError extends Error {
  readonly code = 'config_invalid';
}

/** Reads the environment once. Throws a ConfigError naming every bad key and what it expects. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(environment)';
      return `  ${key}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(result.data);
}

/** Whether Baton runs against the bundled local Slack workspace instead of slack.com. */
export function usesLocalSlack(config: Config): boolean {
  return config.SLACK_BOT_TOKEN === undefined;
}
