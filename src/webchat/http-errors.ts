import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { z, ZodError } from 'zod';
import { AppError, type AppErrorCode } from '../lib/errors.js';
import { isStorageUnavailable } from '../storage/storage-errors.js';

const STATUS: Record<AppErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

/** `{ error: { code, message } }` with its status; plain node:http, so routes served outside Express answer alike. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * Body-parser errors carry a `type` and a 4xx `status`, Express's own (a path parameter that does not
 * decode) a 4xx `status`; storage errors are told apart by isStorageUnavailable.
 */
const knownFailure = z.object({
  type: z.string().optional().catch(undefined),
  status: z.number().int().optional().catch(undefined),
});

/** The one error boundary of the chat API: coded errors become `{ error: { code, message } }`, never a stack. */
export function errorHandler(log: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) =>
    // pino-http (mounted first in http-app) sets and types req.log; the fallback covers an app without it.
    answerError(res, error, req.log ?? log);
}

/** Answers a request that failed with `error`: its coded answer, or a 500 that is logged (a stream that already answered is ended). */
export function answerError(
  res: ServerResponse,
  error: unknown,
  log: Logger,
  headers: Record<string, string> = {},
): void {
  const send = (status: number, code: string, message: string, more: Record<string, string> = {}) =>
    sendError(res, status, code, message, { ...headers, ...more });
  // A stream that already answered cannot get an error body: end it, the client reconnects.
  if (res.headersSent) return void res.destroy();
  if (error instanceof AppError) return send(STATUS[error.code], error.code, error.message);
  if (error instanceof ZodError) {
    const first = error.issues[0];
    const where = first?.path.length ? `${first.path.join('.')}: ` : '';
    return send(400, 'bad_request', `${where}${first?.message ?? 'invalid input'}`);
  }
  const e = knownFailure.safeParse(error).data;
  if (e?.type === 'entity.too.large') return send(413, 'payload_too_large', 'Request body too large');
  if (e?.type === 'entity.parse.failed') return send(400, 'bad_request', 'Body is not valid JSON');
  // Anything else the visitor got wrong (a charset or encoding we do not take, a body cut short, a
  // path that does not decode): its own 4xx, logged at debug only, since anyone can send it at will.
  if (e?.status !== undefined && e.status >= 400 && e.status < 500) {
    log.debug({ type: e.type, status: e.status }, 'refused a malformed request');
    if (error instanceof URIError) return send(404, 'not_found', 'No such conversation');
    return send(e.status, 'bad_request', 'Malformed request');
  }
  if (isStorageUnavailable(error)) {
    log.error({ err: error }, 'storage unavailable');
    return send(503, 'unavailable', 'Temporarily unavailable, please retry in a few seconds', {
      'retry-after': '5',
    });
  }
  log.error({ err: error }, 'unhandled error in chat API');
  return send(500, 'internal', 'Something went wrong on our side');
}

/** A request's path and query string, split as the routes served before Express read them. */
export function splitTarget(req: IncomingMessage): { path: string; query: string } {
  const url = req.url ?? '';
  const queryAt = url.indexOf('?');
  return queryAt === -1
    ? { path: url, query: '' }
    : { path: url.slice(0, queryAt), query: url.slice(queryAt + 1) };
}

/**
 * The error boundary of a route served before Express: `answerError`, then one log line for a refusal
 * worth one (a visitor can cause 404s and 429s by the thousand, as in http-app's log levels).
 */
export function answerRefusal(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  error: unknown,
  log: Logger,
  headers: Record<string, string>,
): void {
  answerError(res, error, log, headers);
  if (res.statusCode >= 400 && res.statusCode < 500 && res.statusCode !== 404 && res.statusCode !== 429)
    log.info(
      { req: { method: req.method, url: path.slice(0, 200) }, statusCode: res.statusCode },
      'request refused',
    );
}
