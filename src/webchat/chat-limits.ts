import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import proxyaddr from 'proxy-addr';
import { ipKeyGenerator, MemoryStore, rateLimit, type Store } from 'express-rate-limit';
import { sendError } from './http-errors.js';

/**
 * What one visitor may do, documented in docs/security.md. Keys are the peer address (or the proxy's
 * X-Forwarded-For when TRUST_PROXY is set) and, after authentication only, the conversation id: an
 * unknown id never gets an entry, so a flood of made-up ids cannot grow these stores.
 */
export interface ChatRouteLimits {
  /** New conversations per address per minute, and per hour. */
  conversationsPerMinute: number;
  conversationsPerHour: number;
  /** Customer messages (and CSAT, email, handoff requests) per conversation per minute. */
  messagesPerMinute: number;
  /** The same writes per address per minute, across all its conversations. */
  writesPerAddressPerMinute: number;
  /** History reads and stream opens per address per minute. */
  readsPerAddressPerMinute: number;
  /** "Talk to a person" requests per address per hour: each posts a card and may call agents. */
  handoffsPerAddressPerHour: number;
  /** Live streams open at once: per address, per conversation, and in total. */
  streamsPerAddress: number;
  streamsPerConversation: number;
  streamsTotal: number;
  /** A stream whose socket stays full this long has stopped reading, and is closed. */
  streamStallSeconds: number;
  /** A stream with more than this queued for its client is closed at once. */
  streamBufferKB: number;
}

export const DEFAULT_CHAT_LIMITS: ChatRouteLimits = {
  conversationsPerMinute: 30,
  conversationsPerHour: 120,
  messagesPerMinute: 60,
  writesPerAddressPerMinute: 120,
  readsPerAddressPerMinute: 300,
  handoffsPerAddressPerHour: 20,
  streamsPerAddress: 20,
  streamsPerConversation: 5,
  streamsTotal: 2000,
  streamStallSeconds: 30,
  streamBufferKB: 256,
};

/** The limiting key of a request: its address, IPv6 folded to its /56 so one host cannot rotate through its range. */
export function addressOf(req: Request): string {
  return ipKeyGenerator(req.ip ?? 'unknown');
}

/** Which hops of X-Forwarded-For are believed: the one proxy in front (TRUST_PROXY), or none. */
export type ProxyTrust = (address: string, hop: number) => boolean;

export function proxyTrust(trustProxy: boolean): ProxyTrust {
  return trustProxy ? (_address, hop) => hop < 1 : () => false;
}

/**
 * `addressOf` for a request Express has not seen (the live stream, customer messages). Express is given
 * the same trust (`proxyTrust(trustProxy)`) as its `trust proxy` setting, so both find the same address
 * (proxy-addr is what Express uses for req.ip). Trusting no proxy, proxy-addr's answer is the socket's own
 * address: read directly, without parsing X-Forwarded-For for every request (about 4% of a stream open).
 */
export function peerAddress(trustProxy: boolean): (req: IncomingMessage) => string {
  // An address is undefined for a socket already gone (Express's req.ip is then undefined too).
  if (!trustProxy) return (req) => ipKeyGenerator(req.socket.remoteAddress ?? 'unknown');
  const trust = proxyTrust(trustProxy);
  return (req) => ipKeyGenerator(proxyaddr(req, trust) ?? 'unknown');
}

export function limiter(
  windowMs: number,
  limit: number,
  key: (req: Request, res: Response) => string,
  opts: { store?: Store; message?: string } = {},
): RequestHandler {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: key,
    ...(opts.store ? { store: opts.store } : {}),
    handler: (_req, res, _next, options) => {
      res.setHeader('Retry-After', String(Math.ceil(options.windowMs / 1000)));
      sendError(res, 429, 'rate_limited', opts.message ?? 'Too many requests, please slow down');
    },
  });
}

/**
 * One allowance shared by several ways in: `route` is what a request through Express takes, `take(key)`
 * what anything else takes (a handoff can come from the "Talk to a person" button or from a trigger on
 * any message; the message and stream routes are served before Express), both from the same
 * express-rate-limit store.
 */
export interface SharedLimit {
  /** Express middleware: takes one from the request's key, or answers 429. */
  route: RequestHandler;
  /** Takes one from `key`; false when its allowance is spent. */
  take(key: string): Promise<boolean>;
  windowMs: number;
  /** What a refusal says. */
  message: string;
}

/** A SharedLimit keyed by the request's address. */
export type AddressLimit = SharedLimit;

export function sharedLimit(
  windowMs: number,
  limit: number,
  message: string,
  key: (req: Request, res: Response) => string,
): SharedLimit {
  const store = new MemoryStore();
  return {
    route: limiter(windowMs, limit, key, { store, message }),
    async take(k: string): Promise<boolean> {
      return (await store.increment(k)).totalHits <= limit;
    },
    windowMs,
    message,
  };
}

export function sharedAddressLimit(windowMs: number, limit: number, message: string): AddressLimit {
  return sharedLimit(windowMs, limit, message, addressOf);
}
