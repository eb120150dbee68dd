import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SlackSandbox } from '../types.js';

/**
 * The agent view of the local Slack workspace. Returns a request handler that answers
 * the routes it owns (the page at `/`, its assets and its JSON endpoints under `/ui/`)
 * and resolves false for anything else so the sandbox server can go on routing.
 * (Placeholder: replaced by the real view.)
 */
export function createUiHandler(
  _sandbox: SlackSandbox,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    if (req.method === 'GET' && req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Local Slack</title><p>Agent view coming soon.</p>');
      return true;
    }
    return false;
  };
}
