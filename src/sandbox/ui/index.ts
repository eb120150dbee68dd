import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SlackSandbox } from '../types.js';
import { actionRoutes } from './action-routes.js';
import { ChangeFeed } from './change-feed.js';
import { sendError, sendJson, UiError } from './http-io.js';
import { homeRoute, stateRoute, threadRoute, usersRoute } from './read-routes.js';
import type { UiSandbox } from './schemas.js';
import { isAsset, sendAsset } from './static-assets.js';

type ReadRoute = (sandbox: UiSandbox, url: URL) => unknown;

const readRoutes: Record<string, ReadRoute> = {
  '/ui/state': stateRoute,
  '/ui/thread': threadRoute,
  '/ui/users': (sandbox) => usersRoute(sandbox),
  '/ui/home': homeRoute,
};

/**
 * The agent view of the local Slack workspace. Returns a request handler that answers
 * the routes it owns (the page at `/`, its assets under `/ui/assets/` and its JSON
 * endpoints under `/ui/`) and resolves false for anything else so the sandbox server
 * can go on routing.
 */
export function createUiHandler(
  sandbox: SlackSandbox,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return createUiHandlerFor(sandbox);
}

/** Same as createUiHandler, over just the part of the sandbox the view uses (tests pass a fake). */
export function createUiHandlerFor(
  sandbox: UiSandbox,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  let feed: ChangeFeed | undefined;
  const changes = () => {
    feed ??= new ChangeFeed(sandbox);
    return feed;
  };
  // Subscribe right away so the first poll already sees changes made after startup.
  changes();

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    const path = url.pathname;
    if (path !== '/' && path !== '/index.html' && path !== '/ui' && !path.startsWith('/ui/')) return false;
    const method = req.method ?? 'GET';
    try {
      if (path === '/' || path === '/index.html' || path === '/ui' || path === '/ui/') {
        requireMethod(method, ['GET', 'HEAD']);
        await sendAsset(res, 'index.html', method === 'HEAD');
        return true;
      }
      if (path.startsWith('/ui/assets/')) {
        const name = path.slice('/ui/assets/'.length);
        if (!isAsset(name)) throw new UiError(404, 'not_found', `no asset ${name}`);
        requireMethod(method, ['GET', 'HEAD']);
        await sendAsset(res, name, method === 'HEAD');
        return true;
      }
      if (path === '/ui/events') {
        requireMethod(method, ['GET']);
        await changes().handle(req, res, url);
        return true;
      }
      const read = readRoutes[path];
      const action = actionRoutes[path];
      if (method === 'GET' && read) {
        sendJson(res, 200, read(sandbox, url));
        return true;
      }
      if (method === 'POST' && action) {
        requireSameOrigin(req);
        sendJson(res, 200, await action(sandbox, req));
        return true;
      }
      if (read || action) throw new UiError(405, 'method_not_allowed', `${method} not allowed on ${path}`);
      throw new UiError(404, 'not_found', `no route ${path}`);
    } catch (err) {
      if (!res.headersSent) sendError(res, err);
      else res.end();
      return true;
    }
  };
}

function requireMethod(method: string, allowed: string[]): void {
  if (!allowed.includes(method)) throw new UiError(405, 'method_not_allowed', `${method} not allowed`);
}

/** Cross-site pages must not drive the workspace: a browser sends Origin on POST, and it must be ours. */
function requireSameOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const host = req.headers.host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new UiError(403, 'cross_origin', 'bad Origin header');
  }
  if (originHost !== host) throw new UiError(403, 'cross_origin', 'cross-origin requests are not allowed');
}
