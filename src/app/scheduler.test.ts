import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createScheduler, type Job } from './scheduler.js';

/** A job whose runs stay open until the test finishes them. */
function gatedJob(name: string, everyMs: number) {
  const finishers: (() => void)[] = [];
  let starts = 0;
  const job: Job = {
    name,
    everyMs,
    run: () => {
      starts++;
      return new Promise<void>((resolve) => finishers.push(resolve));
    },
  };
  return { job, started: () => starts, finishAll: () => finishers.splice(0).forEach((f) => f()) };
}

function setup(jobs: Job[]) {
  const errors: { fields: Record<string, unknown>; message: string }[] = [];
  const tracked: Promise<unknown>[] = [];
  const scheduler = createScheduler({
    jobs,
    log: { error: (fields, message) => errors.push({ fields, message }) },
    track: (work) => {
      tracked.push(work);
      return work;
    },
  });
  return { scheduler, errors, tracked };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createScheduler', () => {
  it('runs each job on its own interval once started, and no more after stop', async () => {
    let fast = 0;
    let slow = 0;
    const { scheduler } = setup([
      { name: 'fast', everyMs: 1000, run: async () => void fast++ },
      { name: 'slow', everyMs: 5000, run: async () => void slow++ },
    ]);
    await vi.advanceTimersByTimeAsync(5000);
    expect([fast, slow]).toEqual([0, 0]);
    scheduler.start();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(5000);
    expect([fast, slow]).toEqual([5, 1]);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect([fast, slow]).toEqual([5, 1]);
  });

  it('never starts a job while its previous run is still going', async () => {
    const gate = gatedJob('escalation', 1000);
    const { scheduler, tracked } = setup([gate.job]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(3500);
    expect(gate.started()).toBe(1);
    const now = scheduler.runNow('escalation');
    await vi.advanceTimersByTimeAsync(0);
    expect(gate.started()).toBe(1);
    gate.finishAll();
    await now;
    await vi.advanceTimersByTimeAsync(1000);
    expect(gate.started()).toBe(2);
    expect(tracked).toHaveLength(2);
    gate.finishAll();
    await scheduler.stop();
  });

  it('logs a failing job with its name, keeps running it, and lets the other jobs run', async () => {
    let prunes = 0;
    let attempts = 0;
    const { scheduler, errors } = setup([
      {
        name: 'escalation',
        everyMs: 1000,
        run: () => {
          attempts++;
          throw new Error('Slack is down');
        },
      },
      { name: 'prune', everyMs: 1000, run: async () => void prunes++ },
    ]);
    await expect(scheduler.runNow()).resolves.toBeUndefined();
    expect(prunes).toBe(1);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(2000);
    expect(attempts).toBe(3);
    expect(prunes).toBe(3);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatchObject({ fields: { job: 'escalation' }, message: 'background job failed' });
    expect((errors[0]!.fields.err as Error).message).toBe('Slack is down');
    await scheduler.stop();
  });

  it('waits for runs in progress when stopped', async () => {
    const gate = gatedJob('escalation', 1000);
    const { scheduler } = setup([gate.job]);
    void scheduler.runNow();
    await vi.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    gate.finishAll();
    await stopping;
    expect(stopped).toBe(true);
  });

  it('refuses to run a job it does not know', async () => {
    const { scheduler } = setup([]);
    await expect(scheduler.runNow('nope')).rejects.toThrow('no job named nope');
  });
});
