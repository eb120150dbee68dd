import type { Logger } from 'pino';
import { createWorkLoop } from '../lib/work-loop.js';
import type { Db } from '../storage/database.js';
import {
  countPendingEmails,
  deferEmail,
  dueEmails,
  type EmailOutboxItem,
  markEmailFailed,
  markEmailSent,
  nextEmailDueAt,
} from './email-outbox-repository.js';
import { classifySmtpError } from './smtp-errors.js';
import { type EmailTransport, isSingleAddress } from './smtp-transport.js';

export interface EmailWorkerDeps {
  db: Db;
  transport: Pick<EmailTransport, 'sendMail'>;
  /** The From header, e.g. "Northwind Goods support <support@northwind.example>". */
  from: string;
  log: Logger;
  now: () => Date;
  /** Delay before the next try after the given number of failed attempts (0-based), in ms. */
  backoffMs?: (attempt: number) => number;
  /** Total tries before an email that keeps failing transiently is given up. */
  maxAttempts?: number;
  /** After an email is marked sent (a reply's delivery mark); a failure here is logged, the email stays sent. */
  onSent?: (item: EmailOutboxItem) => Promise<void>;
}

/** 30 s, 2 min, 8 min, 32 min, then hourly: about 1 h 40 min of retries over six attempts. */
const defaultBackoff = (attempt: number) => Math.min(3_600_000, 30_000 * 4 ** attempt);

/** A stable Message-ID per outbox row, so a resend after an ambiguous failure can be recognised. */
function messageIdFor(item: EmailOutboxItem, from: string): string {
  const domain = /@([^\s>@]+)>?\s*$/.exec(from)?.[1] ?? 'baton.invalid';
  return `<baton-email-${item.id}.${item.conversationId}@${domain}>`;
}

/**
 * Delivers queued emails durably, one at a time, oldest first. A transient failure (connection,
 * timeout, 4xx) defers the email with backoff; a permanent refusal (5xx) or running out of attempts
 * marks it failed. Logs name the outbox id only: never the recipient, subject or body.
 */
export function createEmailWorker(deps: EmailWorkerDeps) {
  const backoff = deps.backoffMs ?? defaultBackoff;
  const maxAttempts = deps.maxAttempts ?? 6;

  async function send(item: EmailOutboxItem): Promise<void> {
    const log = deps.log.child({ emailOutboxId: item.id, conversationId: item.conversationId });
    const attempt = item.attempts + 1;
    if (!isSingleAddress(item.to)) {
      log.error('email recipient is not a single valid address: giving up');
      await markEmailFailed(deps.db, item.id, 'EINVALIDRECIPIENT');
      return;
    }
    try {
      await deps.transport.sendMail({
        from: deps.from,
        to: item.to,
        subject: item.subject,
        text: item.text,
        html: item.html,
        messageId: messageIdFor(item, deps.from),
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    } catch (error) {
      const verdict = classifySmtpError(error);
      const detail = { code: verdict.code, attempt };
      if (verdict.permanent || attempt >= maxAttempts) {
        await markEmailFailed(deps.db, item.id, verdict.code);
        log.error({ ...detail, permanent: verdict.permanent }, 'email could not be delivered: giving up');
      } else {
        await deferEmail(deps.db, item.id, deps.now().getTime() + backoff(item.attempts), verdict.code);
        log.warn(detail, 'email delivery failed: will retry');
      }
      return;
    }
    await markEmailSent(deps.db, item.id, deps.now().toISOString());
    log.info({ attempt }, 'email sent');
    await deps
      .onSent?.(item)
      .catch((error: unknown) => log.warn({ err: error }, 'email sent, but not marked'));
  }

  async function pass(isStopped: () => boolean): Promise<number | undefined> {
    for (;;) {
      const due = await dueEmails(deps.db, deps.now().getTime());
      if (due.length === 0) break;
      for (const item of due) {
        if (isStopped()) return undefined;
        await send(item);
      }
    }
    return nextEmailDueAt(deps.db);
  }

  const loop = createWorkLoop({
    pass,
    now: () => deps.now().getTime(),
    onError: (error) => deps.log.error({ err: error }, 'email worker crashed; will retry on next kick'),
  });

  return {
    /** Call after committing new emails; cheap when there is nothing to do. */
    kick: loop.kick,
    /** Waits for the email being sent to finish; pending emails stay queued for the next start. */
    stop: loop.stop,
    /** Resolves once no send pass is running (a deferred retry may still be scheduled on a timer). */
    idle: loop.idle,
    pending: () => countPendingEmails(deps.db),
  };
}

export type EmailWorker = ReturnType<typeof createEmailWorker>;
