import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * Does the build run with production dependencies only? (CI, after `npm run build`.) Copies dist/, the
 * package files, the sample knowledge base and node_modules into a temporary folder, prunes the dev
 * dependencies there (`npm prune --omit=dev`, as a production image would), starts `npm run start:prod`
 * against the local Slack workspace and walks one conversation: health and readiness, a question
 * answered by the assistant thread, widget.js, a handoff whose card the outbox posts from its Slack call
 * thread (compiled, as production runs it), then SIGTERM and a clean exit with nothing logged at warn
 * or above. Also checks that
 * production refuses to start without Slack tokens, with its configuration exit code.
 */
const root = path.resolve(import.meta.dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-built-'));
const WAIT_MS = 60_000;
const START_PROD = 'node dist/src/app/main.js';

function copy() {
  if (!fs.existsSync(path.join(root, 'dist/src/app/main.js'))) throw new Error('run `npm run build` first');
  for (const name of ['dist', 'kb', 'package.json', 'package-lock.json'])
    fs.cpSync(path.join(root, name), path.join(dir, name), { recursive: true });
  // A copy of the installed modules, then pruned: no compiler or registry needed for better-sqlite3.
  execFileSync('cp', ['-a', path.join(root, 'node_modules'), dir]);
  execFileSync('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  for (const dev of ['tsx', 'typescript', 'vitest', 'pino-pretty'])
    if (fs.existsSync(path.join(dir, 'node_modules', dev))) throw new Error(`${dev} survived the prune`);
}

/** Through npm (the script as written), or the command itself so that signals reach Baton, not npm. */
function start(env: Record<string, string>, viaNpm: boolean): { child: ChildProcess; output: () => string } {
  const [command, ...args] = viaNpm ? ['npm', 'run', '--silent', 'start:prod'] : START_PROD.split(' ');
  const child = spawn(command!, args, {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return { child, output: () => output };
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const created = z.object({ conversation: z.object({ id: z.string() }), token: z.string() });
const history = z.object({
  conversation: z.object({ status: z.string() }),
  messages: z.array(z.object({ author: z.string(), text: z.string() })),
});

async function walk(base: string, log: () => string) {
  await until('/healthz', async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined));
  await until('/readyz', async () => ((await fetch(`${base}/readyz`)).ok ? true : undefined));
  const widget = await fetch(`${base}/widget.js`);
  if (!widget.ok || !(await widget.text()).includes('const served = {'))
    throw new Error('widget.js not served');
  const res = await fetch(`${base}/api/v1/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const { conversation, token } = created.parse(await res.json());
  const call = (init?: RequestInit) =>
    fetch(`${base}/api/v1/conversations/${conversation.id}/messages`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
  const posted = await call({
    method: 'POST',
    body: JSON.stringify({ text: 'How long does standard shipping take?' }),
  });
  if (posted.status !== 201) throw new Error(`message answered ${posted.status}`);
  const answer = await until('the assistant’s answer', async () =>
    history.parse(await (await call()).json()).messages.find((m) => m.author === 'bot'),
  );
  console.log(`answered: ${answer.text.slice(0, 80)}…`);

  // A handoff once the Slack call thread is up: its card is posted from the compiled thread module.
  await until('the Slack call thread', async () =>
    log().includes('Slack call thread ready') ? true : undefined,
  );
  const asked = await call({
    method: 'POST',
    body: JSON.stringify({ text: 'I want to talk to a human please' }),
  });
  if (asked.status !== 201) throw new Error(`handoff request answered ${asked.status}`);
  await until('the handoff', async () =>
    history.parse(await (await call()).json()).conversation.status !== 'bot' ? true : undefined,
  );
  await until('the card posted to Slack', async () =>
    /^baton_slack_outbox_pending 0$/m.test(await (await fetch(`${base}/metrics`)).text()) ? true : undefined,
  );
  console.log('handed off: the card went out through the Slack call thread');
}

try {
  copy();
  const scripts = z
    .object({ scripts: z.record(z.string(), z.string()) })
    .parse(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))).scripts;
  if (scripts['start:prod'] !== START_PROD) throw new Error(`start:prod is not ${START_PROD}`);
  const refused = start({ NODE_ENV: 'production' }, true);
  const code = await exited(refused.child);
  if (code !== 78 || !/SLACK_BOT_TOKEN/.test(refused.output()))
    throw new Error(`production without tokens exited ${code}: ${refused.output()}`);
  console.log('production without Slack tokens: refused with exit code 78, as it should');

  const port = String(20_000 + Math.floor(Math.random() * 20_000));
  const baton = start(
    {
      NODE_ENV: 'development',
      PORT: port,
      LOCAL_SLACK_PORT: '0',
      DATABASE_PATH: path.join(dir, 'data', 'baton.db'),
      // Info, for the Slack call thread's "ready"; warnings and errors fail the check below.
      LOG_LEVEL: 'info',
    },
    false,
  );
  try {
    await walk(`http://127.0.0.1:${port}`, baton.output);
  } catch (error) {
    console.error(baton.output());
    throw error;
  }
  baton.child.kill('SIGTERM');
  const stopped = await exited(baton.child);
  if (stopped !== 0) throw new Error(`SIGTERM: exited ${stopped}: ${baton.output()}`);
  if (/"level":(40|50|60)/.test(baton.output()))
    throw new Error(`warnings or errors logged:\n${baton.output()}`);
  console.log('the build ran with production dependencies only and stopped cleanly on SIGTERM');
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
