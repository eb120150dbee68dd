import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { isIPv6 } from 'node:net';
import type { Duplex } from 'node:stream';
import { createHostGuard, isLoopbackHost } from './host-guard.js';
import { sendText } from './http-util.js';
import { createUiTokenGate } from './ui-token.js';

export interface ServerAccessOptions {
  /** The address the server binds. */
  host: string;
  allowedHosts?: readonly string[];
  uiToken?: string;
  /** The port it listens on (known once listening). */
  port: () => number;
}

export class SandboxAccessError extends Error {
  readonly code = 'sandbox_unprotected';
}

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/**
 * The host to put in the workspace's own URLs (API base, response_urls, Socket Mode). A wildcard
 * bind is reached through loopback from this machine, which is where the app runs.
 */
export function urlHost(bind: string): string {
  if (WILDCARDS.has(bind)) return '127.0.0.1';
  return isIPv6(bind) ? `[${bind}]` : bind;
}

/**
 * Who may talk to the local workspace: every request and WebSocket upgrade must name an allowed
 * Host (DNS rebinding), and off loopback the agent view needs the UI token. Throws a
 * SandboxAccessError for a non-loopback bind without a token: anyone on the network could
 * otherwise read the handoff channel and act as any agent.
 */
export function createServerAccess(opts: ServerAccessOptions) {
  if (!isLoopbackHost(opts.host) && !opts.uiToken) {
    throw new SandboxAccessError(
      `The local Slack workspace would listen on ${opts.host}, which other machines can reach, with no ` +
        'access token: set LOCAL_SLACK_UI_TOKEN (a long random string) or listen on 127.0.0.1.',
    );
  }
  // The bind address is how the app itself reaches us (it is in the API and response URLs).
  const bound = WILDCARDS.has(opts.host) || isLoopbackHost(opts.host) ? [] : [urlHost(opts.host)];
  const checkHost = createHostGuard({
    allowedHosts: [...bound, ...(opts.allowedHosts ?? [])],
    port: opts.port,
  });
  const uiGate = opts.uiToken ? createUiTokenGate(opts.uiToken) : () => true;

  return {
    /** False when the request was refused (and answered). */
    request(req: IncomingMessage, res: ServerResponse): boolean {
      const verdict = checkHost(req);
      if (!verdict.ok) sendText(res, verdict.status, verdict.reason);
      return verdict.ok;
    },
    /** For the agent view's routes: the token cookie, when a token is configured. */
    ui: uiGate,
    upgrade(req: IncomingMessage, socket: Duplex): boolean {
      const verdict = checkHost(req);
      if (!verdict.ok) {
        socket.end(`HTTP/1.1 ${verdict.status} ${STATUS_CODES[verdict.status]}\r\nconnection: close\r\n\r\n`);
      }
      return verdict.ok;
    },
  };
}
