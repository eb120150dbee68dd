/**
 * Wraps an async read so callers within `ms` of the last answer get that answer, and concurrent
 * callers share one call in flight. A failed call is not cached.
 */
export function cachedFor<T>(
  ms: number,
  read: () => Promise<T>,
  now: () => number = Date.now,
): () => Promise<T> {
  let last: { at: number; value: T } | undefined;
  let inFlight: Promise<T> | undefined;
  return () => {
    if (last && now() - last.at < ms) return Promise.resolve(last.value);
    inFlight ??= read()
      .then((value) => {
        last = { at: now(), value };
        return value;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}
