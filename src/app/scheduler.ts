/** A periodic background job. `run` should do its own retries; a failure is logged and waits for the next tick. */
export interface Job {
  name: string;
  everyMs: number;
  /** Its result is ignored. */
  run: () => Promise<unknown>;
}

/** The slice of the logger the scheduler uses. */
export interface SchedulerLog {
  error(fields: Record<string, unknown>, message: string): void;
}

export interface Scheduler {
  /** Starts every job's timer (timers never keep the process alive). Starting twice is a no-op. */
  start(): void;
  /** Stops the timers, then waits for runs in progress to finish. */
  stop(): Promise<void>;
  /** Runs one job now, or every job in order; a job already running is awaited, not started again. */
  runNow(name?: string): Promise<void>;
}

export interface SchedulerOptions {
  jobs: Job[];
  log: SchedulerLog;
  /** Tracks each run so shutdown and tests can wait for background work. */
  track: <T>(work: Promise<T>) => Promise<T>;
}

/**
 * Runs background jobs on their intervals. A job never runs twice at once: a slow Slack call must not
 * let the next tick escalate the same card again. Errors are logged with the job's name, never thrown.
 */
export function createScheduler({ jobs, log, track }: SchedulerOptions): Scheduler {
  const running = new Map<string, Promise<void>>();
  let timers: NodeJS.Timeout[] = [];

  function run(job: Job): Promise<void> {
    const current = running.get(job.name);
    if (current) return current;
    // Started on a later tick, so the run is registered before it can finish (even if `run` throws at once).
    const work = Promise.resolve()
      .then(async () => {
        await job.run();
      })
      .catch((error: unknown) => {
        log.error({ err: error, job: job.name }, 'background job failed');
      })
      .finally(() => running.delete(job.name));
    running.set(job.name, work);
    return track(work);
  }

  return {
    start() {
      if (timers.length > 0) return;
      timers = jobs.map((job) => {
        const timer = setInterval(() => void run(job), job.everyMs);
        timer.unref();
        return timer;
      });
    },
    async stop() {
      for (const timer of timers) clearInterval(timer);
      timers = [];
      await Promise.all(running.values());
    },
    async runNow(name) {
      const chosen = name === undefined ? jobs : jobs.filter((j) => j.name === name);
      if (chosen.length === 0) throw new Error(`no job named ${name}`);
      for (const job of chosen) await run(job);
    },
  };
}
