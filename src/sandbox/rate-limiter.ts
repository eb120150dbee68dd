/**
 * chat.postMessage pacing like Slack's "special" tier: about one message per second per
 * channel with a short burst, as a token bucket. (A 429 on demand, on any method, is a fault:
 * see method-faults.ts.)
 */
export interface RateLimiter {
  /** Undefined when the call may proceed, else the Retry-After in whole seconds (>= 1). */
  check(method: string, key: string | undefined): number | undefined;
  setEnabled(enabled: boolean): void;
}

export interface RateLimiterOptions {
  now: () => number;
  enabled: boolean;
  burst?: number;
  refillPerSecond?: number;
}

/** Methods paced per key (channel); everything else is not paced. */
const PACED_METHODS = new Set(['chat.postMessage']);

export function createRateLimiter(opts: RateLimiterOptions): RateLimiter {
  const burst = opts.burst ?? 5;
  const refill = opts.refillPerSecond ?? 1;
  let enabled = opts.enabled;
  const buckets = new Map<string, { tokens: number; at: number }>();

  function take(key: string): number | undefined {
    const now = opts.now();
    const bucket = buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * refill);
    bucket.at = now;
    buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / refill));
  }

  return {
    check(method, key) {
      if (!enabled || !PACED_METHODS.has(method)) return undefined;
      return take(`${method}:${key ?? ''}`);
    },
    setEnabled(value) {
      enabled = value;
    },
  };
}
