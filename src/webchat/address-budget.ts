/**
 * A count per address over a fixed window, for limits that are not one route's requests (a handoff
 * can come from the "Talk to a person" button or from a trigger on any message). Entries of past
 * windows are dropped as the window turns, so the map holds only addresses seen in the current one.
 */
export interface AddressBudget {
  /** Takes one from the address's allowance; false when it is used up for this window. */
  take(address: string): boolean;
  /** Seconds until the current window ends. */
  retryAfterSeconds(): number;
}

export function createAddressBudget(
  limit: number,
  windowMs: number,
  now: () => number = Date.now,
): AddressBudget {
  let windowStart = now();
  let counts = new Map<string, number>();
  const turn = () => {
    const t = now();
    if (t - windowStart < windowMs) return;
    windowStart = t - ((t - windowStart) % windowMs);
    counts = new Map();
  };
  return {
    take(address) {
      turn();
      const used = counts.get(address) ?? 0;
      if (used >= limit) return false;
      counts.set(address, used + 1);
      return true;
    },
    retryAfterSeconds() {
      turn();
      return Math.max(1, Math.ceil((windowStart + windowMs - now()) / 1000));
    },
  };
}
