import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One page of the shop: its HTML body and the CSP header it is served with. */
export interface HostPage {
  csp: string;
  body: string;
}

export interface HostSite {
  /** `http://localhost:<port>`: another site than Baton's `http://127.0.0.1:<port>`, not just another port. */
  url: string;
  /** Replaces or adds a page at `path` (e.g. `/`), served from then on. */
  set(path: string, page: HostPage): void;
  close(): Promise<void>;
}

/**
 * A shop's site on its own port for the widget tests: plain HTML pages with the headers a strict shop
 * would send. Pages are addressed by `localhost` so the browser sees a cross-site embed (storage
 * partitioning, CORP, frame-ancestors) exactly as a real shop on its own domain would cause.
 */
export async function startHostSite(): Promise<HostSite> {
  const pages = new Map<string, HostPage>();
  const server = http.createServer((req, res) => {
    const page = pages.get((req.url ?? '/').split('?')[0] ?? '/');
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': page.csp,
        'cache-control': 'no-store',
      })
      .end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    set: (path, page) => void pages.set(path, page),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The host CSP the issue names: nothing but the Baton origin, and no styles of the shop's own.
 * `scriptSrc` adds sources to `script-src`, e.g. the hash of the one inline stub a shop allows.
 */
export function strictCsp(batonOrigin: string, styleSrc = "'none'", scriptSrc = ''): string {
  return [
    "default-src 'none'",
    `script-src ${batonOrigin}${scriptSrc ? ` ${scriptSrc}` : ''}`,
    `frame-src ${batonOrigin}`,
    `connect-src ${batonOrigin}`,
    `style-src ${styleSrc}`,
    "img-src 'none'",
  ].join('; ');
}

/** A plain shop page; `head` and `body` are raw HTML written by the test. */
export function shopHtml({ head = '', body = '' }: { head?: string; body?: string }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Northwind Goods</title>${head}</head>
<body><main><h1>Northwind Goods</h1><div class="product"><p>Oak side table, 129 EUR</p></div></main>${body}</body></html>`;
}
