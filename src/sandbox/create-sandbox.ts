import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  defaultChannels,
  defaultUsers,
  mergeById,
  SANDBOX_APP_ID,
  SANDBOX_BOT_ID,
  SANDBOX_BOT_USER_ID,
  SANDBOX_HANDOFF_CHANNEL_ID,
  SANDBOX_TEAM_ID,
} from './default-workspace.js';
import { serveAvatar } from './avatars.js';
import { createDelivery } from './delivery.js';
import { sendJson } from './http-util.js';
import { createIdSource } from './ids.js';
import { eventCallback, type PayloadContext } from './payloads.js';
import { createRateLimiter } from './rate-limiter.js';
import { createMethodFaults } from './method-faults.js';
import { handleResponseUrl } from './response-url.js';
import { createSandboxApi, type SlackSandboxExtras } from './sandbox-api.js';
import type { SandboxContext } from './sandbox-context.js';
import { createServerAccess, urlHost } from './server-access.js';
import { createSocketMode } from './socket-mode.js';
import type { DeliveryResult, SandboxOptions, SlackSandbox } from './types.js';
import { createUiHandler } from './ui/index.js';
import { createWebApiHandler } from './web-api.js';
import { createWorkspaceStore } from './workspace-store.js';

/** Starts the local Slack workspace: Web API, response_urls, Socket Mode and the agent view on one port. */
export async function startSlackSandbox(opts: SandboxOptions): Promise<SlackSandbox & SlackSandboxExtras> {
  const now = opts.now ?? Date.now;
  const store = createWorkspaceStore(
    mergeById(defaultUsers(), opts.users),
    mergeById(defaultChannels(), opts.channels),
  );
  const ids = createIdSource(now);
  const limiter = createRateLimiter({ now, enabled: opts.rateLimits ?? true });
  const faults = createMethodFaults();
  let appRequestUrl = opts.appRequestUrl;
  let baseUrl = '';
  let listenPort = 0;
  const bindHost = opts.host ?? '127.0.0.1';
  // Checked before anything listens: refuses a non-loopback bind without a UI token.
  const access = createServerAccess({
    host: bindHost,
    allowedHosts: opts.allowedHosts,
    uiToken: opts.uiToken,
    port: () => listenPort,
  });

  const payload: PayloadContext = {
    teamId: SANDBOX_TEAM_ID,
    appId: SANDBOX_APP_ID,
    botId: SANDBOX_BOT_ID,
    botUserId: SANDBOX_BOT_USER_ID,
    verificationToken: 'sandbox-verification-token',
    ids,
    now,
  };
  const socket = createSocketMode({ appId: SANDBOX_APP_ID, ids, store, url: () => baseUrl });
  const delivery = createDelivery({
    signingSecret: opts.signingSecret,
    appRequestUrl: () => appRequestUrl,
    now,
    store,
    socket: socket.deliver,
    eventRetryDelaysMs: opts.eventRetryDelaysMs ?? [0, 60_000, 300_000],
  });

  // One event at a time, in order, like Slack's per-app queue; interactions go straight through.
  let queue: Promise<unknown> = Promise.resolve();
  const ctx: SandboxContext = {
    store,
    ids,
    payload,
    delivery,
    now,
    url: () => baseUrl,
    eventBody: (event) => eventCallback(payload, event),
    deliverBody(body) {
      const run = queue.then(() => delivery.event(body));
      queue = run.catch(() => undefined);
      return run as Promise<DeliveryResult>;
    },
  };

  const webApi = createWebApiHandler({
    ctx,
    limiter,
    faults,
    botToken: opts.botToken,
    appToken: opts.appToken,
    extraMethods: { 'apps.connections.open': socket.connectionsOpen },
  });

  const sandbox = createSandboxApi({
    ctx,
    limiter,
    faults,
    opts,
    setAppRequestUrl: (url) => (appRequestUrl = url),
  });
  const ui = createUiHandler(sandbox);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!access.request(req, res)) return;
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'POST' && path.startsWith('/api/'))
      return webApi(req, res, path.slice('/api/'.length));
    if (req.method === 'POST' && path.startsWith('/response/')) {
      return handleResponseUrl(ctx, req, res, path.slice('/response/'.length));
    }
    // Profile pictures are public, as on Slack's image hosts: a customer's chat page loads them.
    if (req.method === 'GET' && serveAvatar(path, store.users, res)) return;
    // The Web API and response_urls carry their own secrets (bot token, unguessable URL).
    if (!access.ui(req, res)) return;
    if (await ui(req, res)) return;
    sendJson(res, 404, { ok: false, error: 'not_found' });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal_error', detail: String(err) });
      else res.end();
    });
  });
  server.on('upgrade', (req: IncomingMessage, stream: Duplex, head: Buffer) => {
    if (access.upgrade(req, stream)) socket.handleUpgrade(req, stream, head);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, bindHost, () => resolve());
  });
  listenPort = (server.address() as AddressInfo).port;
  baseUrl = `http://${urlHost(bindHost)}:${listenPort}`;

  Object.assign(sandbox, {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    handoffChannelId: SANDBOX_HANDOFF_CHANNEL_ID,
    async close() {
      delivery.cancelRetries();
      socket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
  return sandbox;
}
