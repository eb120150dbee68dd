/** A durable queue's worker loop, shared by the Slack outbox and the email outbox. */
export interface WorkLoop {
  /** Call after committing new work; cheap when a pass is already running (one more pass follows it). */
  kick(): void;
  /** Waits for the running pass; queued work stays in the database for the next start. */
  stop(): Promise<void>;
  /** Resolves once no pass is running (a timer may still be set for deferred work). */
  idle(): Promise<void>;
}

/**
 * Runs `pass` when kicked, never two at once. A pass does all work that is due and returns when more
 * becomes due (epoch ms), or undefined; the loop then sets a timer for it.
 */
export function createWorkLoop(opts: {
  pass: (isStopped: () => boolean) => Promise<number | undefined>;
  now: () => number;
  onError: (error: unknown) => void;
  retryAfterErrorMs?: number;
}): WorkLoop {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const isStopped = () => stopped;

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    again = false;
    running = opts
      .pass(isStopped)
      .then((wakeAt) => {
        if (wakeAt === undefined || stopped) return;
        clearTimeout(timer);
        timer = setTimeout(kick, Math.max(10, wakeAt - opts.now()));
        timer.unref();
      })
      .catch((error: unknown) => {
        opts.onError(error);
        // The pass failed (the database refused, say): try again shortly instead of waiting for new work.
        if (stopped) return;
        clearTimeout(timer);
        timer = setTimeout(kick, opts.retryAfterErrorMs ?? 1000);
        timer.unref();
      })
      .finally(() => {
        running = undefined;
        if (again && !stopped) kick();
      });
  }

  return {
    kick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    async idle() {
      while (running) await running;
    },
  };
}
