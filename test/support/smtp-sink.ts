import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';

/** Test helpers: a real SMTP server that keeps what it receives, and a logger tests can wait on. */

export interface Received {
  mailFrom: string;
  rcptTo: string[];
  headers: Map<string, string>;
  parts: Map<string, string>;
}

/** Enough MIME for nodemailer's output: unfolded headers and the text/html parts, decoded. */
export function parseMessage(raw: string): Pick<Received, 'headers' | 'parts'> {
  const split = (chunk: string) => {
    const at = chunk.indexOf('\r\n\r\n');
    const headers = new Map<string, string>();
    for (const line of chunk
      .slice(0, at)
      .replace(/\r\n[ \t]+/g, ' ')
      .split('\r\n')) {
      const colon = line.indexOf(':');
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    return { headers, body: chunk.slice(at + 4) };
  };
  const decode = (body: string, encoding = '') =>
    /quoted-printable/i.test(encoding)
      ? Buffer.from(
          body
            .replace(/=\r\n/g, '')
            .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8')
      : /base64/i.test(encoding)
        ? Buffer.from(body, 'base64').toString('utf8')
        : body;
  const top = split(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(top.headers.get('content-type') ?? '')?.[1];
  const parts = new Map<string, string>();
  for (const chunk of boundary ? top.body.split(`--${boundary}`).slice(1, -1) : []) {
    const part = split(chunk.replace(/^\r\n/, ''));
    const type = (part.headers.get('content-type') ?? '').split(';')[0]!.trim();
    parts.set(type, decode(part.body.replace(/\r\n$/, ''), part.headers.get('content-transfer-encoding')));
  }
  return { headers: top.headers, parts };
}

/** A real SMTP server on a free port; `rejectRcpt` can refuse the n-th RCPT TO (0-based). */
export async function startSmtp(rejectRcpt?: (attempt: number) => Error | undefined) {
  const received: Received[] = [];
  const events = new EventEmitter();
  let rcptAttempts = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(rejectRcpt?.(rcptAttempts++) ?? null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail = {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          ...parseMessage(Buffer.concat(chunks).toString('utf8')),
        };
        received.push(mail);
        callback();
        events.emit('mail', mail);
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    rcptAttempts: () => rcptAttempts,
    nextMail: () =>
      withTimeout(
        once(events, 'mail').then(([m]) => m as Received),
        'an email to arrive',
      ),
    close: () => new Promise<void>((resolve) => server.close(resolve)),
  };
}

export function withTimeout<T>(promise: Promise<T>, what: string, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A pino logger whose lines are kept and announced, so tests can wait on them and read them. */
export function captureLog() {
  const lines: string[] = [];
  const events = new EventEmitter();
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      const line = chunk.toString();
      lines.push(line);
      events.emit('line', JSON.parse(line) as { msg: string });
      done();
    },
  });
  const waitFor = (msg: string) =>
    withTimeout(
      new Promise<Record<string, unknown>>((resolve) => {
        const on = (line: { msg: string }) => {
          if (line.msg !== msg) return;
          events.off('line', on);
          resolve(line);
        };
        events.on('line', on);
      }),
      `log "${msg}"`,
    );
  return { log: pino({ level: 'debug' }, stream), lines, waitFor };
}

export type SmtpSink = Awaited<ReturnType<typeof startSmtp>>;
