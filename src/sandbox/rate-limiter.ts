/**
 * Slack's rate limits, per method (docs.slack.dev/apis/web-api/rate-limits; the method -> tier table is
 * java-slack-sdk's MethodsRateLimits, summarised in shared/SLACK-PLATFORM.md §3.3). Each tier is a token
 * bucket for the whole workspace that refills at the tier's per-minute rate and allows a burst of half a
 * minute's worth. chat.postMessage is Slack's "special" tier: about one post a second per channel, with a
 * short burst, under a workspace-wide ceiling. (A 429 on demand, on any method, is a fault: see
 * method-faults.ts.)
 */
export interface RateLimiter {
  /** Undefined when the call may proceed, else the Retry-After in whole seconds (>= 1). */
  check(method: string, key: string | undefined): number | undefined;
  setEnabled(enabled: boolean): void;
}

export interface RateLimiterOptions {
  now: () => number;
  enabled: boolean;
  /** chat.postMessage per channel: burst and posts per second. */
  burst?: number;
  refillPerSecond?: number;
}

/** Calls per minute of each tier (Slack publishes these as minimums: "20+ per minute"). */
export const TIER_PER_MINUTE = { 1: 1, 2: 20, 3: 50, 4: 100 } as const;
type Tier = keyof typeof TIER_PER_MINUTE;

/** The methods Baton calls, and the tier Slack puts each in. Methods not listed are not limited here. */
export const METHOD_TIERS: Readonly<Record<string, Tier>> = {
  'apps.connections.open': 1,
  'conversations.list': 2,
  'users.list': 2,
  'conversations.history': 3,
  'conversations.replies': 3,
  'conversations.info': 3,
  'conversations.open': 3,
  'conversations.join': 3,
  'conversations.members': 4,
  'chat.update': 3,
  'chat.delete': 3,
  'reactions.add': 3,
  'reactions.get': 3,
  'reactions.remove': 2,
  'users.lookupByEmail': 3,
  'users.getPresence': 3,
  'chat.postEphemeral': 4,
  'users.info': 4,
  'views.open': 4,
  'views.update': 4,
  'views.push': 4,
  'views.publish': 4,
};

/** chat.postMessage's workspace-wide ceiling ("several hundred messages per minute"). */
const POST_WORKSPACE_PER_MINUTE = 300;

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(opts: RateLimiterOptions): RateLimiter {
  const postBurst = opts.burst ?? 5;
  const postRefill = opts.refillPerSecond ?? 1;
  let enabled = opts.enabled;
  const buckets = new Map<string, Bucket>();

  /** Refills the bucket to now; returns it with the wait (in seconds) before one token is there. */
  function peek(key: string, burst: number, perSecond: number): { bucket: Bucket; wait: number } {
    const now = opts.now();
    const bucket = buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    buckets.set(key, bucket);
    return { bucket, wait: bucket.tokens >= 1 ? 0 : (1 - bucket.tokens) / perSecond };
  }

  /** Takes a token from every bucket, or from none (and says how long to wait for the slowest). */
  function takeAll(limits: { key: string; burst: number; perSecond: number }[]): number | undefined {
    const peeked = limits.map((l) => peek(l.key, l.burst, l.perSecond));
    const wait = Math.max(...peeked.map((p) => p.wait));
    if (wait > 0) return Math.max(1, Math.ceil(wait));
    for (const p of peeked) p.bucket.tokens -= 1;
    return undefined;
  }

  function tierLimit(method: string, tier: Tier) {
    const perMinute = TIER_PER_MINUTE[tier];
    return { key: method, burst: Math.max(1, perMinute / 2), perSecond: perMinute / 60 };
  }

  return {
    check(method, key) {
      if (!enabled) return undefined;
      if (method === 'chat.postMessage') {
        return takeAll([
          { key: `${method}:${key ?? ''}`, burst: postBurst, perSecond: postRefill },
          { key: method, burst: POST_WORKSPACE_PER_MINUTE / 2, perSecond: POST_WORKSPACE_PER_MINUTE / 60 },
        ]);
      }
      const tier = METHOD_TIERS[method];
      return tier === undefined ? undefined : takeAll([tierLimit(method, tier)]);
    },
    setEnabled(value) {
      enabled = value;
    },
  };
}
