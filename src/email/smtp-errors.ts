import { z } from 'zod';

export interface SmtpErrorVerdict {
  /** Retrying the same email would be refused again. */
  permanent: boolean;
  /**
   * A short code such as "EENVELOPE_550" or "ETIMEDOUT". Built from nodemailer's error code and
   * the SMTP reply code only: the reply text and message often quote the recipient address.
   */
  code: string;
}

/** Problems with the email itself, found before or without a server reply. */
const PERMANENT_LOCAL = new Set(['EENVELOPE', 'EMESSAGE', 'ESTREAM', 'EFILEACCESS', 'EURLACCESS']);

/**
 * Problems with Baton's own SMTP settings (credentials, TLS). They hit every email alike, so they are
 * retried with backoff like an outage, giving an operator the chance to fix the configuration.
 */
const CONFIG = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'ETLS', 'EREQUIRETLS']);

/** The slice of nodemailer's errors we read; a field that is absent or odd reads as its default. */
const smtpFailure = z.object({
  code: z
    .string()
    .regex(/^[A-Z0-9_]{1,32}$/)
    .catch('ESEND'),
  responseCode: z.number().int().catch(0),
});

export function classifySmtpError(error: unknown): SmtpErrorVerdict {
  const e = smtpFailure.safeParse(error).data;
  const name = e?.code ?? 'ESEND';
  const reply = e?.responseCode ?? 0;
  const code = reply ? `${name}_${reply}` : name;
  if (CONFIG.has(name)) return { permanent: false, code };
  // RFC 5321: 5yz is a permanent refusal, 4yz transient. 503 (bad sequence) is a session problem.
  if (reply >= 500 && reply < 600 && reply !== 503) return { permanent: true, code };
  if (reply >= 400 && reply < 500) return { permanent: false, code };
  if (reply === 0 && PERMANENT_LOCAL.has(name)) return { permanent: true, code };
  return { permanent: false, code };
}
