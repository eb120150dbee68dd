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

/** Body-parser errors carry a `type`, SQLite errors a `code`; anything else thrown has neither. */
const knownFailure = z.object({
  type: z.string().optional().catch(undefined),
  code: z.string().optional().catch(undefined),
});

/** The one error boundary of the chat API: coded errors become `{ error: { code, message } }`, never a stack. */
export function errorHandler(log: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
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
    if (e?.code === 'SQLITE_BUSY' || e?.code === 'SQLITE_FULL') {
      reqLog.error({ err: error }, 'storage unavailable');
      res.setHeader('Retry-After', '5');
      return sendError(res, 503, 'unavailable', 'Temporarily unavailable, please retry in a few seconds');
    }
    reqLog.error({ err: error }, 'unhandled error in chat API');
    return sendError(res, 500, 'internal', 'Something went wrong on our side');
  };
}
