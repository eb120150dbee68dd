import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { z, ZodError } from 'zod';
import { AppError, type AppErrorCode } from '../lib/errors.js';

const STATUS: Record<AppErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/**
 * Body-parser errors carry a `type` and a 4xx `status`, Express's own (a path parameter that does not
 * decode) a 4xx `status`, SQLite errors a `code`; anything else thrown has none of them.
 */
const knownFailure = z.object({
  type: z.string().optional().catch(undefined),
  code: z.string().optional().catch(undefined),
  status: z.number().int().optional().catch(undefined),
});

/** The one error boundary of the chat API: coded errors become `{ error: { code, message } }`, never a stack. */
export function errorHandler(log: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    // A stream that already answered cannot get an error body: end it, the client reconnects.
    if (res.headersSent) return void res.destroy();
    // pino-http (mounted first in http-app) sets and types req.log; the fallback covers an app without it.
    const reqLog = req.log ?? log;
    if (error instanceof AppError) return sendError(res, STATUS[error.code], error.code, error.message);
    if (error instanceof ZodError) {
      const first = error.issues[0];
      const where = first?.path.length ? `${first.path.join('.')}: ` : '';
      return sendError(res, 400, 'bad_request', `${where}${first?.message ?? 'invalid input'}`);
    }
    const e = knownFailure.safeParse(error).data;
    if (e?.type === 'entity.too.large')
      return sendError(res, 413, 'payload_too_large', 'Request body too large');
    if (e?.type === 'entity.parse.failed')
      return sendError(res, 400, 'bad_request', 'Body is not valid JSON');
    // Anything else the visitor got wrong (a charset or encoding we do not take, a body cut short, a
    // path that does not decode): its own 4xx, logged at debug only, since anyone can send it at will.
    if (e?.status !== undefined && e.status >= 400 && e.status < 500) {
      reqLog.debug({ type: e.type, status: e.status }, 'refused a malformed request');
      if (error instanceof URIError) return sendError(res, 404, 'not_found', 'No such conversation');
      return sendError(res, e.status, 'bad_request', 'Malformed request');
    }
    if (e?.code === 'SQLITE_BUSY' || e?.code === 'SQLITE_FULL') {
      reqLog.error({ err: error }, 'storage unavailable');
      res.setHeader('Retry-After', '5');
      return sendError(res, 503, 'unavailable', 'Temporarily unavailable, please retry in a few seconds');
    }
    reqLog.error({ err: error }, 'unhandled error in chat API');
    return sendError(res, 500, 'internal', 'Something went wrong on our side');
  };
}
