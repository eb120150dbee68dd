import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { z } from 'zod';
import { answerId, type BenchRequest, heapAnswer, loopAnswer } from './servers/bench-requests.js';

/** A benchmark server in its own process: the first line it prints (its URL), its CPU time, a stop. */
export interface ServerProcess {
  url: string;
  /** CPU time (user + system) the process has used so far, in ms, from /proc. */
  cpuMs(): number;
  /** Heap in use after a full collection, for servers that report it (bench/servers/bench-requests.ts). */
  heapUsed(): Promise<number>;
  /** The event loop's busy and idle time so far, in ms (bench/servers/bench-requests.ts). */
  loopTime(): Promise<LoopTime>;
  stop(): Promise<void>;
}

const TICKS_PER_SECOND = 100;
export type LoopTime = z.infer<typeof loopAnswer>['loop'];

/** The share of the time between two readings that the event loop was busy, in percent. */
export function loopBusyPercent(before: LoopTime, after: LoopTime): number {
  const active = after.active - before.active;
  const total = active + (after.idle - before.idle);
  return total > 0 ? (active / total) * 100 : 0;
}

/**
 * The Baton server's launcher: compiled into dist/ beside Baton's build when the bench measures the build
 * (BENCH_BATON_BUILD, set by `npm run bench`), else the TypeScript run by tsx.
 */
export function batonServerScript(): string {
  if (!process.env.BENCH_BATON_BUILD) return 'bench/servers/baton.ts';
  const compiled = 'dist/bench/servers/baton.js';
  if (!fs.existsSync(compiled))
    throw new Error(`${compiled} is missing: run npm run build && npx tsc -p tsconfig.bench.json`);
  return compiled;
}

/** Starts `script` in its own Node process: compiled JavaScript as it is, TypeScript through tsx. */
export async function startServerProcess(
  script: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--expose-gc',
      ...(env.BENCH_NODE_ARGS ? env.BENCH_NODE_ARGS.split(' ') : []),
      ...(script.endsWith('.js') ? [] : ['--import', 'tsx']),
      script,
      ...args,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      env: { ...process.env, ...env },
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      // The first whole line: a URL, or (the Slack stand-in) a JSON description.
      const line = out.includes('\n') ? out.slice(0, out.indexOf('\n')) : undefined;
      if (line !== undefined) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
  });
  const pid = child.pid!;
  // Questions over IPC, each answer matched to its question by id: a late answer to a question that
  // timed out is dropped, never taken for the next one's.
  const waiting = new Map<number, (answer: { value: unknown } | { error: Error }) => void>();
  let asked = 0;
  child.on('message', (m: unknown) => {
    const id = answerId.safeParse(m).data?.id;
    if (id !== undefined) waiting.get(id)?.({ value: m });
  });
  child.once('exit', (code) => {
    for (const settle of [...waiting.values()])
      settle({ error: new Error(`${script} exited (${code}) before answering`) });
  });
  const ask = (question: BenchRequest['ask']) =>
    new Promise<unknown>((resolve, reject) => {
      const id = (asked += 1);
      const settle = (answer: { value: unknown } | { error: Error }) => {
        clearTimeout(timer);
        waiting.delete(id);
        if ('error' in answer) reject(answer.error);
        else resolve(answer.value);
      };
      const timer = setTimeout(
        () => settle({ error: new Error(`${script} did not answer '${question}'`) }),
        10_000,
      );
      waiting.set(id, settle);
      const request: BenchRequest = { id, ask: question };
      child.send(request, (error) => {
        if (error) settle({ error });
      });
    });
  return {
    url,
    cpuMs() {
      // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name) are utime and stime in ticks.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    },
    heapUsed: async () => {
      const answer = heapAnswer.parse(await ask('heap'));
      // A server started without --expose-gc would report garbage as heap: refused rather than reported.
      if (!answer.collected) throw new Error(`${script} could not collect garbage before measuring its heap`);
      return answer.heapUsed;
    },
    loopTime: async () => loopAnswer.parse(await ask('loop')).loop,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
