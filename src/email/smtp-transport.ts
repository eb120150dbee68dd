import nodemailer from 'nodemailer';

/** What the email worker needs from a transport; nodemailer's transporter satisfies it. */
export interface EmailTransport {
  sendMail(mail: {
    from: string;
    to: string;
    subject: string;
    text: string;
    html?: string;
    messageId?: string;
    headers?: Record<string, string>;
  }): Promise<unknown>;
  /** Closes open connections. */
  close(): void;
}

export interface SmtpTransportOptions {
  /** How long to wait for the TCP (and TLS) connection. */
  connectionTimeoutMs?: number;
  /** How long to wait for the server's greeting once connected. */
  greetingTimeoutMs?: number;
  /** Inactivity limit on an open connection, e.g. a server that stalls after DATA. */
  socketTimeoutMs?: number;
  /**
   * Refuse to send over smtp:// unless the server upgrades with STARTTLS. Defaults to on when the
   * URL carries credentials and the host is not the local machine, so a password never crosses the
   * network in clear text.
   */
  requireTls?: boolean;
}

/**
 * One plain address (local@domain), nothing nodemailer would read as a list or a display name:
 * a customer-typed "a@x.example, b@y.example" must not turn one follow-up into several.
 */
export function isSingleAddress(value: string): boolean {
  return (
    value.length <= 254 && /^[^\s@,;:<>()[\]"\\]+@[^\s@,;:<>()[\]"\\]+\.[^\s@,;:<>()[\]"\\]+$/.test(value)
  );
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * An SMTP transport for a URL such as smtp://user:pass@host:587 (STARTTLS when the server offers
 * it) or smtps://user:pass@host:465 (TLS from the start). One connection per message, no pool: the
 * volume is a handful of follow-ups, and a fresh connection never inherits a half-broken session.
 * Timeouts are far below nodemailer's defaults (minutes) so a dead server cannot stall the worker.
 */
export function createSmtpTransport(smtpUrl: string, options: SmtpTransportOptions = {}): EmailTransport {
  const url = new URL(smtpUrl);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`SMTP_URL must start with smtp:// or smtps:// (got ${url.protocol}//)`);
  }
  const requireTLS =
    options.requireTls ?? (url.protocol === 'smtp:' && url.username !== '' && !LOOPBACK.has(url.hostname));
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    pool: false,
    requireTLS,
    connectionTimeout: options.connectionTimeoutMs ?? 10_000,
    greetingTimeout: options.greetingTimeoutMs ?? 10_000,
    socketTimeout: options.socketTimeoutMs ?? 30_000,
    dnsTimeout: 10_000,
    // Never write SMTP traffic (addresses, bodies, credentials) to any log.
    logger: false,
    debug: false,
  });
  return {
    sendMail: (mail) => transporter.sendMail(mail),
    close: () => transporter.close(),
  };
}
