import pino, { type Logger } from 'pino';
import type { ChatRouteLimits } from '../../src/webchat/chat-limits.js';
import { loadConfig } from '../../src/app/config.js';
import { type Baton, startBaton } from '../../src/app/create-app.js';
import type { SlackSandbox } from '../../src/sandbox/types.js';
import { scratchDatabase, testPostgresServer } from '../support/postgres-database.js';

export interface ChatMessage {
  id: string;
  seq: number;
  author: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  createdAt: string;
  agent?: { name: string };
  articles?: { id: string; title: string; url?: string }[];
  editedAt?: string;
  deleted?: boolean;
}

export interface Session {
  id: string;
  token: string;
}

/** Drives the public chat API over HTTP exactly as the widget does. */
export function chatClient(baseUrl: string) {
  async function call(method: string, path: string, token?: string, body?: unknown) {
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
    const json = text ? (JSON.parse(text) as any) : undefined;
    return { status: res.status, headers: res.headers, json };
  }
  return {
    call,
    async start(
      body: Record<string, unknown> = { customer: { name: 'Jamie Customer', email: 'jamie@example.com' } },
    ) {
      const res = await call('POST', '/conversations', undefined, body);
      if (res.status !== 201) throw new Error(`start failed: ${res.status} ${JSON.stringify(res.json)}`);
      return { id: res.json.conversation.id as string, token: res.json.token as string } satisfies Session;
    },
    send: (s: Session, text: string, clientMessageId?: string) =>
      call('POST', `/conversations/${s.id}/messages`, s.token, {
        text,
        ...(clientMessageId ? { clientMessageId } : {}),
      }),
    messages: (s: Session, after = 0) =>
      call('GET', `/conversations/${s.id}/messages?after=${after}`, s.token),
    handoff: (s: Session) => call('POST', `/conversations/${s.id}/handoff`, s.token),
    csat: (s: Session, score: number, comment?: string) =>
      call('POST', `/conversations/${s.id}/csat`, s.token, { score, comment }),
    /** Polls the history until the predicate holds (the widget would get it pushed over the stream). */
    async waitFor<T>(
      s: Session,
      probe: (r: {
        status: string;
        agent?: { name: string };
        messages: ChatMessage[];
      }) => T | undefined | false,
      timeoutMs = 5000,
    ): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      let last: unknown;
      while (Date.now() < deadline) {
        const res = await call('GET', `/conversations/${s.id}/messages?after=0`, s.token);
        last = res.json;
        const hit = probe({
          status: res.json.conversation.status,
          agent: res.json.conversation.agent,
          messages: res.json.messages,
        });
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(
        `timed out waiting on conversation ${s.id}; last state: ${JSON.stringify(last).slice(0, 1500)}`,
      );
    },
  };
}

export type ChatClient = ReturnType<typeof chatClient>;

export interface Harness {
  baton: Baton;
  sandbox: SlackSandbox;
  chat: ChatClient;
  stop(): Promise<void>;
}

/**
 * A fresh Baton on a random port with an in-memory database, against a fresh local Slack workspace.
 * Under `npm run test:postgres` the database is a new PostgreSQL database instead, unless the test
 * names its own (a SQLite file it restarts on or backs up).
 */
export async function startHarness(
  env: Record<string, string> = {},
  limits?: Partial<ChatRouteLimits>,
  now?: () => Date,
  log?: Logger,
): Promise<Harness> {
  const server = testPostgresServer();
  const scratch =
    server && env.DATABASE_PATH === undefined && env.DATABASE_URL === undefined
      ? await scratchDatabase(server)
      : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOCAL_SLACK_PORT: '0',
    DATABASE_PATH: ':memory:',
    KB_DIR: 'kb',
    LOG_LEVEL: 'silent',
    // The engine on the event loop: a thread per harness would start (and load the knowledge base) in
    // every one of hundreds of tests. assistant-threads.test.ts runs the loop with the threads.
    ASSISTANT_THREADS: '0',
    ...(scratch ? { DATABASE_URL: scratch.url, DATABASE_POOL_SIZE: '4' } : {}),
    ...env,
  });
  const baton = await startBaton(config, {
    log: log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    limits,
    now,
  });
  const sandbox = baton.slack.sandbox;
  if (!sandbox) throw new Error('harness expects the local Slack workspace');
  return {
    baton,
    sandbox,
    chat: chatClient(baton.url),
    stop: async () => {
      await baton.stop();
      await scratch?.drop();
    },
  };
}

/** The card Baton posted for a conversation's handoff, once it is there. */
export async function waitForCard(sandbox: SlackSandbox, match: (text: string) => boolean = () => true) {
  return sandbox.waitFor(() =>
    sandbox
      .readChannel(sandbox.handoffChannelId)
      .find(
        (m) =>
          m.user === 'U0BATONBOT' &&
          JSON.stringify(m.blocks ?? []).includes('baton_claim') &&
          match(JSON.stringify(m)),
      ),
  );
}

/** The channel and ts of a card Baton has recorded as posted (its thread known to it); none yet, undefined. */
export async function recordedCard(harness: Harness, ts: string) {
  return harness.baton.deps.db
    .selectFrom('slack_threads')
    .select(['channel', 'thread_ts'])
    .where('thread_ts', '=', ts)
    .executeTakeFirst();
}

/** Baton with its OpenAI-compatible engine pointed at a local stub (the real `openai` SDK, no mocks). */
/** Who revealed masked data, oldest first, from the audit log. */
export async function auditedReveals(harness: Harness) {
  return harness.baton.deps.db
    .selectFrom('audit_log')
    .select('actor')
    .where('action', '=', 'reveal masked data')
    .orderBy('id')
    .execute();
}

export async function startHarnessWithModel(stub: { baseURL: string }): Promise<Harness> {
  return startHarness({
    OPENAI_API_KEY: 'sk-test-key',
    OPENAI_BASE_URL: stub.baseURL,
    OPENAI_MODEL: 'stub-model',
    OPENAI_TIMEOUT_MS: '1500',
  });
}

/**
 * Runs a slash command as `user`. The inbox acknowledges with an empty 200 and the answer arrives
 * through response_url; this waits for it.
 */
export async function slashCommand(
  sandbox: SlackSandbox,
  user: string,
  channel: string,
  text: string,
): Promise<{ text: string; blocks?: unknown[] }> {
  const res = await sandbox.runSlashCommand(user, channel, text);
  if (res.status !== 200 || res.body !== '')
    throw new Error(`slash command not acknowledged as expected: ${res.status} ${res.body}`);
  const answer = await sandbox.waitFor(() => sandbox.responsesTo(res.responseUrl ?? '')[0]);
  return { text: answer.text ?? '', ...(answer.blocks ? { blocks: answer.blocks } : {}) };
}
