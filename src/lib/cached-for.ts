/**
 * Wraps an async read so callers within `ms` of the last answer get that answer, and concurrent callers
 * share one call in flight. A failed call is not cached. After `invalidate()` the next call reads afresh,
 * and a read that started before it is not kept (it may predate the change).
 */
export function invalidatableCache<T>(
  ms: number,
  read: () => Promise<T>,
  now: () => number = Date.now,
): { get: () => Promise<T>; invalidate: () => void } {
  let last: { at: number; value: T } | undefined;
  let inFlight: Promise<T> | undefined;
  let generation = 0;
  return {
    get() {
      if (last && now() - last.at < ms) return Promise.resolve(last.value);
      if (inFlight) return inFlight;
      const startedIn = generation;
      const current = read()
        .then((value) => {
          if (startedIn === generation) last = { at: now(), value };
          return value;
        })
        .finally(() => {
          if (inFlight === current) inFlight = undefined;
        });
      inFlight = current;
      return current;
    },
    invalidate() {
      generation += 1;
      last = undefined;
      inFlight = undefined;
    },
  };
}

/** `invalidatableCache` for reads nothing invalidates (readiness probes): a time window only. */
export function cachedFor<T>(
  ms: number,
  read: () => Promise<T>,
  now: () => number = Date.now,
): () => Promise<T> {
  return invalidatableCache(ms, read, now).get;
}
