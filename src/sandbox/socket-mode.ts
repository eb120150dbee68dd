import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { DELIVERY_TIMEOUT_MS } from './delivery.js';
import type { IdSource } from './ids.js';
import type { DeliveryResult } from './types.js';
import type { MethodHandler } from './web-api.js';
import type { DeliveryRecord, WorkspaceStore } from './workspace-store.js';

export interface SocketModeDeps {
  appId: string;
  ids: IdSource;
  store: Pick<WorkspaceStore, 'deliveries'>;
  url: () => string;
}

const ENVELOPE_TYPES = {
  event: 'events_api',
  interaction: 'interactive',
  command: 'slash_commands',
} as const;

/**
 * Socket Mode as Slack speaks it: apps.connections.open hands out a one-time ws:// ticket URL,
 * the server greets with `hello`, sends envelopes and waits for `{envelope_id, payload}` acks.
 * While a client is connected every delivery goes over the socket instead of HTTP.
 */
export function createSocketMode(deps: SocketModeDeps) {
  const wss = new WebSocketServer({ noServer: true });
  const tickets = new Set<string>();
  const sockets = new Set<WebSocket>();
  const pending = new Map<string, (ack: Record<string, unknown>) => void>();

  const connectionsOpen: MethodHandler = () => {
    const ticket = deps.ids.random(24);
    tickets.add(ticket);
    return { ok: true, url: `${deps.url().replace(/^http/, 'ws')}/socket/link?ticket=${ticket}` };
  };

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/socket/link' || !tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        try {
          const ack = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
          if (ack.envelope_id) pending.get(ack.envelope_id)?.(ack.payload ?? {});
        } catch {
          // Not an ack; Slack ignores garbage frames too.
        }
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: sockets.size,
          debug_info: { host: 'sandbox', build_number: 1, approximate_connection_time: 18060 },
          connection_info: { app_id: deps.appId },
        }),
      );
    });
  }

  /** Undefined when no client is connected, so the caller falls back to HTTP. */
  function deliver(kind: DeliveryRecord['kind'], payload: unknown): Promise<DeliveryResult> | undefined {
    const ws = [...sockets][0];
    if (!ws) return undefined;
    const envelopeId = crypto.randomUUID();
    const envelope = {
      envelope_id: envelopeId,
      payload,
      type: ENVELOPE_TYPES[kind],
      accepts_response_payload: kind !== 'event',
      ...(kind === 'event' ? { retry_attempt: 0, retry_reason: '' } : {}),
    };
    const body = JSON.stringify(envelope);
    return new Promise<DeliveryResult>((resolve) => {
      const finish = (result: DeliveryResult) => {
        clearTimeout(timer);
        pending.delete(envelopeId);
        deps.store.deliveries.push({ kind, contentType: 'socket-mode', body, result });
        resolve(result);
      };
      const timer = setTimeout(
        () => finish({ status: 0, body: '', headers: {}, error: 'http_timeout' }),
        DELIVERY_TIMEOUT_MS,
      );
      pending.set(envelopeId, (ack) => {
        const hasBody = Object.keys(ack).length > 0;
        finish({ status: 200, body: hasBody ? JSON.stringify(ack) : '', headers: {} });
      });
      ws.send(body);
    });
  }

  function close(): void {
    for (const ws of sockets) ws.terminate();
    wss.close();
  }

  return { connectionsOpen, handleUpgrade, deliver, close };
}
