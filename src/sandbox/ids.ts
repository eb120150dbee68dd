import { randomBytes } from 'node:crypto';

/** Generators for Slack-looking identifiers, driven by the injected clock. */
export interface IdSource {
  /** Message ts "<seconds>.<6 digits>", strictly increasing even within one microsecond. */
  nextTs(): string;
  eventId(): string;
  viewId(): string;
  triggerId(): string;
  /** Random [a-z0-9] string, e.g. block ids and response_url secrets. */
  random(length: number): string;
}

const ALPHANUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function createIdSource(now: () => number): IdSource {
  let lastMicros = 0;
  let counter = 0;
  const random = (length: number) =>
    Array.from(randomBytes(length), (b) => ALPHANUM[b % ALPHANUM.length]).join('');
  const serial = (prefix: string) => {
    counter += 1;
    return `${prefix}${counter.toString(36).toUpperCase().padStart(4, '0')}${random(6).toUpperCase()}`;
  };
  return {
    nextTs() {
      lastMicros = Math.max(lastMicros + 1, Math.floor(now() * 1000));
      const seconds = Math.floor(lastMicros / 1_000_000);
      return `${seconds}.${String(lastMicros % 1_000_000).padStart(6, '0')}`;
    },
    eventId: () => serial('Ev'),
    viewId: () => serial('V'),
    triggerId() {
      counter += 1;
      return `${Math.floor(now() / 1000)}${counter}.${counter}.${randomBytes(16).toString('hex')}`;
    },
    random,
  };
}
