import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake app saw: raw body, headers, and whether the Slack signature checked out. */
export interface Received {
  headers: IncomingHttpHeaders;
  rawBody: string;
  signatureValid: boolean;
  /** Events: the JSON body; interactions: the JSON inside `payload`; commands: the form fields. */
  parsed: Record<string, unknown>;
}

export type Responder = (r: Received) => { status?: number; body?: string; contentType?: string };

/**
 * A stand-in for Bolt's HTTP receiver that checks signatures with its own HMAC code (not the
 * sandbox's signer), so a signing bug cannot hide behind shared code.
 */
export async function startReceiver(signingSecret: string) {
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  let responder: Responder = () => ({ status: 200 });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const ts = String(req.headers['x-slack-request-timestamp'] ?? '');
      const expected = `v0=${createHmac('sha256', signingSecret).update(`v0:${ts}:${rawBody}`).digest('hex')}`;
      const given = String(req.headers['x-slack-signature'] ?? '');
      const signatureValid =
        given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
      let parsed: Record<string, unknown>;
      if (req.headers['content-type'] === 'application/x-www-form-urlencoded') {
        const form = Object.fromEntries(new URLSearchParams(rawBody));
        parsed = form.payload ? (JSON.parse(form.payload) as Record<string, unknown>) : form;
      } else {
        parsed = JSON.parse(rawBody) as Record<string, unknown>;
      }
      const entry = { headers: req.headers, rawBody, signatureValid, parsed };
      received.push(entry);
      const reply = responder(entry);
      res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'text/plain' });
      res.end(reply.body ?? '');
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    received,
    respondWith(fn: Responder) {
      responder = fn;
    },
    /** First received request matching the predicate, past or future. */
    waitFor(predicate: (r: Received) => boolean, timeoutMs = 5000): Promise<Received> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`receiver: nothing matched in ${timeoutMs} ms`)),
          timeoutMs,
        );
        const check = () => {
          const hit = received.find(predicate);
          if (hit) {
            clearTimeout(timer);
            resolve(hit);
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** The event inside an event_callback body. */
export const eventOf = (r: Received) => r.parsed.event as Record<string, unknown> | undefined;
