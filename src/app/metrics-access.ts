import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendError } from '../webchat/http-errors.js';

/**
 * Who may read /metrics. With METRICS_TOKEN set, only a request bearing it (compared in constant time);
 * without one, anyone outside production, and nobody in production: the figures help an attacker tune a
 * flood, so an operator who exposes Baton must opt in with a token.
 */
export function metricsAccess(opts: { token?: string; production?: boolean }): RequestHandler {
  const wanted = opts.token ? Buffer.from(`Bearer ${opts.token}`) : undefined;
  return (req, res, next) => {
    if (!wanted) {
      if (opts.production) {
        sendError(res, 403, 'forbidden', 'Metrics are off in production until METRICS_TOKEN is set');
        return;
      }
      next();
      return;
    }
    const given = Buffer.from(req.header('authorization') ?? '');
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      sendError(res, 401, 'unauthorized', 'Metrics need the bearer token (METRICS_TOKEN)');
      return;
    }
    next();
  };
}
