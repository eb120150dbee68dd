import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  url: string;
  /** Which backend (index) each request went to, in order. */
  routed: number[];
  close(): Promise<void>;
}

/**
 * A tiny load balancer for the fleet test: each request goes to the next backend in turn, bodies and
 * answers streamed both ways (so a live stream stays open through it). A backend that refuses the
 * connection (killed) is skipped for that request; with none left the answer is 502.
 */
export async function startRoundRobinProxy(backends: () => string[]): Promise<RoundRobinProxy> {
  let next = 0;
  const routed: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const list = backends();
      const attempt = (tries: number) => {
        if (tries >= list.length) {
          res.writeHead(502).end('no backend');
          return;
        }
        const index = next++ % list.length;
        const target = new URL(req.url ?? '/', list[index]);
        const upstream = http.request(
          target,
          { method: req.method, headers: { ...req.headers, host: target.host } },
          (answer) => {
            routed.push(index);
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            res.on('close', () => answer.destroy());
          },
        );
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          if (!res.headersSent && error.code === 'ECONNREFUSED') attempt(tries + 1);
          else res.destroy();
        });
        upstream.end(body);
      };
      attempt(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routed,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
