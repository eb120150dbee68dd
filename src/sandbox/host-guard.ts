import type { IncomingMessage } from 'node:http';
import { isIPv4 } from 'node:net';

/**
 * DNS rebinding defence for the local workspace. A hostile page can point its own domain at
 * 127.0.0.1 and then talk to this server as "same origin", but the browser still sends the
 * attacker's name in `Host`. So every request must name one of our hosts, and a state-changing
 * request carrying an `Origin` must come from one of them too.
 */

/** One allowed host. Without a port it matches a Host with no port or with the port we listen on. */
export interface HostPattern {
  hostname: string;
  port?: number;
}

/** Always allowed: the loopback names a browser on this machine uses to reach us. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

// A bracketed IPv6 literal or a plain name/IPv4 (no userinfo, path or spaces), then an optional port.
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9._~-]+)(?::(\d{1,5}))?$/i;

/** Parses a Host header value (or an allow-list entry); undefined when it is not a plain host[:port]. */
export function parseHost(value: string): HostPattern | undefined {
  const match = HOST_HEADER.exec(value.trim());
  if (!match?.[1]) return undefined;
  const hostname = match[1].toLowerCase();
  if (match[2] === undefined) return { hostname };
  const port = Number(match[2]);
  return port > 0 && port <= 65535 ? { hostname, port } : undefined;
}

/** Whether binding to `host` keeps the server reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || name === '::1') return true;
  const v4 = name.startsWith('::ffff:') ? name.slice('::ffff:'.length) : name;
  return isIPv4(v4) && v4.startsWith('127.');
}

export interface HostGuardOptions {
  /** Extra `host` or `host:port` entries (a reverse proxy's name, a LAN address). */
  allowedHosts?: readonly string[];
  /** The port the server actually listens on, known only once it is listening. */
  port: () => number;
}

export type HostVerdict = { ok: true } | { ok: false; status: number; reason: string };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createHostGuard(opts: HostGuardOptions): (req: IncomingMessage) => HostVerdict {
  const patterns = [...LOOPBACK_HOSTS, ...(opts.allowedHosts ?? [])].map((entry) => {
    const pattern = parseHost(entry);
    if (!pattern) throw new Error(`allowed host ${JSON.stringify(entry)} is not a host or host:port`);
    return pattern;
  });

  function allowed(value: string): boolean {
    const host = parseHost(value);
    if (!host) return false;
    return patterns.some(
      (p) =>
        p.hostname === host.hostname &&
        (p.port !== undefined ? host.port === p.port : host.port === undefined || host.port === opts.port()),
    );
  }

  /** Origin is scheme://host[:port]; only the host part says who is calling. `null` never passes. */
  function allowedOrigin(origin: string): boolean {
    const match = /^https?:\/\/([^/]+)$/i.exec(origin.trim());
    return match?.[1] !== undefined && allowed(match[1]);
  }

  return (req) => {
    const host = req.headers.host;
    if (!host) return { ok: false, status: 400, reason: 'missing Host header' };
    if (!allowed(host)) {
      return {
        ok: false,
        status: 421,
        reason: `Host ${JSON.stringify(host)} is not served here; add it to the local workspace's allowed hosts if you meant to reach it by that name`,
      };
    }
    const origin = req.headers.origin;
    // A WebSocket handshake is a GET, but it opens a two-way channel: treat it as state-changing.
    const changesState = !SAFE_METHODS.has(req.method ?? 'GET') || req.headers.upgrade !== undefined;
    if (origin !== undefined && changesState && !allowedOrigin(origin)) {
      return {
        ok: false,
        status: 403,
        reason: `cross-origin request from ${JSON.stringify(origin)} refused`,
      };
    }
    return { ok: true };
  };
}
