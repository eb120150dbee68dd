import { randomUUID, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { type ChatRouteLimits, createChatRouter } from '../webchat/chat-routes.js';
import { errorHandler, sendError } from '../webchat/http-errors.js';
import { createMetricsHandler } from '../webchat/metrics-route.js';
import type { LiveHub } from '../webchat/live-hub.js';
import type { ConversationDeps } from '../conversation/conversation-service.js';

const PUBLIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../webchat/public');

export interface HttpAppOptions {
  allowedOrigins: string[];
  trustProxy: boolean;
  limits: ChatRouteLimits;
  readiness: () => Promise<{ ok: boolean; checks: Record<string, boolean> }>;
  /** When set, /metrics requires it as a bearer token. */
  metricsToken?: string;
}

/**
 * The Express app: the public chat API, the chat page, health probes. Bolt mounts `/slack/events`
 * on the same app (see create-bolt-app), before the final error handler is added by `finish`.
 */
export function createHttpApp(deps: ConversationDeps & { hub: LiveHub; log: Logger }, opts: HttpAppOptions) {
  const app: Express = express();
  app.disable('x-powered-by');
  // Without a trusted proxy, rate limits key on the real peer, so a spoofed X-Forwarded-For changes nothing.
  app.set('trust proxy', opts.trustProxy ? 1 : false);
  // One child logger per request (req.log), with an id to follow a request through the logs.
  app.use(
    pinoHttp({
      logger: deps.log.child({ component: 'http' }),
      genReqId: (req) => {
        // A repeated header arrives as an array; only a single value is taken as the id.
        const given = req.headers['x-request-id'];
        return typeof given === 'string' ? given.slice(0, 64) : randomUUID();
      },
      // Headers carry bearer tokens and Slack signatures; bodies carry customer text. Neither is logged.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          connectSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          frameAncestors: ["'self'"],
        },
      },
      crossOriginResourcePolicy: { policy: 'same-site' },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  const metrics = createMetricsHandler({ db: deps.db, now: deps.now });
  app.get('/metrics', (req, res, next) => {
    const expected = opts.metricsToken;
    if (expected) {
      const given = Buffer.from(req.header('authorization') ?? '');
      const wanted = Buffer.from(`Bearer ${expected}`);
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
        sendError(res, 401, 'unauthorized', 'Metrics need the bearer token (METRICS_TOKEN)');
        return;
      }
    }
    metrics(req, res, next);
  });
  app.get('/readyz', async (_req, res) => {
    const result = await opts.readiness();
    res.status(result.ok ? 200 : 503).json(result);
  });

  const allowed = new Set(opts.allowedOrigins);
  app.use(
    '/api/v1',
    cors({
      // Only listed origins are echoed back; tokens travel in a header, never in cookies, so no credentials.
      origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin)),
      allowedHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID'],
      methods: ['GET', 'POST'],
      maxAge: 600,
    }),
    createChatRouter(deps, opts.limits),
  );
  // The page's unit tests sit next to it; only the browser files are served.
  app.use((req, res, next) =>
    /\.ts$/.test(req.path) ? sendError(res, 404, 'not_found', 'No such page') : next(),
  );
  app.use(express.static(PUBLIC_DIR, { index: 'index.html', maxAge: '5m' }));

  return {
    app,
    finish() {
      app.use((_req, res) => sendError(res, 404, 'not_found', 'No such page'));
      app.use(errorHandler(deps.log));
    },
  };
}
