/**
 * A one-minute cache of one kind of Slack answer, for lookups someone is waiting on:
 * - concurrent callers for the same key share one call;
 * - a caller waits at most `budgetMs`; past it they get the last known value (even if older than a
 *   minute), or a LookupTimeout when there is none;
 * - a call that outlives its budget still completes in the background and refreshes the entry.
 */

export const TTL_MS = 60_000;

export class LookupTimeout extends Error {
  readonly code = 'lookup_timeout';
}

export interface BoundedCache<T> {
  get(key: string, budgetMs: number, load: () => Promise<T>): Promise<T>;
}

export function createBoundedCache<T>(now: () => number): BoundedCache<T> {
  const entries = new Map<string, { at: number; value: T }>();
  const inFlight = new Map<string, Promise<T>>();

  function refresh(key: string, load: () => Promise<T>): Promise<T> {
    const running = inFlight.get(key);
    if (running) return running;
    const call = load()
      .then((value) => {
        entries.set(key, { at: now(), value });
        return value;
      })
      .finally(() => inFlight.delete(key));
    // Nobody may be waiting any more when it fails (the budget ran out): never an unhandled rejection.
    call.catch(() => {});
    inFlight.set(key, call);
    return call;
  }

  return {
    async get(key, budgetMs, load) {
      const hit = entries.get(key);
      if (hit && now() - hit.at < TTL_MS) return hit.value;
      const call = refresh(key, load);
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), budgetMs);
      });
      try {
        const first = await Promise.race([call, deadline]);
        if (first !== 'timeout') return first;
      } catch (error) {
        if (hit) return hit.value;
        throw error;
      } finally {
        clearTimeout(timer);
      }
      if (hit) return hit.value;
      throw new LookupTimeout(`Slack lookup ${key} took longer than ${budgetMs} ms`);
    },
  };
}
