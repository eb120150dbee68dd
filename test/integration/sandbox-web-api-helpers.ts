import { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { startSlackSandbox } from '../../src/sandbox/create-sandbox.js';
import { type Receiver, startReceiver } from './sandbox-receiver.js';

/**
 * Shared by the sandbox-web-api-*.test.ts files: a local Slack workspace driven through the real
 * `@slack/web-api` client. Each test file keeps its own `let sandbox / client` bindings because
 * some tests replace the sandbox mid-test (an imported binding could not be reassigned).
 */

export const TOKEN = 'xoxb-sandbox-test';
export const SECRET = 'sandbox-secret';

export type Sandbox = Awaited<ReturnType<typeof startSlackSandbox>>;

export interface Workspace {
  sandbox: Sandbox;
  receiver: Receiver;
  client: WebClient;
}

/**
 * Starts a receiver, a sandbox that signs its deliveries to it, and a client that never retries
 * (so tests see each error once). `skewMs` is read on every clock tick, so a test can move the
 * sandbox's clock forward after it started, e.g. to expire a trigger id.
 */
export async function startWorkspace(skewMs: () => number = () => 0): Promise<Workspace> {
  const receiver = await startReceiver(SECRET);
  const sandbox = await startSlackSandbox({
    signingSecret: SECRET,
    botToken: TOKEN,
    appRequestUrl: receiver.url,
    now: () => Date.now() + skewMs(),
  });
  const client = new WebClient(TOKEN, { slackApiUrl: sandbox.apiUrl, retryConfig: { retries: 0 } });
  return { sandbox, receiver, client };
}

/** Takes the current bindings, not the started ones: a test may have replaced the sandbox. */
export async function stopWorkspace(sandbox: Sandbox, receiver: Receiver): Promise<void> {
  await sandbox.close();
  await receiver.close();
}

/** What a rejected WebClient call carries: Slack's answer as `data` (platform errors), if any. */
const rejection = z.object({ data: z.record(z.string(), z.unknown()).optional() });

/** The platform error code of a rejected WebClient call (the string "undefined" if it resolved). */
export async function errorOf(
  call: Promise<unknown>,
): Promise<{ error: string; data: Record<string, unknown> }> {
  const settled = await call.then(
    () => ({}),
    (e: unknown) => e,
  );
  const data = rejection.safeParse(settled).data?.data ?? {};
  return { error: String(data.error), data };
}

export const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
