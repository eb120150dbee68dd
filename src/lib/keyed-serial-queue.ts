/**
 * Runs tasks one at a time per key (a conversation), in the order they were added,
 * so two quick customer messages are answered in order and never interleave.
 */
export function createKeyedSerialQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return next;
  };
}

export type KeyedSerialQueue = ReturnType<typeof createKeyedSerialQueue>;
