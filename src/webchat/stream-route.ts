import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { authenticate, type ConversationDeps } from '../conversation/conversation-service.js';
import { AppError } from '../lib/errors.js';
import type { AddressLimit } from './chat-limits.js';
import { answerRefusal, sendError, splitTarget } from './http-errors.js';
import type { LiveHub } from './live-hub.js';
import { afterQuery, bearerToken, conversationIdParam, decodedPathSegment } from './schemas.js';
import { openStream, type StreamDropLimits } from './stream.js';
import type { StreamCaps } from './stream-caps.js';

/** `/api/v1/conversations/:id/stream`, as Express routes it: any case, an optional trailing slash. */
const STREAM_PATH = /^\/api\/v1\/conversations\/([^/]+)\/stream\/?$/i;

export interface StreamRouteOptions {
  /** The limiting key of a request (its address), computed as Express computes `req.ip`. */
  address: (req: IncomingMessage) => string;
  /** The address's read allowance, shared with history reads. */
  reads: Pick<AddressLimit, 'take' | 'windowMs'>;
  /**
   * The API's response headers for this request (CORS for listed origins, nosniff, resource policy), given
   * to writeHead in one object: headers set one by one make node keep a header map per response.
   */
  headers: (req: IncomingMessage) => Record<string, string>;
  streams: StreamCaps;
  dropLimits: StreamDropLimits;
}

/**
 * GET /api/v1/conversations/:id/stream, served by node:http itself rather than Express. A stream lives as
 * long as the customer's page is open, and everything that touched its request stays reachable that long:
 * through Express an idle stream held about 15 kB of heap (Express gives each request and response object
 * a shape of its own, and the logger, limiter and router closures stayed alive with them) against 5 kB for
 * a bare server-sent-events server. The checks are Express's, in its order, with the same pieces: the
 * API's headers, the id check before any limit, the address's read allowance (one store with history
 * reads), the token, the cursor, the stream caps, and the same error answers.
 *
 * Differences from the Express route, on purpose: no RateLimit headers and no per-request log line on a
 * stream (refusals are logged as before); HEAD and absolute-form request targets are left to Express,
 * which answers 404 (a stream has nothing to say to a HEAD).
 *
 * Returns a request listener that serves streams and hands every other request to `next`.
 */
export function withStreamRoute(
  deps: ConversationDeps & { hub: LiveHub; log: Logger },
  opts: StreamRouteOptions,
  next: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  const log = deps.log.child({ component: 'http' });
  const streamDeps = { db: deps.db, hub: deps.hub, log: deps.log, limits: opts.dropLimits };

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    rawId: string,
    query: URLSearchParams,
    headers: Record<string, string>,
  ) {
    // Before the conversation is read: a change published from here on makes the stream read it again.
    const changesBefore = deps.hub.changes();
    const id = decodedPathSegment(rawId);
    if (!conversationIdParam.safeParse(id).success) throw new AppError('not_found', 'No such conversation');
    const address = opts.address(req);
    if (!(await opts.reads.take(address)))
      return sendError(res, 429, 'rate_limited', 'Too many requests, please slow down', {
        ...headers,
        'retry-after': String(Math.ceil(opts.reads.windowMs / 1000)),
      });
    const conversation = await authenticate(deps, id, bearerToken(req.headers.authorization));
    // A repeated parameter is refused, as Express's parser makes it a list.
    const given = query.getAll('after');
    const cursor = afterQuery.parse({
      after: req.headers['last-event-id'] ?? (given.length > 1 ? given : given[0]),
    });
    if (cursor.after > conversation.lastSeq)
      throw new AppError('bad_request', 'after: beyond the latest message');
    // Gone while being authenticated: nothing to open, and no slot that a 'close' already fired would never free.
    if (req.destroyed || res.closed) return;
    const slot = opts.streams.acquire(address, conversation.id);
    if ('refused' in slot)
      return sendError(res, 429, 'rate_limited', `Cannot open a live connection: ${slot.refused}`, {
        ...headers,
        'retry-after': '30',
      });
    try {
      await openStream(streamDeps, res, conversation, cursor.after, {
        headers,
        onClose: slot.release,
        changesBefore,
      });
    } catch (error) {
      // Thrown before the stream's close listener existed (writeHead refusing a header): free the slot here.
      slot.release();
      throw error;
    }
  }

  return (req, res) => {
    const { path, query } = splitTarget(req);
    const match = req.method === 'GET' ? STREAM_PATH.exec(path) : null;
    if (!match) return next(req, res);
    const headers = opts.headers(req);
    void serve(req, res, match[1]!, new URLSearchParams(query), headers).catch((error: unknown) =>
      answerRefusal(req, res, path, error, log, headers),
    );
  };
}
