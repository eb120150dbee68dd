import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, RequestListener } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cors from 'cors';
import express, { type Express } from 'express';
import helmet, { crossOriginResourcePolicy, xContentTypeOptions } from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import bodyParser from 'body-parser';
import { type ChatRouteLimits, createChatAllowances, createChatRouter } from '../webchat/chat-routes.js';
import { withMessageRoute } from '../webchat/message-route.js';
import { createStreamCaps } from '../webchat/stream-caps.js';
import { withStreamRoute } from '../webchat/stream-route.js';
import { widgetScriptHandler } from '../webchat/widget-script-route.js';
import { peerAddress, proxyTrust } from '../webchat/chat-limits.js';
import { cachedFor } from '../lib/cached-for.js';
import { metricsAccess } from './metrics-access.js';
import { errorHandler, sendError } from '../webchat/http-errors.js';
import { createMetricsHandler } from '../webchat/metrics-route.js';
import type { LiveHub } from '../webchat/live-hub.js';
import type { ConversationDeps } from '../conversation/conversation-service.js';

const PUBLIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../webchat/public');
const PUBLIC_FILE = /^[a-z0-9-]+\.(?:html|js|css|svg)$/;
const WIDGET_FILE = 'widget.js';
const READINESS_CACHE_MS = 5000;
/** The longest request path (with its query) the app reads; ids and cursors are far shorter. */
const MAX_URL_CHARS = 2048;

export interface HttpAppOptions {
  allowedOrigins: string[];
  /** Where agents' profile pictures may load from (slack/agent-avatar.ts `avatarOrigins`), for CSP `img-src`. */
  imageOrigins?: readonly string[];
  trustProxy: boolean;
  limits: ChatRouteLimits;
  readiness: () => Promise<{ ok: boolean; checks: Record<string, boolean> }>;
  /** When set, /metrics requires it as a bearer token. */
  metricsToken?: string;
  /** Without a token, /metrics is open only outside production: its figures help an attacker tune a flood. */
  production?: boolean;
}

/**
 * Wraps the app for `http.createServer`: no route has a path this long, so it is refused before Express,
 * logging or routing spend anything on it (a flood of 8 KB made-up ids must cost as little as possible).
 */
export function refusingLongUrls(app: RequestListener): RequestListener {
  return (req, res) => {
    if ((req.url?.length ?? 0) <= MAX_URL_CHARS) return app(req, res);
    res.writeHead(414, { 'content-type': 'application/json; charset=utf-8' });
    res.end(URI_TOO_LONG);
  };
}
const URI_TOO_LONG = JSON.stringify({ error: { code: 'uri_too_long', message: 'Request path too long' } });

/**
 * The configured origins that are exact `scheme://host[:port]` origins, for CSP `frame-ancestors`.
 * Anything else (`*`, a path, a stray `;`) is left out: it would widen or break the policy.
 */
export function framingOrigins(allowed: readonly string[]): string[] {
  return allowed.filter((o) => {
    try {
      const url = new URL(o);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === o;
    } catch {
      return false;
    }
  });
}

/**
 * The Express app: the public chat API, the chat page, health probes. Bolt mounts `/slack/events`
 * on the same app (see create-bolt-app), before the final error handler is added by `finish`.
 */
