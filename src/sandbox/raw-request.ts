import { request } from 'node:http';

export interface RawRequest {
  method?: string;
  path: string;
  /** The Host header to send, whatever the URL; null sends none. */
  host: string | null;
  headers?: Record<string, string>;
  body?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP request to `127.0.0.1:port` with any Host header: what a DNS-rebinding page makes the
 * browser send, and what fetch() refuses to forge. For tests of the local workspace.
 */
export function rawRequest(port: number, opts: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path,
        setHost: false,
        headers: { ...(opts.host === null ? {} : { host: opts.host }), ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    // A refused WebSocket handshake answers with a plain status line; surface it like any response.
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
