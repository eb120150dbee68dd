export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` every 50 ms until it gives a truthy value (a probe that throws counts as not yet),
 * for tests that drive Baton as a separate process; fails after `ms`.
 */
export async function until<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  ms: number,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await Promise.resolve(probe()).catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}