export function createHttpApp(deps: ConversationDeps & { hub: LiveHub; log: Logger }, opts: HttpAppOptions) {
  const app: Express = express();
  app.disable('x-powered-by');
  // Without a trusted proxy, rate limits key on the real peer, so a spoofed X-Forwarded-For changes nothing.
  const trust = proxyTrust(opts.trustProxy);
  app.set('trust proxy', trust);
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
          // Capped: a path is visitor input, and a flood of 8 KB paths must not become gigabytes of log.
          url: (req.url.split('?')[0] ?? '').slice(0, 200),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      // Refusals an attacker can cause by the thousand (unknown ids, rate limits) are not worth a line each.
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500
          ? 'error'
          : res.statusCode === 404 || res.statusCode === 429
            ? 'debug'
            : res.statusCode >= 400
              ? 'info'
              : 'debug',
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  // The shops that may embed the chat page with widget.js are the origins allowed to call the API.
  const framers = framingOrigins(opts.allowedOrigins);
  const pageHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        connectSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', ...framingOrigins(opts.imageOrigins ?? [])],
        frameAncestors: ["'self'", ...framers],
      },
    },
    crossOriginResourcePolicy: { policy: 'same-site' },
    // X-Frame-Options cannot name a list; browsers that know frame-ancestors ignore it, and an old one
    // that does not would refuse every shop, so it is only sent while 'self' is the one framer.
    xFrameOptions: framers.length ? false : { action: 'sameorigin' },
  });
  // The chat API answers JSON and event streams, never a document: the page policies (CSP, framing,
  // HSTS, ...) mean nothing there, and an open live stream would keep their kilobyte of header text
  // alive for as long as it lasts. What matters for a JSON answer is that it is never sniffed as HTML.
  const noSniff = xContentTypeOptions();
  const sameSite = crossOriginResourcePolicy({ policy: 'same-site' });
  app.use((req, res, next) => {
    if (!req.path.startsWith('/api/')) return pageHeaders(req, res, next);
    noSniff(req, res, () => sameSite(req, res, next));
  });
  const allowed = new Set(opts.allowedOrigins);
  const apiCors = cors({
    // Only listed origins are echoed back; tokens travel in a header, never in cookies, so no credentials.
    origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin)),
    allowedHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID'],
    methods: ['GET', 'POST'],
    maxAge: 600,
  });

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  const metrics = createMetricsHandler({ db: deps.db, now: deps.now });
  app.get('/metrics', metricsAccess({ token: opts.metricsToken, production: opts.production }), metrics);
  // Cached briefly (and shared while in flight): a probe flood must not become a flood of calls to Slack.
  const readiness = cachedFor(READINESS_CACHE_MS, opts.readiness);
  app.get('/readyz', async (_req, res) => {
    const result = await readiness();
    res.status(result.ok ? 200 : 503).json(result);
  });

  // What helmet's noSniff and resource policy and the cors policy above answer for a GET, as one object
  // for the stream route (which sets them in writeHead); a test checks the two agree.
  const apiHeaders = (origin: string | undefined): Record<string, string> => ({
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-site',
    ...(origin !== undefined && allowed.has(origin)
      ? { 'access-control-allow-origin': origin, vary: 'Origin' }
      : {}),
  });
  // One store per allowance, shared by the Express routes and the two routes served before Express.
  const allowances = createChatAllowances(opts.limits);
  // The chat API's body parser (Express's express.json is this same function): customer messages are
  // parsed by it before Express as well.
  const parseJson = bodyParser.json({ limit: '16kb', strict: true });
  app.use('/api/v1', apiCors, createChatRouter(deps, opts.limits, allowances, parseJson));
  // The chat page's files, by exact name from an allow-list made at start: nothing else in the folder
  // (its unit tests, their sources) can be reached, however the path is encoded.
  const served = new Set(
    fs.readdirSync(PUBLIC_DIR).filter((f) => PUBLIC_FILE.test(f) && !f.includes('.test.')),
  );
  // The loader carries the admin's look in it (widget-script-route.ts); read once, here, at start.
  app.get(
    `/${WIDGET_FILE}`,
    widgetScriptHandler(deps, fs.readFileSync(path.join(PUBLIC_DIR, WIDGET_FILE), 'utf8')),
  );
  app.get(/^\/[^/]*$/, (req, res, next) => {
    const name = req.path === '/' ? 'index.html' : req.path.slice(1);
    if (!served.has(name)) return next();
    res.sendFile(path.join(PUBLIC_DIR, name), { maxAge: '5m', dotfiles: 'deny' });
  });

  // Live streams and customer messages are served before Express sees them (see stream-route.ts and
  // message-route.ts); everything else goes to the app.
  const address = peerAddress(opts.trustProxy);
  const headers = (req: IncomingMessage) => apiHeaders(req.headers.origin);
  const listener = withStreamRoute(
    deps,
    {
      address,
      reads: allowances.reads,
      headers,
      streams: createStreamCaps(opts.limits),
      dropLimits: {
        maxBufferedBytes: opts.limits.streamBufferKB * 1024,
        stallMs: opts.limits.streamStallSeconds * 1000,
      },
    },
    withMessageRoute(
      deps,
      {
        address,
        headers,
        parseJson,
        writesFromAddress: allowances.writesFromAddress,
        writesPerConversation: allowances.writesPerConversation,
        handoffs: allowances.handoffs,
      },
      app,
    ),
  );

  return {
    app,
    /** The server's request listener: the live-stream route, then the Express app. */
    listener,
    finish() {
      app.use((_req, res) => sendError(res, 404, 'not_found', 'No such page'));
      app.use(errorHandler(deps.log));
    },
  };
}
